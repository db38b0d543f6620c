package dev.nemobot.core.text;

import java.util.regex.Pattern;

/**
 * Cleans text crossing the bot's edges. {@link #inbound} cleans what a user sends before it is routed, counted
 * or passed to the backend; {@link #outbound} cleans everything the bot says, the backend's words included, and
 * masks anything shaped like a secret. Stateless and thread-safe.
 */
public final class SafeText {
    /** What a masked secret becomes. */
    public static final String MASK = "***";

    // backend tokens (nmv_usr_...), "Bearer x" echoes, Telegram bot tokens (123456:AA...), Discord bot tokens
    // (id.timestamp.hmac). No minimum length after the part that gives them away: streamed text is shown while
    // it grows, and the first half of a token is a leak too
    private static final Pattern SECRET_LIKE = Pattern.compile(String.join("|",
            "nmv_[A-Za-z0-9_\\-.]+",
            "(?i:bearer)\\s+[A-Za-z0-9_\\-.~+/=]{8,}",
            "\\b[0-9]{6,12}:[A-Za-z0-9_-]+",
            "\\b[MNO][A-Za-z0-9_-]{23,27}\\.[A-Za-z0-9_-]{6,7}\\.[A-Za-z0-9_-]*"));

    private SafeText() {
    }

    /**
     * A user's text without control characters (tabs and line breaks stay; CR LF becomes LF), invisible format
     * characters (bidirectional overrides and isolates, zero-width spaces, BOM, tag characters that can smuggle
     * hidden instructions to the agent; the zero-width joiners emoji and some scripts need stay), noncharacters and
     * lone surrogates. Stripped; null becomes "".
     */
    public static String inbound(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        int n = text.length();
        for (int i = 0; i < n; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\r') {
                if (i < n && text.charAt(i) == '\n') {
                    continue; // the LF that follows is kept
                }
                out.append('\n');
            } else if (cp == '\u2028' || cp == '\u2029') {
                out.append('\n');
            } else if (keep(cp)) {
                out.appendCodePoint(cp);
            }
        }
        return out.toString().strip();
    }

    /** Text for a chat: {@link #inbound} cleaning, and anything shaped like a token replaced by {@link #MASK}. */
    public static String outbound(String text) {
        return SECRET_LIKE.matcher(inbound(text)).replaceAll(MASK);
    }

    private static boolean keep(int cp) {
        if (cp == '\n' || cp == '\t' || cp == '\u200C' || cp == '\u200D') {
            return true;
        }
        if ((cp & 0xFFFE) == 0xFFFE || (cp >= 0xFDD0 && cp <= 0xFDEF)) {
            return false; // noncharacters
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE -> false;
            default -> true;
        };
    }
}
