package dev.nemobot.core.lane;

import dev.nemobot.core.metrics.EngineMetrics;
import dev.nemobot.core.work.Pause;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

/**
 * What every part of the engine runs on, handed by the engine to each package's {@code wire} as one value rather
 * than seven parameters (issue 23): the one clock, the timers, the threads, the work in flight, the pauses, the
 * meters, and whether the engine is closing.
 *
 * @param clock     the engine's one time source
 * @param scheduler the timers (activity, pauses, polls)
 * @param workers   the threads the work runs on (one per task)
 * @param tasks     the short tasks, counted as work in flight until they end
 * @param pause     waits that a cancellation cuts short
 * @param metrics   where the engine's meters go
 * @param closing   true once the engine is closing
 */
public record WorkContext(Clock clock, ScheduledExecutorService scheduler, Executor workers, ShortTasks tasks,
                          Pause pause, EngineMetrics metrics, BooleanSupplier closing) {
    public WorkContext {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(workers, "workers");
        Objects.requireNonNull(tasks, "tasks");
        Objects.requireNonNull(pause, "pause");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(closing, "closing");
    }
}
