package dev.nemobot.core.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nemobot.core.backend.SessionState;
import java.util.Locale;

/** Facts about a session's state the engine decides on. Stateless. */
public final class Drafts {
    private Drafts() {
    }

    /** Exportable: some track in {@code t} has a non-empty {@code sg}. */
    public static boolean exportable(JsonNode draft) {
        if (draft == null || !draft.path("t").isArray()) {
            return false;
        }
        for (JsonNode track : draft.path("t")) {
            JsonNode sg = track.path("sg");
            if (sg.isArray() && !sg.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    public static boolean exportable(SessionState state) {
        return state.draft().map(Drafts::exportable).orElse(false);
    }

    /** True while some {@code generated_media} entry is still being made (the second stage is not done). */
    public static boolean processing(SessionState state) {
        JsonNode media = state.state().path("generated_media");
        if (!media.isArray()) {
            return false;
        }
        for (JsonNode m : media) {
            String status = m.path("status").asText("").toLowerCase(Locale.ROOT);
            if (status.equals("processing") || status.equals("pending") || status.equals("queued")
                    || status.equals("running")) {
                return true;
            }
        }
        return false;
    }

    /** At most this many uploaded file names are named back. */
    private static final int MAX_NAMES = 3;

    /**
     * The names of the files uploaded to the session ({@code video_infos[].name}), newest last, at most
     * {@value #MAX_NAMES}; raw as the backend sent them (shown only through {@code FileNames.forDisplay}).
     */
    public static java.util.List<String> uploadNames(SessionState state) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (JsonNode info : state.state().path("video_infos")) {
            String name = info.path("name").asText("");
            if (!name.isBlank()) {
                names.add(name);
            }
        }
        return java.util.List.copyOf(names.subList(Math.max(0, names.size() - MAX_NAMES), names.size()));
    }

    /** How many {@code generated_media} entries are complete. */
    public static int completedMedia(SessionState state) {
        int n = 0;
        for (JsonNode m : state.state().path("generated_media")) {
            if (m.path("status").asText("").equalsIgnoreCase("completed")) {
                n++;
            }
        }
        return n;
    }
}
