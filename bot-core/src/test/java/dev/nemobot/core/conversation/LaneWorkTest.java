package dev.nemobot.core.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LaneWorkTest {
    /** The note that the project keeps its language is given once per session and language a month. */
    @Test
    void theLanguageNoteIsGivenOnceAndAgainAfterAQuietMonthOnTheInjectedClock() {
        MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        LaneWork work = new LaneWork(null, null, null, null, null, null, clock);
        assertThat(work.firstLanguageNote("s1", "de")).isTrue();
        assertThat(work.firstLanguageNote("s1", "de")).as("told a moment ago").isFalse();
        assertThat(work.firstLanguageNote("s1", "fr")).as("another language").isTrue();
        clock.advance(Duration.ofDays(29));
        assertThat(work.firstLanguageNote("s1", "fr")).as("within the month").isFalse();
        clock.advance(Duration.ofDays(31));
        assertThat(work.firstLanguageNote("s1", "fr")).as("forgotten after a quiet month of the engine's clock")
                .isTrue();
    }
}
