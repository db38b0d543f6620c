package dev.nemobot.core.conversation;

/**
 * The follow-up prompts the buttons under a delivered video send to the backend, in the same session (the
 * contract: a generation is "animate this image into a 5-second video…", an edit is said in words). Sent to the
 * backend, never shown to the user. Stateless.
 */
final class QuickEdits {
    private QuickEdits() {
    }

    /** "Again": the same image and request, a new take. */
    public static String again(String request) {
        return "Generate a new take of the video from the same image, with the same request: " + request;
    }

    /** "Longer": the same image and request, a new take about twice as long. */
    public static String longer(String request) {
        return "Generate a new, longer take of the video from the same image (about twice as long as the last one), "
                + "with the same request: " + request;
    }

    /** "Add music": soft background music under the current clip. */
    public static String addMusic() {
        return "Add soft background music to the clip.";
    }
}
