package dev.nemobot.core.conversation;

import dev.nemobot.core.chat.Activity;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * While work runs: shows the platform's activity indicator at once and renews it every few seconds, and runs extra
 * checks on the same beat (the turn's "still working" message). Ticks are handed to a virtual thread so a slow
 * platform never blocks the scheduler; a tick still running when the next is due is skipped. Close it when the work
 * ends.
 */
final class Keepalive implements AutoCloseable {
    private final Replier to;
    private final Activity activity;
    private final Executor workers;
    private final List<Runnable> checks = new CopyOnWriteArrayList<>();
    private final AtomicBoolean ticking = new AtomicBoolean();
    private final Beat beat;
    private final Beat.Seat seat;
    private volatile boolean closed;

    private Keepalive(Beat beat, Executor workers, Replier to, Activity activity) {
        this.to = to;
        this.activity = activity;
        this.workers = workers;
        this.beat = beat;
        to.activity(activity);
        this.seat = beat.join(this::tick);
    }

    /** Shows {@code activity} to {@code to} at once and again on every {@code beat} until closed. */
    static Keepalive start(Beat beat, Executor workers, Replier to, Activity activity) {
        return new Keepalive(beat, workers, to, activity);
    }

    /** Runs {@code check} on every beat until closed. */
    public void addCheck(Runnable check) {
        checks.add(check);
    }

    public void removeCheck(Runnable check) {
        checks.remove(check);
    }

    private void tick() {
        if (closed || !ticking.compareAndSet(false, true)) {
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    if (!closed) {
                        to.activity(activity);
                        checks.forEach(Runnable::run);
                    }
                } finally {
                    ticking.set(false);
                }
            });
        } catch (RuntimeException rejected) {
            ticking.set(false);
        }
    }

    @Override
    public void close() {
        closed = true;
        beat.leave(seat);
    }
}
