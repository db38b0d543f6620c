package dev.nemobot.config;

/**
 * Per-user limits that keep one user from crowding out the others. Immutable; validated.
 *
 * @param messagesPerMinute messages one user may send in a minute ({@code BOT_MESSAGES_PER_MINUTE}, default 20;
 *                          0 turns the limit off)
 * @param queuedMessages    messages one user may have waiting behind the running one ({@code BOT_QUEUE_LIMIT},
 *                          default 3; 0 means "one at a time, nothing waits")
 * @param dailyCredits      backend credits one user may spend per day (UTC) when every user shares the operator's
 *                          {@code NEMO_TOKEN} ({@code BOT_DAILY_CREDITS}, default 0: no budget). Anonymous users
 *                          spend their own credits, so the budget does not apply to them
 * @param maxTextChars      the longest message or caption passed to the backend ({@code BOT_MAX_TEXT_CHARS},
 *                          default 2000); longer ones are refused with a polite note
 */
public record LimitSettings(int messagesPerMinute, int queuedMessages, int dailyCredits, int maxTextChars) {
    public LimitSettings {
        range("messagesPerMinute", messagesPerMinute, 0, 10_000);
        range("queuedMessages", queuedMessages, 0, 100);
        range("dailyCredits", dailyCredits, 0, 1_000_000);
        range("maxTextChars", maxTextChars, 50, 100_000);
    }

    public static LimitSettings defaults() {
        return new LimitSettings(20, 3, 0, 2000);
    }

    public LimitSettings withMessagesPerMinute(int n) {
        return new LimitSettings(n, queuedMessages, dailyCredits, maxTextChars);
    }

    public LimitSettings withQueuedMessages(int n) {
        return new LimitSettings(messagesPerMinute, n, dailyCredits, maxTextChars);
    }

    public LimitSettings withDailyCredits(int n) {
        return new LimitSettings(messagesPerMinute, queuedMessages, n, maxTextChars);
    }

    public LimitSettings withMaxTextChars(int n) {
        return new LimitSettings(messagesPerMinute, queuedMessages, dailyCredits, n);
    }

    private static void range(String name, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " must be within " + min + ".." + max + ", was " + v);
        }
    }
}
