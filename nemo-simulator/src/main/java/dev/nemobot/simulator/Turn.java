package dev.nemobot.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One turn of a session: the events its script produced so far, in order. The script runs on its own thread,
 * independent of any connection (as the real agent keeps working when a client drops); each SSE connection
 * reads the log from some index and follows it. Thread-safe.
 */
final class Turn {
    /** One event: its SSE id and the JSON of its {@code data:} line. */
    record Ev(long id, String json) {
    }

    /** Marker returned by {@link #next} when the turn is over. */
    static final Ev DONE = new Ev(-1, "");

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Ev> events = new ArrayList<>(); // guarded by lock
    private boolean done; // guarded by lock
    private final Env env;

    Turn(Env env) {
        this.env = env;
    }

    void append(long id, String json) {
        lock.lock();
        try {
            events.add(new Ev(id, json));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void finish() {
        lock.lock();
        try {
            done = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The event at {@code index}, {@link #DONE} when the turn ended before it, or null after {@code timeout} of
     * nothing (time for a heartbeat) or when the simulator closes.
     */
    Ev next(int index, Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (index >= events.size() && !done && !env.isClosed()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = changed.awaitNanos(nanos);
            }
            if (index < events.size()) {
                return events.get(index);
            }
            return done ? DONE : null;
        } finally {
            lock.unlock();
        }
    }

    /** The index after the event with SSE id {@code id}, or -1 when this turn has no such event. */
    int indexAfter(long id) {
        lock.lock();
        try {
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i).id() == id) {
                    return i + 1;
                }
            }
            return -1;
        } finally {
            lock.unlock();
        }
    }

    boolean isDone() {
        lock.lock();
        try {
            return done;
        } finally {
            lock.unlock();
        }
    }
}
