package dev.nemobot.core.lane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.backend.Cancellation;
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
        assertThat(lanes.offer("u", new J("d"))).isEqualTo(new Lanes.Admission.Rejected());
        assertThat(lanes.offer("other", new J("x"))).isEqualTo(new Lanes.Admission.Started());
        assertThat(lanes.next("u")).isEqualTo(b);
        assertThat(lanes.next("u")).isEqualTo(c);
        assertThat(lanes.busy("u")).isTrue();
        assertThat(lanes.next("u")).isNull();
        assertThat(lanes.busy("u")).as("an idle lane is removed").isFalse();
        assertThat(lanes.offer("u", new J("e"))).isEqualTo(new Lanes.Admission.Started());
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
