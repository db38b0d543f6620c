package dev.nemobot.core.testing;

import dev.nemobot.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Time that moves only when the test moves it: a {@link Clock}, a {@link ScheduledExecutorService} whose tasks run
 * when their time is reached, and a {@link ThreadFactory} for the engine's work. Nothing waits on the wall clock: a
 * 10-minute render or a day's budget takes as long as the code takes to run, and the engine runs on its production
 * timings ({@code EngineTimings.defaults()}).
 *
 * <p>Time moves on only once the engine has <em>settled</em>: every thread made by {@link #threads()} is waiting
 * (on a timer of this scheduler, a lock or a queue) or has ended. So a timer is never fired before the work that
 * should come first has scheduled its own, and the order of events is the order production would see.
 *
 * <p>{@link #runUntil} is the usual driver: it fires the next timer, lets the engine settle, and repeats until the
 * condition holds. Timers run on the calling (test) thread. Thread-safe.
 */
public final class ManualTime implements AutoCloseable {
    /** How long (on the wall clock) the engine may take to settle before the test fails: only a stuck test waits. */
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(20);

    private final Object lock = new Object();
    private final PriorityQueue<Timer<?>> timers = new PriorityQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final ThreadFactory virtual = Thread.ofVirtual().name("spec-", 0).factory();
    private final Scheduler scheduler = new Scheduler();
    private final MutableClock clock;
    private volatile boolean shutdown;

    public ManualTime(Instant start) {
        this.clock = new MutableClock(start);
    }

    /** Starts at 2026-12-04 12:00 UTC. */
    public ManualTime() {
        this(Instant.parse("2026-12-04T12:00:00Z"));
    }

    public Clock clock() {
        return clock;
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Virtual threads this clock keeps track of (give it to {@code Engine.Builder.threads}). */
    public ThreadFactory threads() {
        return r -> {
            Thread t = virtual.newThread(() -> {
                try {
                    r.run();
                } finally {
                    threads.remove(Thread.currentThread());
                }
            });
            threads.add(t);
            return t;
        };
    }

    public Instant now() {
        return clock.instant();
    }

    /** Timers waiting to fire (periodic ones included). */
    public int pending() {
        synchronized (lock) {
            return (int) timers.stream().filter(t -> !t.isDone()).count();
        }
    }

    /**
     * Moves time forward by {@code d}, firing every timer that falls due on the way, in time order, each once the
     * engine has settled after the one before.
     */
    public void advance(Duration d) {
        Instant target = now().plus(d);
        while (true) {
            settle();
            Timer<?> next = nextDue(target);
            if (next == null) {
                break;
            }
            fire(next);
        }
        clock.set(target);
        settle();
    }

    /**
     * Moves time forward by {@code d} at once, as if the machine had been suspended: the timers that fell due on the
     * way fire once each (periodic ones then go on from the new time), not once for every period missed. For a
     * day's or a week's gap, where firing a 15-second timer thousands of times would only slow the spec.
     */
    public void jump(Duration d) {
        settle();
        clock.set(now().plus(d));
        advance(Duration.ZERO);
    }

    /**
     * Fires timers in time order until {@code condition} holds (checked whenever the engine has settled).
     *
     * @param within how far time may move before the test fails
     * @return how much time passed
     * @throws AssertionError naming {@code what} when the condition still fails after {@code within}, or when no
     *                        timer is left to fire (nothing more can happen)
     */
    public Duration runUntil(BooleanSupplier condition, Duration within, String what) {
        Instant start = now();
        Instant limit = start.plus(within);
        while (true) {
            settle();
            if (condition.getAsBoolean()) {
                return Duration.between(start, now());
            }
            settle(); // a thread the check held up (on a lock the test thread took) goes on before time moves
            Timer<?> next = nextDue(limit);
            if (next == null) {
                throw new AssertionError("still waiting for " + what + " after " + Duration.between(start, now())
                        + (pending() == 0 ? " (no timer left: nothing more will happen)" : " (the limit was " + within + ")"));
            }
            fire(next);
        }
    }

    /** Waits (on the wall clock, briefly) until every thread made by {@link #threads()} is waiting or has ended. */
    public void settle() {
        long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        int quietChecks = 0;
        while (quietChecks < 3) {
            if (allWaiting()) {
                quietChecks++;
                Thread.yield();
            } else {
                quietChecks = 0;
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("the engine did not settle in " + SETTLE_LIMIT + ": " + busy());
                }
                LockSupport.parkNanos(50_000L); // a poll of the threads' states; nothing is waited for by time
            }
        }
    }

    private boolean allWaiting() {
        for (Thread t : threads) {
            Thread.State s = t.getState();
            if (s == Thread.State.NEW || s == Thread.State.RUNNABLE) {
                return false;
            }
        }
        return true;
    }

    private List<String> busy() {
        List<String> out = new ArrayList<>();
        for (Thread t : threads) {
            Thread.State s = t.getState();
            if (s == Thread.State.NEW || s == Thread.State.RUNNABLE) {
                StackTraceElement[] st = t.getStackTrace();
                out.add(t.getName() + " " + s + (st.length > 0 ? " at " + st[0] : ""));
            }
        }
        return out;
    }

    private Timer<?> nextDue(Instant limit) {
        synchronized (lock) {
            while (!timers.isEmpty() && timers.peek().isDone()) {
                timers.poll(); // cancelled
            }
            Timer<?> next = timers.peek();
            if (next == null || next.at.isAfter(limit)) {
                return null;
            }
            return timers.poll();
        }
    }

    private void fire(Timer<?> t) {
        if (t.at.isAfter(now())) {
            clock.set(t.at);
        }
        t.run();
    }

    private void add(Timer<?> t) {
        synchronized (lock) {
            if (shutdown) {
                throw new java.util.concurrent.RejectedExecutionException("manual time is closed");
            }
            timers.add(t);
        }
    }

    @Override
    public void close() {
        shutdown = true;
        synchronized (lock) {
            timers.forEach(t -> t.cancel(false));
            timers.clear();
        }
    }

    /** A task due at {@code at}; a periodic one ({@code period} not zero) puts itself back after running. */
    private final class Timer<V> extends FutureTask<V> implements ScheduledFuture<V> {
        private final long seq = sequence.incrementAndGet();
        private volatile Instant at;
        private final Duration period; // > 0 fixed rate, < 0 fixed delay, 0 once

        Timer(Callable<V> task, Instant at, Duration period) {
            super(task);
            this.at = at;
            this.period = period;
        }

        @Override
        public void run() {
            if (period.isZero()) {
                super.run();
            } else if (runAndReset() && !shutdown) {
                Instant next = period.isPositive() ? at.plus(period) : now().plus(period.negated());
                at = next.isBefore(now()) ? now().plus(period.abs()) : next; // periods missed in a jump are skipped
                add(this);
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(Duration.between(now(), at));
        }

        @Override
        public int compareTo(Delayed o) {
            Timer<?> other = (Timer<?>) o;
            int c = at.compareTo(other.at);
            return c != 0 ? c : Long.compare(seq, other.seq);
        }
    }

    private final class Scheduler extends AbstractExecutorService implements ScheduledExecutorService {
        private <V> Timer<V> at(Callable<V> task, long delay, TimeUnit unit, Duration period) {
            Timer<V> t = new Timer<>(task, now().plusNanos(Math.max(0, unit.toNanos(delay))), period);
            add(t);
            return t;
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return at(java.util.concurrent.Executors.callable(command), delay, unit, Duration.ZERO);
        }

        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            return at(callable, delay, unit, Duration.ZERO);
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            return at(java.util.concurrent.Executors.callable(command), initialDelay, unit,
                    Duration.ofNanos(Math.max(1, unit.toNanos(period))));
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
                                                         TimeUnit unit) {
            return at(java.util.concurrent.Executors.callable(command), initialDelay, unit,
                    Duration.ofNanos(Math.max(1, unit.toNanos(delay))).negated());
        }

        /** Runs at the current time, when the test next lets time move (or settles). */
        @Override
        public void execute(Runnable command) {
            schedule(command, 0, TimeUnit.NANOSECONDS);
        }

        @Override
        public void shutdown() {
            close();
        }

        @Override
        public List<Runnable> shutdownNow() {
            close();
            return Collections.emptyList();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return shutdown;
        }
    }
}
