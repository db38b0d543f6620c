package dev.nemobot.core.backend;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * One file uploaded to the session, as the project lists it ({@code state.video_infos[i]}). Immutable.
 *
 * @param name     its name as the backend sent it (raw: show it only through a display filter), empty when it had none
 * @param imageUrl where the backend keeps it, when the project lists it as an image ({@code type} "image") with an
 *                 absolute http(s) {@code url}: what the backend can fetch again into another project
 */
public record UploadedFile(String name, Optional<URI> imageUrl) {
    public UploadedFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(imageUrl, "imageUrl");
    }

    /** A file with no known image URL. */
    public UploadedFile(String name) {
        this(name, Optional.empty());
    }
}
