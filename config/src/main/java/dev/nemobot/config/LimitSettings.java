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
 * @param generationCredits what the daily budget counts for a turn in which the backend generated a video
 *                          ({@code BOT_GENERATION_CREDITS}, default 10). The contract publishes no prices and a
 *                          shared token's balance moves with every user's work, so the budget counts these
 *                          estimates; set them to the account's real prices
 * @param editCredits       what the daily budget counts for a turn in which the backend ran any other tool (an
 *                          edit) ({@code BOT_EDIT_CREDITS}, default 2); a turn with no tool (a chat answer) counts 0
 */
public record LimitSettings(int messagesPerMinute, int queuedMessages, int dailyCredits, int maxTextChars,
                            int generationCredits, int editCredits) {
    public static final int DEFAULT_GENERATION_CREDITS = 10;
    public static final int DEFAULT_EDIT_CREDITS = 2;

    public LimitSettings {
        range("messagesPerMinute", messagesPerMinute, 0, 10_000);
        range("queuedMessages", queuedMessages, 0, 100);
        range("dailyCredits", dailyCredits, 0, 1_000_000);
        range("maxTextChars", maxTextChars, 50, 100_000);
        range("generationCredits", generationCredits, 0, 1_000_000);
        range("editCredits", editCredits, 0, 1_000_000);
    }

    /** The default credit estimates. */
    public LimitSettings(int messagesPerMinute, int queuedMessages, int dailyCredits, int maxTextChars) {
        this(messagesPerMinute, queuedMessages, dailyCredits, maxTextChars, DEFAULT_GENERATION_CREDITS,
                DEFAULT_EDIT_CREDITS);
    }

    public static LimitSettings defaults() {
        return new LimitSettings(20, 3, 0, 2000);
    }

    public LimitSettings withMessagesPerMinute(int n) {
        return new LimitSettings(n, queuedMessages, dailyCredits, maxTextChars, generationCredits, editCredits);
    }

    public LimitSettings withQueuedMessages(int n) {
        return new LimitSettings(messagesPerMinute, n, dailyCredits, maxTextChars, generationCredits, editCredits);
    }

    public LimitSettings withDailyCredits(int n) {
        return new LimitSettings(messagesPerMinute, queuedMessages, n, maxTextChars, generationCredits, editCredits);
    }

    public LimitSettings withMaxTextChars(int n) {
        return new LimitSettings(messagesPerMinute, queuedMessages, dailyCredits, n, generationCredits, editCredits);
    }

    /** The credits the daily budget counts for a generation and for an edit. */
    public LimitSettings withCreditEstimates(int generation, int edit) {
        return new LimitSettings(messagesPerMinute, queuedMessages, dailyCredits, maxTextChars, generation, edit);
    }

    private static void range(String name, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " must be within " + min + ".." + max + ", was " + v);
        }
    }
}
