package dev.nemobot.core.backend;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An export (render) job as last seen.
 *
 * @param id        the {@code render_<ts>} id we chose
 * @param status    where it is
 * @param progress  percent done, when the backend said
 * @param outputUrl the MP4's address once completed
 * @param error     the backend's reason when failed
 */
public record RenderJob(String id, Status status, OptionalInt progress, Optional<URI> outputUrl, Optional<String> error) {
    public RenderJob {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(outputUrl, "outputUrl");
        Objects.requireNonNull(error, "error");
    }

    public enum Status {
        PENDING, PROCESSING, COMPLETED, FAILED;

        public boolean finished() {
            return this == COMPLETED || this == FAILED;
        }
    }
}
