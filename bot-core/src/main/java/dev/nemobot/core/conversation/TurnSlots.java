package dev.nemobot.core.conversation;

import dev.nemobot.core.work.Cancellation;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.IntConsumer;

/**
 * The global bound on turns in flight: at most {@code maxRunning} run at once across all users (each holds a backend
 * stream, a connection and a thread for minutes); up to {@code maxWaiting} more wait in one first-come, first-served
 * line and are told their place; beyond that a turn is refused. Whoever is {@link #enter entered} must
 * {@link Slot#close close} the slot, which hands it straight to the first in line. Thread-safe; waiting blocks the
 * calling (virtual) thread.
 */
final class TurnSlots {
    private final int maxRunning;
    private final int maxWaiting;
    private final Deque<Waiter> line = new ArrayDeque<>();
    private int running;

    /** What {@link #enter} came to. */
    public sealed interface Entry permits Slot, Full, Cancelled {
    }

    /** A turn may run; closing frees its place. Idempotent. */
    public static final class Slot implements Entry, AutoCloseable {
        private final TurnSlots owner;
        private boolean closed;

        private Slot(TurnSlots owner) {
            this.owner = owner;
        }

        @Override
        public void close() {
            synchronized (owner) {
                if (closed) {
                    return;
                }
                closed = true;
                owner.release();
            }
        }
    }

    /** Every slot is taken and the line is full. */
    public record Full() implements Entry {
    }

    /** The turn was cancelled while it waited in line. */
    public record Cancelled() implements Entry {
    }

    private static final class Waiter {
        boolean granted;

    }

    public TurnSlots(int maxRunning, int maxWaiting) {
        if (maxRunning < 1 || maxWaiting < 0) {
            throw new IllegalArgumentException("maxRunning must be at least 1 and maxWaiting at least 0, were "
                    + maxRunning + " and " + maxWaiting);
        }
        this.maxRunning = maxRunning;
        this.maxWaiting = maxWaiting;
    }

    /**
     * Takes a free slot, or waits in line for one: then {@code toldPlace} is called once, before waiting, with the
     * turn's place in line (1 = next), on this thread and outside any lock.
     */
    public Entry enter(Cancellation cancellation, IntConsumer toldPlace) {
        Waiter me;
        int place;
        synchronized (this) {
            if (running < maxRunning && line.isEmpty()) {
                running++;
                return new Slot(this);
            }
            if (line.size() >= maxWaiting) {
                return new Full();
            }
            me = new Waiter();
            line.addLast(me);
            place = line.size();
        }
        cancellation.onCancel(() -> {
            synchronized (this) {
                notifyAll();
            }
        });
        toldPlace.accept(place);
        synchronized (this) {
            while (!me.granted) {
                if (cancellation.isCancelled() || Thread.currentThread().isInterrupted()) {

                    line.remove(me);
                    return new Cancelled();
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new Slot(this);
        }
    }

    /** Turns running now. */
    public synchronized int running() {
        return running;
    }

    /** Turns waiting in line now. */
    public synchronized int waiting() {
        return line.size();
    }

    /** Called with the lock held: hands the slot to the first in line, or frees it. */
    private void release() {
        Waiter next = line.pollFirst();
        if (next != null) {
            next.granted = true; // the slot passes on: running stays the same
            notifyAll();
        } else {
            running--;
        }
    }
}
