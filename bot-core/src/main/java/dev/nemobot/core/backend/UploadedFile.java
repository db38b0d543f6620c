package dev.nemobot.core.backend;

import java.util.Objects;

/**
 * One file uploaded to the session, as the project lists it ({@code state.video_infos[i]}). Immutable.
 *
 * @param name its name as the backend sent it (raw: show it only through a display filter), empty when it had none
 */
public record UploadedFile(String name) {
    public UploadedFile {
        Objects.requireNonNull(name, "name");
    }
}
