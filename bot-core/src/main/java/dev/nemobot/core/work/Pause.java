package dev.nemobot.core.work;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Waits on the engine's scheduler (so tests that shrink the timings, or use their own scheduler, control it), and
 * wakes early on cancellation. Blocks the calling (virtual) thread only. Thread-safe.
 */
public final class Pause {
    private final ScheduledExecutorService scheduler;

    public Pause(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /** @return true when the time passed, false when {@code cancellation} fired first */
    public boolean sleep(Duration d, Cancellation cancellation) {
        if (cancellation.isCancelled()) {
            return false;
        }
        if (d.isZero() || d.isNegative()) {
            return true;
        }
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        ScheduledFuture<?> timer = scheduler.schedule(() -> done.complete(true), d.toNanos(), TimeUnit.NANOSECONDS);
        cancellation.onCancel(() -> done.complete(false));
        try {
            return done.join();
        } finally {
            timer.cancel(false);
        }
    }
}
