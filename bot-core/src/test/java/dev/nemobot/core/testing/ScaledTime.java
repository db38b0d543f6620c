package dev.nemobot.core.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Time that runs {@code factor} times faster than the wall clock, so a test of a minute-long outage or a 90-second
 * render takes a second: a {@link Clock} and a {@link ScheduledExecutorService} whose delays shrink by the same
 * factor. Give both to the engine (and the clock to the simulator and the client): its waits (on the scheduler) and
 * its deadlines (on the clock) then agree, and the contract's own timings ({@code EngineTimings.defaults()}) can be
 * used unchanged. What still runs in real time: the client's time-outs and reconnect delay, and the simulator's text
 * and stage delays. Thread-safe; close it after the test (it stops the scheduler's thread).
 */
public final class ScaledTime implements AutoCloseable {
    private final long factor;
    private final Instant start = Instant.now();
    private final long startNanos = System.nanoTime();
    private final Clock clock = new Fast();
    private final Scheduler scheduler;

    public ScaledTime(long factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("factor must be >= 1, was " + factor);
        }
        this.factor = factor;
        this.scheduler = new Scheduler();
    }

    /** The fast clock: {@code factor} seconds pass for each real one. */
    public Clock clock() {
        return clock;
    }

    /** A one-thread scheduler that runs each task after its delay divided by {@code factor}. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** How long {@code injected} lasts on the wall clock. */
    public Duration real(Duration injected) {
        return injected.dividedBy(factor);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    private final class Fast extends Clock {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return start.plusNanos(Math.multiplyExact(System.nanoTime() - startNanos, factor));
        }
    }

    private final class Scheduler extends ScheduledThreadPoolExecutor {
        Scheduler() {
            super(1, r -> {
                Thread t = new Thread(r, "scaled-time");
                t.setDaemon(true);
                return t;
            });
            setRemoveOnCancelPolicy(true);
        }

        private long shrink(long delay, TimeUnit unit) {
            return unit.toNanos(delay) / factor;
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return super.schedule(command, shrink(delay, unit), TimeUnit.NANOSECONDS);
        }

        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            return super.schedule(callable, shrink(delay, unit), TimeUnit.NANOSECONDS);
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            return super.scheduleAtFixedRate(command, shrink(initialDelay, unit),
                    Math.max(1, shrink(period, unit)), TimeUnit.NANOSECONDS);
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
                                                         TimeUnit unit) {
            return super.scheduleWithFixedDelay(command, shrink(initialDelay, unit),
                    Math.max(1, shrink(delay, unit)), TimeUnit.NANOSECONDS);
        }
    }
}
