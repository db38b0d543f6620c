package dev.nemobot.core.chat.kit;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a reply into pieces a platform accepts: at most {@code max} UTF-16 units each, cut at a line break, else at a
 * space (either only when it leaves the piece at least half full), else hard, never inside a surrogate pair. Pieces
 * lose the white space at the cut; none is empty unless the whole text is. With an escape character (Discord's
 * markdown {@code \}), a piece never ends on it, so an escape stays with the character it escapes. Each adapter
 * brings only its limits and escaping. Stateless.
 */
public final class TextSplitter {
    /** No escape character: any character may end a piece. */
    private static final int NO_ESCAPE = -1;

    private TextSplitter() {
    }

    /** {@code text} in pieces of at most {@code max} (at least 2) UTF-16 units; one piece when it fits. */
    public static List<String> split(String text, int max) {
        return split(text, max, NO_ESCAPE);
    }

    /** As {@link #split(String, int)}, and no piece ends on {@code escape}. */
    public static List<String> split(String text, int max, char escape) {
        return split(text, max, (int) escape);
    }

    private static List<String> split(String text, int max, int escape) {
        if (max < 2) {
            throw new IllegalArgumentException("max must be at least 2, was " + max);
        }
        List<String> pieces = new ArrayList<>();
        String rest = text;
        while (rest.length() > max) {
            int cut = rest.lastIndexOf('\n', max);
            if (cut < max / 2) {
                cut = rest.lastIndexOf(' ', max);
            }
            if (cut < max / 2) {
                cut = Character.isSurrogatePair(rest.charAt(max - 1), rest.charAt(max)) ? max - 1 : max;
            }
            while (cut > 1 && rest.charAt(cut - 1) == escape) {
                cut--;
            }
            String head = rest.substring(0, cut).stripTrailing();
            if (!head.isEmpty()) {
                pieces.add(head);
            }
            rest = rest.substring(cut).stripLeading();
        }
        rest = rest.stripTrailing();
        if (!rest.isEmpty() || pieces.isEmpty()) {
            pieces.add(rest);
        }
        return pieces;
    }

    /** {@code text} cut to {@code max} (at least 2) with an ellipsis, for places that cannot split (edits). */
    public static String truncate(String text, int max) {
        return truncate(text, max, NO_ESCAPE);
    }

    /** As {@link #truncate(String, int)}, and the kept part does not end on {@code escape}. */
    public static String truncate(String text, int max, char escape) {
        return truncate(text, max, (int) escape);
    }

    private static String truncate(String text, int max, int escape) {
        if (text.length() <= max) {
            return text;
        }
        int cut = max - 1;
        if (cut > 0 && Character.isSurrogatePair(text.charAt(cut - 1), text.charAt(cut))) {
            cut--;
        }
        while (cut > 0 && text.charAt(cut - 1) == escape) {
            cut--;
        }
        return text.substring(0, cut) + "…";
    }
}
