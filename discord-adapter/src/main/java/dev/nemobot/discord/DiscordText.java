package dev.nemobot.discord;

/**
 * Turns the engine's plain text into Discord message content: markdown characters escaped (links left intact so
 * they stay clickable); the content is then cut to Discord's {@link #MAX_LENGTH} by the engine's
 * {@link dev.nemobot.core.chat.kit.TextSplitter}, which keeps each {@link #ESCAPE} with the character it escapes.
 * Stateless.
 */
final class DiscordText {
    /** Discord's content limit for a message. */
    static final int MAX_LENGTH = 2000;
    /** Discord markdown's escape character: a piece of content must not end on it. */
    static final char ESCAPE = '\\';

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
                    out.append(ESCAPE);
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
}
