package dev.nemobot.core.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.testing.ManualTime;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The keepalives' shared timer: once a period for each member, from its own start, and no task without members. */
class BeatTest {

    @Test
    void eachMemberTicksOnceAPeriodFromItsOwnStartAndTheTimerStopsWithTheLast() {
        try (ManualTime time = new ManualTime()) {
            Beat beat = new Beat(time.scheduler(), Duration.ofSeconds(4));
            assertThat(time.pending()).as("no member, no timer").isZero();
            AtomicInteger a = new AtomicInteger();
            AtomicInteger b = new AtomicInteger();
            Beat.Seat first = beat.join(a::incrementAndGet);
            time.advance(Duration.ofSeconds(1));
            Beat.Seat second = beat.join(b::incrementAndGet);
            assertThat(time.pending()).as("one timer for both").isEqualTo(1);

            time.advance(Duration.ofMillis(3999));
            assertThat(a).as("a period after its start").hasValue(1);
            assertThat(b).as("not yet: it joined a second later").hasValue(0);
            time.advance(Duration.ofSeconds(1));
            assertThat(b).hasValue(1);
            time.advance(Duration.ofSeconds(8));
            assertThat(a).hasValue(3);
            assertThat(b).hasValue(3);

            beat.leave(first);
            time.advance(Duration.ofSeconds(4));
            assertThat(a).as("left: no more ticks").hasValue(3);
            assertThat(b).hasValue(4);
            beat.leave(second);
            assertThat(time.pending()).as("the last one left: the timer stops").isZero();
        }
    }
}
