package dev.nemobot.config;

import java.util.Objects;

/**
 * A credential (bot token, backend token). Its {@link #toString()} never shows the value, so a secret
 * inside any record or log line stays hidden; call {@link #reveal()} only where the value goes on the wire.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** @throws IllegalArgumentException if the value is blank */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("a secret cannot be blank");
        }
        return new Secret(value.strip());
    }

    /** The value itself: for an Authorization header or an SDK constructor, never for text. */
    public String reveal() {
        return value;
    }

    /** True if {@code text} contains this secret (for checks that nothing leaked). */
    public boolean occursIn(CharSequence text) {
        return text != null && text.toString().contains(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "***";
    }
}
