package dev.nemobot.core.backend;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One segment of a {@link Track} ({@code sg[i]}). Immutable.
 *
 * @param startMs       where it starts on the timeline ({@code s}), 0 when absent
 * @param durationMs    how long it lasts ({@code d}), 0 when absent
 * @param name          its name ({@code m.name}), empty when it has none
 * @param text          the words of a text clip ({@code m.text}), when present
 * @param volumePercent its volume ({@code m.volume}) in percent, when it had a numeric one: a fraction (0.35) and a
 *                      percentage (35) both read as 35
 */
public record Clip(long startMs, long durationMs, String name, Optional<String> text, OptionalLong volumePercent) {
    public Clip {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(volumePercent, "volumePercent");
    }

    public long endMs() {
        return startMs + durationMs;
    }
}
