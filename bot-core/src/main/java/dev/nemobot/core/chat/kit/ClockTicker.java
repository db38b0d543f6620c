package dev.nemobot.core.chat.kit;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The engine's one time source as a Caffeine {@link Ticker}: a cache built with {@code .ticker(ClockTicker.of(clock))}
 * expires its entries on the same injected {@link Clock} as the rest of the engine (a test moves one clock and
 * every cache and timer sees it), never on {@link System#nanoTime()} behind the clock's back.
 */
public final class ClockTicker {
    private ClockTicker() {
    }

    /** Nanoseconds since the epoch on {@code clock} (saturating; only differences matter to Caffeine). */
    public static Ticker of(Clock clock) {
        return () -> {
            Instant now = clock.instant();
            return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
        };
    }
}
