package dev.nemobot.core.backend;

import java.util.List;
import java.util.Objects;

/**
 * One track of a {@link Draft} ({@code t[i]}). Immutable.
 *
 * @param kind  what the track holds ({@code tt})
 * @param clips its segments ({@code sg}), in order; empty when it has none
 */
public record Track(Kind kind, List<Clip> clips) {
    public Track {
        Objects.requireNonNull(kind, "kind");
        clips = List.copyOf(clips);
    }

    /** The track types of the contract ({@code tt}): 0 video, 1 audio, 7 text; anything else is {@link #OTHER}. */
    public enum Kind {
        VIDEO, AUDIO, TEXT, OTHER;

        /** The kind of a {@code tt} code. */
        public static Kind of(int code) {
            return switch (code) {
                case 0 -> VIDEO;
                case 1 -> AUDIO;
                case 7 -> TEXT;
                default -> OTHER;
            };
        }
    }
}
