package dev.nemobot.core.conversation;

import dev.nemobot.core.chat.Activity;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Starts the "typing…" indicator a piece of work shows while it runs ({@link Keepalive}), renewed every {@code every}
 * (~4 s) on one {@link Beat} shared by all of them. Thread-safe.
 */
final class ActivityIndicator {
    private final Executor workers;
    private final Beat beat;

    ActivityIndicator(ScheduledExecutorService scheduler, Executor workers, Duration every) {
        this.workers = workers;
        this.beat = new Beat(scheduler, every);
    }

    /** Shows the indicator to {@code to} at once, until the returned keepalive is closed. */
    public Keepalive start(Replier to) {
        return Keepalive.start(beat, workers, to, Activity.TYPING);
    }
}
