package dev.nemobot.core.lane;

import java.time.Duration;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's short tasks on virtual threads (a notice, a quick command, a refusal), each counted as work in flight
 * until it ends so that closing can wait for it. A failed task is logged. Thread-safe.
 */
public final class ShortTasks {
    private static final Logger log = LoggerFactory.getLogger(ShortTasks.class);

    private final Executor workers;
    private final WorkCounter work;

    /** Tasks on {@code workers}, counted by a counter of their own (shared with the lanes built on them). */
    public ShortTasks(Executor workers) {
        this(workers, new WorkCounter());
    }

    ShortTasks(Executor workers, WorkCounter work) {
        this.workers = workers;
        this.work = work;
    }

    /** How many tasks, and lane jobs on these tasks, are in flight. */
    public int inFlight() {
        return work.inFlight();
    }

    /** True once no task or lane job is in flight; false if {@code timeout} passed first. */
    public boolean awaitIdle(Duration timeout) {
        return work.awaitIdle(timeout);
    }

    /**
     * Runs {@code task} on a virtual thread; dropped (and logged) once the engine's workers are shut down.
     *
     * @return false when it was dropped
     */
    public boolean spawn(Runnable task) {
        work.begin();
        try {
            workers.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("task failed", e);
                } finally {
                    work.end();
                }
            });
            return true;
        } catch (RuntimeException rejected) {
            work.end();
            log.warn("engine is closed; dropped a task");
            return false;
        }
    }

    Executor workers() {
        return workers;
    }

    WorkCounter work() {
        return work;
    }
}
