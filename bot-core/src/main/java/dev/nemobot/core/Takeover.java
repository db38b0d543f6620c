package dev.nemobot.core;

import dev.nemobot.core.chat.ChatPlatform;
import dev.nemobot.core.conversation.InterruptedTurns;
import dev.nemobot.core.export.ExportResumption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work other instances left: when a platform attaches, its exports and cut-off turns from before a restart; then,
 * every half lease, those of instances that stopped or died (their leases lapsed): their exports are polled to the end
 * and delivered here, their users' cut-off turns are told about. (Out of {@link Engine}, which only wires it; issue
 * 23.2.) Thread-safe.
 */
final class Takeover {
    private static final Logger log = LoggerFactory.getLogger(Takeover.class);

    private final ExportResumption exports;
    private final InterruptedTurns turns;
    private final List<ChatPlatform> attached;
    private final ScheduledExecutorService scheduler;
    private final Executor workers;
    private final Duration every;
    private final BooleanSupplier closed;
    private ScheduledFuture<?> timer;

    /**
     * @param attached the engine's attached platforms, as they are when each round runs
     * @param every    how often to look (half the lease)
     */
    Takeover(ExportResumption exports, InterruptedTurns turns, List<ChatPlatform> attached,
             ScheduledExecutorService scheduler, Executor workers, Duration every, BooleanSupplier closed) {
        this.exports = exports;
        this.turns = turns;
        this.attached = attached;
        this.scheduler = scheduler;
        this.workers = workers;
        this.every = every;
        this.closed = closed;
    }

    /** Resumes what {@code platform}'s users were waiting for on this instance before a restart. */
    void resumeOwn(ChatPlatform platform) {
        exports.resume(platform, true);
        turns.resume(platform, true);
    }

    /** Starts the rounds (once; later calls do nothing). */
    synchronized void start() {
        if (timer != null) {
            return;
        }
        timer = Periodic.every(every, scheduler, workers, closed, this::takeOver);
    }

    synchronized void stop() {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private void takeOver() {
        for (ChatPlatform p : attached) {
            if (closed.getAsBoolean()) {
                return;
            }
            try {
                exports.resume(p, false);
                turns.resume(p, false);
            } catch (RuntimeException e) {
                log.warn("{}: taking over lapsed work failed: {}", p.name(), e.toString());
            }
        }
    }
}
