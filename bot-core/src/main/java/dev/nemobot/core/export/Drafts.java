package dev.nemobot.core.export;

import dev.nemobot.core.backend.Draft;
import dev.nemobot.core.backend.GeneratedMedia;
import dev.nemobot.core.backend.SessionState;

/** Facts about a session's state the engine decides on. Stateless. */
public final class Drafts {
    private Drafts() {
    }

    /** Exportable: some track of the draft has a clip. */
    public static boolean exportable(Draft draft) {
        return draft != null && draft.hasClips();
    }

    public static boolean exportable(SessionState state) {
        return state.draft().map(Drafts::exportable).orElse(false);
    }

    /** True while some generated media is still being made (the second stage is not done). */
    public static boolean processing(SessionState state) {
        return state.project().media().stream().anyMatch(m -> m.status() == GeneratedMedia.Status.WORKING);
    }

    /** How many generated media are complete. */
    public static int completedMedia(SessionState state) {
        return (int) state.project().media().stream()
                .filter(m -> m.status() == GeneratedMedia.Status.COMPLETED).count();
    }
}
