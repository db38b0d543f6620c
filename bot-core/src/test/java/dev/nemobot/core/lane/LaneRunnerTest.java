package dev.nemobot.core.lane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.work.Cancellation;
import dev.nemobot.core.metrics.EngineMetrics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** The lane's admission and draining, on an executor the test runs by hand (no threads, no waiting). */
class LaneRunnerTest {
    /** Runs what was handed to it only when asked, in order. */
    static final class ByHand implements Executor {
        final ArrayDeque<Runnable> pending = new ArrayDeque<>();

        @Override
        public void execute(Runnable r) {
            pending.add(r);
        }

        void runAll() {
            while (!pending.isEmpty()) {
                pending.poll().run();
            }
        }
    }

    static final class Job implements LaneRunner.Job {
        final String name;
        final List<String> log;
        final Cancellation cancellation = new Cancellation();

        Job(String name, List<String> log) {
            this.name = name;
            this.log = log;
        }

        @Override
        public Cancellation cancellation() {
            return cancellation;
        }

        @Override
        public void run() {
            log.add(name + (cancellation.isCancelled() ? " ran cancelled" : " ran"));
        }

        @Override
        public void queued(int position) {
            log.add(name + " queued " + position);
        }

        @Override
        public void refused(int room) {
            log.add(name + " refused");
        }
    }

    private final ByHand workers = new ByHand();
    private final WorkCounter work = new WorkCounter();
    private final EngineMetrics metrics = EngineMetrics.inMemory();
    private final LaneRunner lanes = new LaneRunner(1, new ShortTasks(workers, work), metrics);
    private final List<String> log = new ArrayList<>();

    @Test
    void aUsersJobsRunInOrderOneWaitsAndTheNextIsRefused() {
        lanes.enqueue("u", new Job("a", log));
        lanes.enqueue("u", new Job("b", log));
        lanes.enqueue("u", new Job("c", log));
        lanes.enqueue("other", new Job("x", log));
        assertThat(lanes.running()).isEqualTo(2);
        assertThat(lanes.waiting()).isEqualTo(1);
        assertThat(work.inFlight()).as("a, b, x, and the notices to b and c").isEqualTo(5);

        workers.runAll();

        assertThat(log).containsExactlyInAnyOrder("b queued 1", "c refused", "a ran", "b ran", "x ran")
                .containsSubsequence("a ran", "b ran");
        assertThat(metrics.registry().get("nemobot.refusals").tag("reason", "queue_full").counter().count())
                .isEqualTo(1);
        assertThat(lanes.busy("u")).as("an idle lane is gone").isFalse();
        assertThat(work.awaitIdle(Duration.ZERO)).isTrue();
    }

    @Test
    void aCancelStopsTheRunningJobAndWhatWaitedIsNoLongerInFlight() {
        LaneRunner roomy = new LaneRunner(3, new ShortTasks(workers, work), metrics);
        roomy.enqueue("u", new Job("a", log));
        roomy.enqueue("u", new Job("b", log));
        roomy.enqueue("u", new Job("c", log));

        LaneRunner.Cancelled c = roomy.cancel("u");
        workers.runAll();

        assertThat(c.wasRunning()).isTrue();
        assertThat(c.dropped()).isEqualTo(2);
        assertThat(log).containsExactlyInAnyOrder("b queued 1", "c queued 2", "a ran cancelled");
        assertThat(work.awaitIdle(Duration.ZERO)).as("the dropped jobs count as done").isTrue();
    }
}
