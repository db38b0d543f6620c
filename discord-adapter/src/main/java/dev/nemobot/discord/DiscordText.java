package dev.nemobot.discord;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the engine's plain text into Discord message content: markdown characters escaped (links left intact so
 * they stay clickable) and split into pieces Discord accepts. Stateless.
 */
final class DiscordText {
    /** Discord's content limit for a message. */
    static final int MAX_LENGTH = 2000;

    private DiscordText() {
    }

    /** Escapes Discord markdown outside of http(s) links. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        int i = 0;
        while (i < text.length()) {
            int linkStart = nextLink(text, i);
            int end = linkStart < 0 ? text.length() : linkStart;
            for (int j = i; j < end; j++) {
                char c = text.charAt(j);
                if ("\\*_~`|>#".indexOf(c) >= 0 && needsEscape(text, j)) {
                    out.append('\\');
                }
                out.append(c);
            }
            if (linkStart < 0) {
                break;
            }
            int linkEnd = linkStart;
            while (linkEnd < text.length() && !Character.isWhitespace(text.charAt(linkEnd))) {
                linkEnd++;
            }
            out.append(text, linkStart, linkEnd);
            i = linkEnd;
        }
        return out.toString();
    }

    // '#' and '>' only start markup (heading, quote) at the beginning of a line; elsewhere they are left alone
    private static boolean needsEscape(String text, int index) {
        char c = text.charAt(index);
        if (c == '#' || c == '>') {
            int lineStart = text.lastIndexOf('\n', index - 1) + 1;
            return text.substring(lineStart, index).isBlank();
        }
        return true;
    }

    private static int nextLink(String text, int from) {
        int http = text.indexOf("http://", from);
        int https = text.indexOf("https://", from);
        if (http < 0) {
            return https;
        }
        return https < 0 ? http : Math.min(http, https);
    }

    /**
     * Splits content into pieces of at most {@code max} characters, preferring line breaks, then spaces, and
     * never cutting a surrogate pair.
     */
    static List<String> split(String content, int max) {
        if (max < 2) {
            throw new IllegalArgumentException("max must be at least 2, was " + max);
        }
        List<String> pieces = new ArrayList<>();
        String rest = content;
        while (rest.length() > max) {
            int cut = rest.lastIndexOf('\n', max);
            if (cut < max / 2) {
                cut = rest.lastIndexOf(' ', max);
            }
            if (cut < max / 2) {
                cut = Character.isLowSurrogate(rest.charAt(max)) ? max - 1 : max;
            }
            // never leave a lone backslash escape at the end of a piece
            while (cut > 1 && rest.charAt(cut - 1) == '\\') {
                cut--;
            }
            pieces.add(rest.substring(0, cut).stripTrailing());
            rest = rest.substring(cut).stripLeading();
        }
        if (!rest.isEmpty() || pieces.isEmpty()) {
            pieces.add(rest);
        }
        return pieces;
    }

    /** Cuts content to one message (for edits, which cannot split), marking the cut. */
    static String truncate(String content, int max) {
        if (content.length() <= max) {
            return content;
        }
        int cut = max - 1;
        if (Character.isLowSurrogate(content.charAt(cut))) {
            cut--;
        }
        while (cut > 0 && content.charAt(cut - 1) == '\\') {
            cut--;
        }
        return content.substring(0, cut) + "…";
    }
}
