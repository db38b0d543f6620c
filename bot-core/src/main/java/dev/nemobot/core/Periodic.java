package dev.nemobot.core;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The engine's recurring jobs: timed on its scheduler, run on its workers, skipped once it closes. */
final class Periodic {
    private Periodic() {
    }

    static ScheduledFuture<?> every(Duration every, ScheduledExecutorService scheduler, Executor workers,
                                    BooleanSupplier closed, Runnable job) {
        return scheduler.scheduleWithFixedDelay(() -> {
            if (closed.getAsBoolean()) {
                return;
            }
            try {
                workers.execute(job);
            } catch (RuntimeException rejected) {
                // closing
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }
}
