package dev.nemobot.core.conversation;

import dev.nemobot.core.chat.Activity;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Starts the "typing…" indicator a piece of work shows while it runs ({@link Keepalive}), renewed {@code every}.
 *
 * @param every how often the platform's indicator is renewed (~4 s)
 */
record ActivityIndicator(ScheduledExecutorService scheduler, Executor workers, Duration every) {

    /** Shows the indicator to {@code to} at once, until the returned keepalive is closed. */
    public Keepalive start(Replier to) {
        return Keepalive.start(scheduler, workers, every, to, Activity.TYPING);
    }
}
