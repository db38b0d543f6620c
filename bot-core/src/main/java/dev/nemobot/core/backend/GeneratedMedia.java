package dev.nemobot.core.backend;

import java.util.Objects;

/**
 * One thing the generation stage made or is making ({@code state.generated_media[i]}). Immutable.
 *
 * @param status where it is
 */
public record GeneratedMedia(Status status) {
    public GeneratedMedia {
        Objects.requireNonNull(status, "status");
    }

    public enum Status {
        /** processing, pending, queued or running: the second stage is not done */
        WORKING,
        COMPLETED,
        /** failed, or a status the contract does not name, or none */
        OTHER
    }
}
