package dev.nemobot.core.lane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.work.Cancellation;
import org.junit.jupiter.api.Test;

class LanesTest {
    record J(String name, Cancellation cancellation) implements Lanes.Job {
        J(String name) {
            this(name, new Cancellation());
        }
    }

    @Test
    void oneRunsAFewWaitAndTheRestAreTurnedAway() {
        Lanes<J> lanes = new Lanes<>(2);
        J a = new J("a");
        J b = new J("b");
        J c = new J("c");
        assertThat(lanes.offer("u", a)).isEqualTo(new Lanes.Admission.Started());
        assertThat(lanes.offer("u", b)).isEqualTo(new Lanes.Admission.Queued(1));
        assertThat(lanes.offer("u", c)).isEqualTo(new Lanes.Admission.Queued(2));
        assertThat(lanes.offer("u", new J("d"))).isEqualTo(new Lanes.Admission.Rejected(0));
        assertThat(lanes.offer("other", new J("x"))).isEqualTo(new Lanes.Admission.Started());
        assertThat(lanes.next("u")).isEqualTo(b);
        assertThat(lanes.next("u")).isEqualTo(c);
        assertThat(lanes.busy("u")).isTrue();
        assertThat(lanes.next("u")).isNull();
        assertThat(lanes.busy("u")).as("an idle lane is removed").isFalse();
        assertThat(lanes.offer("u", new J("e"))).isEqualTo(new Lanes.Admission.Started());
    }

    /** A job of several places: a batch of images, one place per take still to run. */
    static final class Batch implements Lanes.Job {
        final Cancellation cancellation = new Cancellation();
        volatile int left;

        Batch(int takes) {
            this.left = takes;
        }

        @Override
        public Cancellation cancellation() {
            return cancellation;
        }

        @Override
        public int places() {
            return left;
        }
    }

    @Test
    void aBatchTakesOnePlacePerTakeAndIsTurnedAwayWholeSayingHowManyFit() {
        Lanes<Lanes.Job> lanes = new Lanes<>(3);
        assertThat(lanes.offer("u", new Batch(5))).as("idle: 1 running + 3 waiting places")
                .isEqualTo(new Lanes.Admission.Rejected(4));
        Batch four = new Batch(4);
        assertThat(lanes.offer("u", four)).isEqualTo(new Lanes.Admission.Started());
        assertThat(lanes.offer("u", new J("m"))).as("its 3 takes to come fill the queue")
                .isEqualTo(new Lanes.Admission.Rejected(0));
        four.left = 2; // two takes done
        assertThat(lanes.offer("u", new Batch(3))).isEqualTo(new Lanes.Admission.Rejected(2));
        assertThat(lanes.offer("u", new Batch(2))).isEqualTo(new Lanes.Admission.Queued(1));
        assertThat(lanes.offer("u", new J("n"))).isEqualTo(new Lanes.Admission.Rejected(0));
    }

    @Test
    void cancelStopsTheRunningJobAndDropsTheQueue() {
        Lanes<J> lanes = new Lanes<>(3);
        J a = new J("a");
        lanes.offer("u", a);
        lanes.offer("u", new J("b"));
        lanes.offer("u", new J("c"));
        Lanes.Cancelled c = lanes.cancel("u");
        assertThat(c.wasRunning()).isTrue();
        assertThat(c.dropped()).hasSize(2);
        assertThat(a.cancellation().isCancelled()).isTrue();
        assertThat(lanes.next("u")).isNull();
        assertThat(lanes.cancel("nobody").wasRunning()).isFalse();
    }
}
