package dev.nemobot.simulator;

import dev.nemobot.testing.MutableClock;
import java.time.Instant;

/** The old name of {@link MutableClock} here: kept for branches in flight; remove. */
final class TestClock extends MutableClock {
    TestClock(Instant start) {
        super(start);
    }

    TestClock() {
    }
}
