package dev.nemobot.core.backend;


/** Facts about a session's state the engine decides on. Stateless. */
public final class Drafts {
    private Drafts() {
    }

    /** Exportable: some track of the draft has a clip. */
    static boolean exportable(Draft draft) {
        return draft != null && draft.hasClips();
    }

    public static boolean exportable(SessionState state) {
        return state.draft().map(Drafts::exportable).orElse(false);
    }

    /** True while some generated media is still being made (the second stage is not done). */
    public static boolean processing(SessionState state) {
        return state.project().media().stream().anyMatch(m -> m.status() == GeneratedMedia.Status.WORKING);
    }

    /** At most this many uploaded file names are named back. */
    private static final int MAX_NAMES = 3;

    /**
     * The names of the files uploaded to the session, newest last, at most {@value #MAX_NAMES}; raw as the backend
     * sent them (shown only through {@code FileNames.forDisplay}).
     */
    public static java.util.List<String> uploadNames(SessionState state) {
        java.util.List<String> names = state.project().uploads().stream().map(UploadedFile::name)
                .filter(n -> !n.isBlank()).toList();
        return java.util.List.copyOf(names.subList(Math.max(0, names.size() - MAX_NAMES), names.size()));
    }

    /** How many generated media are complete. */
    public static int completedMedia(SessionState state) {
        return (int) state.project().media().stream()
                .filter(m -> m.status() == GeneratedMedia.Status.COMPLETED).count();
    }
}
