package dev.nemobot.core.backend;

import java.util.List;

/** What the backend accepted: the names (or ids) of the stored files. */
public record UploadResult(List<String> files) {
    public UploadResult {
        files = List.copyOf(files);
    }
}
