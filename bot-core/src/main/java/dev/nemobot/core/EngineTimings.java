package dev.nemobot.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Every interval and limit of the engine's conversations. {@link #defaults()} follows the contract; tests shrink them
 * instead of waiting minutes.
 *
 * @param activityEvery        renew the platform's "typing" indicator this often while working (~4 s)
 * @param stillWorkingEvery    say "⏳ Still working…" after this long without text (2 min)
 * @param heartbeatOnlyTimeout give up on a turn after this long of heartbeats only (10 min)
 * @param rateLimitRetry       wait this long before the one retry after a 429 (30 s)
 * @param editGap              at least this long between two edits of one message (1 s); what a channel allows across
 *                             its messages is the platform's ChannelBudget
 * @param statePoll            poll the session state this often while waiting for it to settle (5 s)
 * @param recoveryNotice       tell the user about a dropped stream only when recovering takes longer (30 s)
 * @param recoveryTimeout      stop polling a dropped turn's state after this long (10 min)
 * @param renderTimeout        stop polling an export after this long (15 min)
 * @param shutdownGrace        on close, wait this long for work in flight before cancelling it (20 s)
 * @param queueCapacity        at most this many messages a user can have waiting behind a running one (100; the
 *                             engine takes the smaller of this and {@code BOT_QUEUE_LIMIT}, default 9)
 */
public record EngineTimings(Duration activityEvery, Duration stillWorkingEvery, Duration heartbeatOnlyTimeout,
                            Duration rateLimitRetry, Duration editGap, Duration statePoll, Duration recoveryNotice,
                            Duration recoveryTimeout, Duration renderTimeout, Duration shutdownGrace,
                            int queueCapacity) {
    public EngineTimings {
        positive(activityEvery, "activityEvery");
        positive(stillWorkingEvery, "stillWorkingEvery");
        positive(heartbeatOnlyTimeout, "heartbeatOnlyTimeout");
        notNegative(rateLimitRetry, "rateLimitRetry");
        notNegative(editGap, "editGap");
        positive(statePoll, "statePoll");
        notNegative(recoveryNotice, "recoveryNotice");
        positive(recoveryTimeout, "recoveryTimeout");
        positive(renderTimeout, "renderTimeout");
        notNegative(shutdownGrace, "shutdownGrace");
        if (queueCapacity < 0 || queueCapacity > 100) {
            throw new IllegalArgumentException("queueCapacity must be 0..100, was " + queueCapacity);
        }
    }

    public static EngineTimings defaults() {
        return new EngineTimings(Duration.ofSeconds(4), Duration.ofMinutes(2), Duration.ofMinutes(10),
                Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofMinutes(10), Duration.ofMinutes(15), Duration.ofSeconds(20), 100);
    }

    public EngineTimings withActivityEvery(Duration d) {
        return new EngineTimings(d, stillWorkingEvery, heartbeatOnlyTimeout, rateLimitRetry, editGap, statePoll,
                recoveryNotice, recoveryTimeout, renderTimeout, shutdownGrace, queueCapacity);
    }

    public EngineTimings withStillWorkingEvery(Duration d) {
        return new EngineTimings(activityEvery, d, heartbeatOnlyTimeout, rateLimitRetry, editGap, statePoll,
                recoveryNotice, recoveryTimeout, renderTimeout, shutdownGrace, queueCapacity);
    }

    public EngineTimings withHeartbeatOnlyTimeout(Duration d) {
        return new EngineTimings(activityEvery, stillWorkingEvery, d, rateLimitRetry, editGap, statePoll,
                recoveryNotice, recoveryTimeout, renderTimeout, shutdownGrace, queueCapacity);
    }

    public EngineTimings withRateLimitRetry(Duration d) {
        return new EngineTimings(activityEvery, stillWorkingEvery, heartbeatOnlyTimeout, d, editGap, statePoll,
                recoveryNotice, recoveryTimeout, renderTimeout, shutdownGrace, queueCapacity);
    }

    public EngineTimings withEditGap(Duration d) {
        return new EngineTimings(activityEvery, stillWorkingEvery, heartbeatOnlyTimeout, rateLimitRetry, d, statePoll,
                recoveryNotice, recoveryTimeout, renderTimeout, shutdownGrace, queueCapacity);
    }

    public EngineTimings withStatePoll(Duration d) {
        return new EngineTimings(activityEvery, stillWorkingEvery, heartbeatOnlyTimeout, rateLimitRetry, editGap, d,
                recoveryNotice, recoveryTimeout, renderTimeout, shutdownGrace, queueCapacity);
    }

    public EngineTimings withRecovery(Duration notice, Duration timeout) {
        return new EngineTimings(activityEvery, stillWorkingEvery, heartbeatOnlyTimeout, rateLimitRetry, editGap,
                statePoll, notice, timeout, renderTimeout, shutdownGrace, queueCapacity);
    }

    public EngineTimings withRenderTimeout(Duration d) {
        return new EngineTimings(activityEvery, stillWorkingEvery, heartbeatOnlyTimeout, rateLimitRetry, editGap,
                statePoll, recoveryNotice, recoveryTimeout, d, shutdownGrace, queueCapacity);
    }

    public EngineTimings withShutdownGrace(Duration d) {
        return new EngineTimings(activityEvery, stillWorkingEvery, heartbeatOnlyTimeout, rateLimitRetry, editGap,
                statePoll, recoveryNotice, recoveryTimeout, renderTimeout, d, queueCapacity);
    }

    public EngineTimings withQueueCapacity(int n) {
        return new EngineTimings(activityEvery, stillWorkingEvery, heartbeatOnlyTimeout, rateLimitRetry, editGap,
                statePoll, recoveryNotice, recoveryTimeout, renderTimeout, shutdownGrace, n);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }

    private static void notNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + d);
        }
    }
}
