package dev.nemobot.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The tests' one clock: time moves only when the test moves it. A {@link Clock} for code that reads instants, and
 * {@link #nanos()} for code that takes a ticker ({@code LongSupplier}, Caffeine's {@code Ticker}): both read the same
 * time, so a test that advances the clock advances both. Always UTC. Thread-safe.
 */
public final class MutableClock extends Clock {
    /** Where {@link #MutableClock()} starts: any fixed instant will do, so the tests' times are the same each run. */
    public static final Instant DEFAULT_START = Instant.parse("2025-01-01T00:00:00Z");

    private final Instant origin;
    private final AtomicReference<Instant> now;

    public MutableClock(Instant start) {
        this.origin = start;
        this.now = new AtomicReference<>(start);
    }

    public MutableClock() {
        this(DEFAULT_START);
    }

    /** Moves the clock to {@code t} (forward or back). */
    public void set(Instant t) {
        now.set(t);
    }

    /** Moves the clock forward by {@code d}. */
    public void advance(Duration d) {
        now.updateAndGet(t -> t.plus(d));
    }

    /** Nanoseconds since the instant the clock started at: the ticker that goes with this clock. */
    public long nanos() {
        return Duration.between(origin, now.get()).toNanos();
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
