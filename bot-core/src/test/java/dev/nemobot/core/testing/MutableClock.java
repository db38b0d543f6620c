package dev.nemobot.core.testing;

import java.time.Instant;

/** The old name of {@link dev.nemobot.testing.MutableClock}: kept for branches in flight; remove. */
public final class MutableClock extends dev.nemobot.testing.MutableClock {
    public MutableClock(Instant start) {
        super(start);
    }
}
