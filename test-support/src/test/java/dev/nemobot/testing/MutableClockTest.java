package dev.nemobot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MutableClockTest {
    @Test
    void theInstantAndTheTickerMoveTogetherAndOnlyWhenMoved() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-07T06:00:00Z"));
        assertThat(clock.nanos()).isZero();

        clock.advance(Duration.ofMinutes(16));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-12-07T06:16:00Z"));
        assertThat(clock.nanos()).isEqualTo(Duration.ofMinutes(16).toNanos());

        clock.set(Instant.parse("2026-12-07T05:59:59Z"));
        assertThat(clock.nanos()).isEqualTo(-Duration.ofSeconds(1).toNanos());
        assertThat(clock.millis()).isEqualTo(Instant.parse("2026-12-07T05:59:59Z").toEpochMilli());
    }
}
