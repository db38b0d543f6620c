package dev.nemobot.core.chat.options;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An option that cannot be used: an unknown flag ({@link #name} empty), or a value it does not take; says what is
 * allowed, so the user can be told before anything is spent.
 */
public final class OptionException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String given;
    private final transient VideoOptions.Name name;

    /** @param given the flag or value as the user typed it, shortened */
    OptionException(VideoOptions.Name name, String given) {
        super(name == null ? "unknown option" : "value not allowed for " + name.flag(), null, false, false);
        this.name = name;
        this.given = Objects.requireNonNull(given, "given");
    }

    /** The option whose value was refused; empty for an unknown flag. */
    public Optional<VideoOptions.Name> name() {
        return Optional.ofNullable(name);
    }

    /** What the user wrote: the unknown flag, or the refused value (at most 40 characters). */
    public String given() {
        return given;
    }

    /** The values the option takes; for an unknown flag, the flags there are. */
    public List<String> allowed() {
        return name != null ? name.allowed()
                : java.util.Arrays.stream(VideoOptions.Name.values()).map(VideoOptions.Name::flag).toList();
    }
}
