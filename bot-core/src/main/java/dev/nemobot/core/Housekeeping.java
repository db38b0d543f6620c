package dev.nemobot.core;

import dev.nemobot.core.intake.Intake;
import dev.nemobot.core.store.Store;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While the engine runs, makes the store forget what it keeps only for a while (handled message ids, finished
 * exports, old daily spend), every {@link #EVERY}: on the engine's scheduler, so a test's scaled time runs it too.
 * (Out of {@link Engine}, which only wires it; issue 23.2.) Thread-safe.
 */
final class Housekeeping {
    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);
    static final Duration EVERY = Duration.ofHours(1);

    private final Intake intake;
    private final Store store;
    private final ScheduledFuture<?> timer;

    Housekeeping(Intake intake, Store store, ScheduledExecutorService scheduler, Executor workers,
                 BooleanSupplier closed) {
        this.intake = intake;
        this.store = store;
        this.timer = Periodic.every(EVERY, scheduler, workers, closed, this::run);
    }

    void stop() {
        timer.cancel(false);
    }

    private void run() {
        try {
            intake.forgetHandled();
            store.pruneExpired();
        } catch (RuntimeException e) {
            log.warn("store housekeeping failed: {}", e.toString());
        }
    }
}
