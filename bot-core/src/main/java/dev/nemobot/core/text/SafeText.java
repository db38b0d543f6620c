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
    // it grows, and the first half of a token is a leak too. Package-private for its test.
    static final Pattern SECRET_LIKE = Pattern.compile(String.join("|",
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
        String clean = inbound(text);
        // every message the bot sends and every edit of a streamed answer passes here: a scan that finds none of
        // what a match needs spares the four-way search at every position (1 % of the engine's CPU at 10 000
        // conversations, docs/benchmark.md)
        return mayHoldSecret(clean) ? SECRET_LIKE.matcher(clean).replaceAll(MASK) : clean;
    }

    /**
     * False only when {@link #SECRET_LIKE} cannot match in {@code s}: each of its forms needs one of these, which
     * one pass finds: {@code nmv_}; {@code bearer} in any case; a digit right before a colon (a Telegram token); a
     * dot right after at least 24 token characters (a Discord token's first part). Package-private for its test.
     */
    static boolean mayHoldSecret(String s) {
        int run = 0; // token characters ([A-Za-z0-9_-]) right before i
        for (int i = 0, n = s.length(); i < n; i++) {
            char ch = s.charAt(i);
            if (ch == ':' && i > 0 && isDigit(s.charAt(i - 1))
                    || ch == '.' && run >= 24
                    || ch == '_' && i >= 3 && s.startsWith("nmv", i - 3)
                    || (ch == 'r' || ch == 'R') && i >= 5 && s.regionMatches(true, i - 5, "beare", 0, 5)) {
                return true;
            }
            run = ch < 128 && (Character.isLetterOrDigit(ch) || ch == '_' || ch == '-') ? run + 1 : 0;
        }
        return false;
    }

    private static boolean isDigit(char ch) {
        return ch >= '0' && ch <= '9';
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
