package dev.nemobot.core.conversation;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One timer for every {@link Keepalive} of the same period: a wheel of {@link #SLOTS} slots turned by one task of
 * the scheduler every period / {@code SLOTS}. A member joins the slot that has just fired, so it runs once a period
 * from then on, the first time within (period − slot, period]. A task of its own for each member put 10 000–50 000
 * tasks in the scheduler's one queue, each firing reordering it (at N=50 000 the scheduler's thread took 50
 * CPU-seconds; issue 24, docs/benchmark.md). The task runs only while there are members. Thread-safe.
 */
final class Beat {
    private static final Logger log = LoggerFactory.getLogger(Beat.class);
    static final int SLOTS = 8;

    private final ScheduledExecutorService scheduler;
    private final long slotNanos;
    private final Set<Runnable>[] slots;
    private int cursor; // guarded by this
    private int members; // guarded by this
    private ScheduledFuture<?> task; // guarded by this; null while there is no member

    @SuppressWarnings("unchecked")
    Beat(ScheduledExecutorService scheduler, Duration every) {
        this.scheduler = scheduler;
        this.slotNanos = Math.max(every.toNanos() / SLOTS, 1_000_000L);
        this.slots = new Set[SLOTS];
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = ConcurrentHashMap.newKeySet();
        }
    }

    /** A member's place on the wheel, to leave it by. */
    record Seat(Runnable tick, int slot) {
    }

    /**
     * Runs {@code tick} on the scheduler's thread once a period until the seat is left ({@code tick} must be quick:
     * hand anything slow to another thread).
     *
     * @throws java.util.concurrent.RejectedExecutionException when the scheduler was shut down
     */
    synchronized Seat join(Runnable tick) {
        if (task == null) {
            task = scheduler.scheduleAtFixedRate(this::turn, slotNanos, slotNanos, TimeUnit.NANOSECONDS);
        }
        slots[cursor].add(tick);
        members++;
        return new Seat(tick, cursor);
    }

    synchronized void leave(Seat seat) {
        if (slots[seat.slot()].remove(seat.tick()) && --members == 0 && task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void turn() {
        Set<Runnable> due;
        synchronized (this) {
            cursor = (cursor + 1) % SLOTS;
            due = slots[cursor];
        }
        for (Runnable tick : due) {
            try {
                tick.run();
            } catch (RuntimeException e) {
                // one member's failure must not stop the others' (a periodic task that throws is not run again)
                log.warn("a keepalive's beat failed: {}", e.toString());
            }
        }
    }
}
