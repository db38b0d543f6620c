package dev.nemobot.telegram;

import java.util.ArrayList;
import java.util.List;

/** Splits plain text into pieces Telegram accepts, preferring line breaks, then spaces, never inside a surrogate pair. */
final class TextChunks {
    /** Telegram's limit for a message text, in UTF-16 code units. */
    static final int MESSAGE_LIMIT = 4096;
    /** Telegram's limit for a media caption. */
    static final int CAPTION_LIMIT = 1024;

    private TextChunks() {
    }

    static List<String> split(String text, int max) {
        if (max < 2) {
            throw new IllegalArgumentException("max must be at least 2, was " + max);
        }
        List<String> parts = new ArrayList<>();
        String rest = text;
        while (rest.length() > max) {
            int cut = rest.lastIndexOf('\n', max);
            if (cut < max / 2) {
                cut = rest.lastIndexOf(' ', max);
            }
            if (cut < max / 2) {
                cut = max;
                if (Character.isHighSurrogate(rest.charAt(cut - 1))) {
                    cut--;
                }
            }
            String head = rest.substring(0, cut).stripTrailing();
            if (!head.isEmpty()) {
                parts.add(head);
            }
            rest = rest.substring(cut).stripLeading();
        }
        rest = rest.stripTrailing();
        if (!rest.isEmpty() || parts.isEmpty()) {
            parts.add(rest);
        }
        return parts;
    }

    /** {@code text} cut to {@code max} with an ellipsis, for places that cannot be split (edits). */
    static String truncate(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int cut = max - 1;
        if (Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut) + "…";
    }
}
