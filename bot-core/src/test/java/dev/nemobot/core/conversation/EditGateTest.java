package dev.nemobot.core.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.Conversation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class EditGateTest {
    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        private volatile Instant now = Instant.parse("2025-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void allowsOneEditPerGapPerConversation() {
        ManualClock clock = new ManualClock();
        EditGate gate = new EditGate(clock, Duration.ofSeconds(1));
        Conversation a = new Conversation("t", "a", false);
        Conversation b = new Conversation("t", "b", false);
        assertThat(gate.tryAcquire(a)).isTrue();
        assertThat(gate.tryAcquire(a)).isFalse();
        assertThat(gate.tryAcquire(b)).isTrue();
        clock.advance(Duration.ofMillis(999));
        assertThat(gate.tryAcquire(a)).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(gate.tryAcquire(a)).isTrue();
    }

    @Test
    void reservesTheNextSlotsInOrder() {
        ManualClock clock = new ManualClock();
        EditGate gate = new EditGate(clock, Duration.ofSeconds(1));
        Conversation a = new Conversation("t", "a", false);
        assertThat(gate.reserve(a)).isEqualTo(Duration.ZERO);
        assertThat(gate.reserve(a)).isEqualTo(Duration.ofSeconds(1));
        assertThat(gate.reserve(a)).isEqualTo(Duration.ofSeconds(2));
        assertThat(gate.tryAcquire(a)).isFalse();
    }
}
