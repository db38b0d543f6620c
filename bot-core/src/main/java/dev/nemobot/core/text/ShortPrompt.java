package dev.nemobot.core.text;

/**
 * A short form of what a user asked for, repeated with the result so that in a busy group everyone sees which request
 * a video answers: one line, at most {@link #MAX} characters, cut at a word where there is one (else between two
 * characters, never inside one), ending in "…" when cut. Stateless.
 */
public final class ShortPrompt {
    /** The longest short form, in characters (code points), the "…" included. */
    public static final int MAX = 60;

    private ShortPrompt() {
    }

    /** The short form of {@code prompt}; "" for a blank one. */
    public static String of(String prompt) {
        String line = prompt == null ? "" : prompt.replaceAll("\\s+", " ").strip();
        if (line.codePointCount(0, line.length()) <= MAX) {
            return line;
        }
        int limit = line.offsetByCodePoints(0, MAX - 1); // room for the "…"
        int space = line.lastIndexOf(' ', limit);
        // a word boundary when it keeps most of the text; languages without spaces are cut between characters
        int cut = space > limit / 2 ? space : limit;
        String head = line.substring(0, cut).strip().replaceAll("[\\p{Punct}\\s]+$", "");
        return head + "…";
    }

    /** {@code caption} preceded by the quoted short form of {@code prompt}, or {@code caption} alone when there is none. */
    public static String withCaption(String prompt, String caption) {
        String shortForm = of(prompt);
        return shortForm.isEmpty() ? caption : "“" + shortForm + "”\n" + caption;
    }
}
