package dev.nemobot.core.store.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.nemobot.core.store.CreditLedger;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Objects;

/**
 * The {@link MemoryStore}'s daily-spend ledger: a Caffeine cache of counters keyed by user and day, bounded (the least
 * recently used users go first when full) and forgetting each day two days after it was last written, timed by the
 * clock. Lost on restart. Thread-safe.
 */
final class MemoryLedger implements CreditLedger {
    static final int MAX_ENTRIES = 500_000;
    static final Duration KEEP = Duration.ofDays(2);

    private record Key(String userKey, LocalDate day) {
    }

    private final Cache<Key, Long> spent;

    MemoryLedger(Clock clock) {
        this(clock, MAX_ENTRIES);
    }

    MemoryLedger(Clock clock, int maxEntries) {
        this.spent = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterWrite(KEEP)
                .ticker(() -> clock.millis() * 1_000_000L)
                .executor(Runnable::run)
                .build();
    }

    @Override
    public long spent(String userKey, LocalDate day) {
        Long n = spent.getIfPresent(new Key(userKey, day));
        return n == null ? 0 : n;
    }

    @Override
    public void add(String userKey, LocalDate day, long credits) {
        Objects.requireNonNull(userKey, "userKey");
        Objects.requireNonNull(day, "day");
        if (credits < 0) {
            throw new IllegalArgumentException("credits must be >= 0, was " + credits);
        }
        // an atomic merge: a new value, so the two days count from the last spending
        spent.asMap().merge(new Key(userKey, day), credits, Long::sum);
    }

    @Override
    public int forget(String userKey) {
        int before = spent.asMap().size();
        spent.asMap().keySet().removeIf(k -> k.userKey().equals(userKey));
        return before - spent.asMap().size();
    }

    public void cleanUp() {
        spent.cleanUp();
    }

    public long size() {
        return spent.estimatedSize();
    }
}
