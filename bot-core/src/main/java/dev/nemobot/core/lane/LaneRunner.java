package dev.nemobot.core.lane;

import dev.nemobot.core.metrics.EngineMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each user's work in their own lane ({@link Lanes}): one job at a time on a virtual thread, in order, a few
 * waiting behind it; the job is told its place in the queue, or that the queue is full. Every job admitted counts as
 * work in flight until it has run (or was dropped by a cancel). Knows nothing of what the jobs do. Thread-safe.
 */
public final class LaneRunner {
    private static final Logger log = LoggerFactory.getLogger(LaneRunner.class);

    /** A user's job: run in their lane; its notices are said on a virtual thread of their own. */
    public interface Job extends Lanes.Job {
        void run();

        /** The job waits behind others: {@code position} 1 is next. */
        void queued(int position);

        /** The user's queue had {@code room} places, fewer than the job takes: the job was dropped. */
        void refused(int room);
    }

    private final Lanes<Job> lanes;
    private final ShortTasks tasks;
    private final EngineMetrics metrics;

    /** @param capacity at most this many jobs wait behind a user's running one */
    public LaneRunner(int capacity, ShortTasks tasks, EngineMetrics metrics) {
        this.lanes = new Lanes<>(capacity);
        this.tasks = tasks;
        this.metrics = metrics;
    }

    /** Runs {@code job} in the lane {@code key} now, or queues it, or refuses it; never blocks. */
    public void enqueue(String key, Job job) {
        WorkCounter work = tasks.work();
        work.begin();
        Lanes.Admission a = lanes.offer(key, job);
        switch (a) {
            case Lanes.Admission.Started s -> {
                try {
                    tasks.workers().execute(() -> drain(key, job));
                } catch (RuntimeException rejected) {
                    work.end();
                    lanes.next(key);
                }
            }
            case Lanes.Admission.Queued q -> tasks.spawn(() -> job.queued(q.position()));
            case Lanes.Admission.Rejected r -> {
                work.end();
                metrics.refused("queue_full");
                tasks.spawn(() -> job.refused(r.room()));
            }
        }
    }

    private void drain(String key, Job first) {
        Job job = first;
        while (job != null) {
            try {
                job.run();
            } catch (RuntimeException e) {
                log.error("lane job failed", e);
            } finally {
                tasks.work().end();
            }
            job = lanes.next(key);
        }
    }

    /** Whether the user has a job running (or waiting). */
    public boolean busy(String key) {
        return lanes.busy(key);
    }

    /** Cancels the user's running job and drops the waiting ones (no longer in flight). */
    public Cancelled cancel(String key) {
        Lanes.Cancelled c = lanes.cancel(key);
        c.dropped().forEach(j -> tasks.work().end());
        return new Cancelled(c.wasRunning(), c.dropped().size());
    }

    /**
     * What a cancel stopped.
     *
     * @param wasRunning whether a job was running (it is told to stop)
     * @param dropped    how many waiting jobs were dropped
     */
    public record Cancelled(boolean wasRunning, int dropped) {
    }

    /** Cancels every lane's running job and drops the waiting ones (shutdown). */
    public void cancelAll() {
        lanes.cancelAll();
    }

    /** Users whose job runs now. */
    public int running() {
        return lanes.running();
    }

    /** Jobs waiting in the user's lane now. */
    public int waiting(String key) {
        return lanes.waiting(key);
    }

    /** Jobs waiting in all lanes now. */
    public int waiting() {
        return lanes.waiting();
    }
}
