package dev.nemobot.core.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.Conversation;
import dev.nemobot.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EditGateTest {
    @Test
    void allowsOneEditPerGapPerConversation() {
        MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
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
        MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        EditGate gate = new EditGate(clock, Duration.ofSeconds(1));
        Conversation a = new Conversation("t", "a", false);
        assertThat(gate.reserve(a)).isEqualTo(Duration.ZERO);
        assertThat(gate.reserve(a)).isEqualTo(Duration.ofSeconds(1));
        assertThat(gate.reserve(a)).isEqualTo(Duration.ofSeconds(2));
        assertThat(gate.tryAcquire(a)).isFalse();
    }

    @Test
    void forgetsAKeyAfterAQuietMinuteOnTheInjectedClock() {
        MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        EditGate gate = new EditGate(clock, Duration.ofSeconds(1));
        assertThat(gate.tryAcquire(new Conversation("t", "a", false))).isTrue();
        clock.advance(Duration.ofSeconds(59));
        assertThat(gate.tracked()).as("kept within the minute").isEqualTo(1);
        clock.advance(Duration.ofSeconds(2));
        assertThat(gate.tracked()).as("forgotten once the engine's clock passed the minute").isZero();
    }
}
