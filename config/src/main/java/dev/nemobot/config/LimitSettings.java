package dev.nemobot.config;

/**
 * Per-user limits that keep one user from crowding out the others. Immutable; validated.
 *
 * @param messagesPerMinute messages one user may send in a minute ({@code BOT_MESSAGES_PER_MINUTE}, default 20;
 *                          0 turns the limit off)
 * @param queuedMessages    messages one user may have waiting behind the running one ({@code BOT_QUEUE_LIMIT},
 *                          default 9, so a full album of 10 images fits; 0 means "one at a time, nothing waits")
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
 * @param maxTurns          turns that run at once across all users ({@code BOT_MAX_TURNS}): each holds a backend
 *                          stream (an open connection, a file descriptor) and a virtual thread for minutes, so a
 *                          burst of users is bounded here. Default {@link #machineMaxTurns}: what this JVM's heap
 *                          and file-descriptor limit hold, at most 10 000 (the load the benchmark shows a 1 GB
 *                          engine holds)
 * @param waitingTurns      turns that may wait, first come first served, for one of those ({@code BOT_MAX_WAITING_TURNS},
 *                          default 10 000); each is told its place in line; past that a turn is refused politely
 */
public record LimitSettings(int messagesPerMinute, int queuedMessages, int dailyCredits, int maxTextChars,
                            int generationCredits, int editCredits, int maxTurns, int waitingTurns) {
    public static final int DEFAULT_GENERATION_CREDITS = 10;
    public static final int DEFAULT_EDIT_CREDITS = 2;
    /** The most turns the default allows, on a machine with room for them (a 1 GB heap, 20 000 descriptors). */
    public static final int DEFAULT_MAX_TURNS = 10_000;
    /** Heap one running turn needs at most, with its share of the rest (the benchmark: 10 000 in under 700 MB). */
    static final long HEAP_PER_TURN = 100L * 1024;
    /** Descriptors kept for everything but the turns' streams: the store, the jars, the platforms' connections. */
    static final long RESERVED_DESCRIPTORS = 512;
    /** The fewest turns the default allows, however small the machine. */
    static final int MIN_DEFAULT_TURNS = 16;
    public static final int DEFAULT_WAITING_TURNS = 10_000;

    public LimitSettings {
        range("messagesPerMinute", messagesPerMinute, 0, 10_000);
        range("queuedMessages", queuedMessages, 0, 100);
        range("dailyCredits", dailyCredits, 0, 1_000_000);
        range("maxTextChars", maxTextChars, 50, 100_000);
        range("generationCredits", generationCredits, 0, 1_000_000);
        range("editCredits", editCredits, 0, 1_000_000);
        range("maxTurns", maxTurns, 1, 100_000);
        range("waitingTurns", waitingTurns, 0, 1_000_000);
    }

    /** The default global bounds. */
    public LimitSettings(int messagesPerMinute, int queuedMessages, int dailyCredits, int maxTextChars,
                         int generationCredits, int editCredits) {
        this(messagesPerMinute, queuedMessages, dailyCredits, maxTextChars, generationCredits, editCredits,
                machineMaxTurns(), DEFAULT_WAITING_TURNS);
    }

    /**
     * The default {@code BOT_MAX_TURNS}: the turns this JVM can hold without tuning, each a stream (a descriptor)
     * and some heap: {@link #maxTurns(long, long)} of the maximum heap and the process's descriptor limit.
     */
    public static int machineMaxTurns() {
        long descriptors = -1;
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            descriptors = unix.getMaxFileDescriptorCount();
        }
        return maxTurns(Runtime.getRuntime().maxMemory(), descriptors);
    }

    /**
     * Half the descriptors left after {@link #RESERVED_DESCRIPTORS} (the other half for the platforms' side of the
     * same users: webhook deliveries, uploads), no more than the heap holds at {@link #HEAP_PER_TURN} each, within
     * {@link #MIN_DEFAULT_TURNS}..{@link #DEFAULT_MAX_TURNS}.
     *
     * @param maxHeap     the JVM's maximum heap in bytes ({@code Long.MAX_VALUE}: no limit)
     * @param descriptors the process's open-file limit, or -1 when unknown (not counted)
     */
    static int maxTurns(long maxHeap, long descriptors) {
        long n = Math.min(DEFAULT_MAX_TURNS, maxHeap / HEAP_PER_TURN);
        if (descriptors > 0) {
            n = Math.min(n, (descriptors - RESERVED_DESCRIPTORS) / 2);
        }
        return (int) Math.max(MIN_DEFAULT_TURNS, n);
    }

    /** The default credit estimates. */
    public LimitSettings(int messagesPerMinute, int queuedMessages, int dailyCredits, int maxTextChars) {
        this(messagesPerMinute, queuedMessages, dailyCredits, maxTextChars, DEFAULT_GENERATION_CREDITS,
                DEFAULT_EDIT_CREDITS);
    }

    public static LimitSettings defaults() {
        return new LimitSettings(20, 9, 0, 2000);
    }

    public LimitSettings withMessagesPerMinute(int n) {
        return new LimitSettings(n, queuedMessages, dailyCredits, maxTextChars, generationCredits, editCredits,
                maxTurns, waitingTurns);
    }

    public LimitSettings withQueuedMessages(int n) {
        return new LimitSettings(messagesPerMinute, n, dailyCredits, maxTextChars, generationCredits, editCredits,
                maxTurns, waitingTurns);
    }

    public LimitSettings withDailyCredits(int n) {
        return new LimitSettings(messagesPerMinute, queuedMessages, n, maxTextChars, generationCredits, editCredits,
                maxTurns, waitingTurns);
    }

    public LimitSettings withMaxTextChars(int n) {
        return new LimitSettings(messagesPerMinute, queuedMessages, dailyCredits, n, generationCredits, editCredits,
                maxTurns, waitingTurns);
    }

    /** The credits the daily budget counts for a generation and for an edit. */
    public LimitSettings withCreditEstimates(int generation, int edit) {
        return new LimitSettings(messagesPerMinute, queuedMessages, dailyCredits, maxTextChars, generation, edit,
                maxTurns, waitingTurns);
    }

    /** The global bounds on turns running at once and waiting in line. */
    public LimitSettings withTurnBounds(int running, int waiting) {
        return new LimitSettings(messagesPerMinute, queuedMessages, dailyCredits, maxTextChars, generationCredits,
                editCredits, running, waiting);
    }

    private static void range(String name, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " must be within " + min + ".." + max + ", was " + v);
        }
    }
}
