package dev.nemobot.core.conversation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.nemobot.core.chat.kit.ClockTicker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Spaces the edits of one key (the engine's live messages use the message itself) at least {@code gap} apart, so a
 * message streaming text is not edited more often than anyone can read. What a channel's rate limit allows across
 * all its messages is the platform's {@link ChannelBudget}. Bounded: forgets keys after a minute without edits
 * (on the injected clock).
 * Thread-safe.
 */
final class EditGate {
    private final Clock clock;
    private final Duration gap;
    private final Cache<Object, Instant> next;

    public EditGate(Clock clock, Duration gap) {
        this.clock = clock;
        this.gap = gap;
        this.next = Caffeine.newBuilder().maximumSize(50_000).expireAfterAccess(Duration.ofMinutes(1))
                .ticker(ClockTicker.of(clock)).executor(Runnable::run).build();
    }

    /** How many keys are held now (expired ones dropped first); for tests. */
    long tracked() {
        next.cleanUp();
        return next.estimatedSize();
    }

    /** Takes the slot if it is free now; false means: try again later. */
    public boolean tryAcquire(Object c) {
        Instant now = clock.instant();
        boolean[] got = new boolean[1];
        next.asMap().compute(c, (k, at) -> {
            if (at == null || !now.isBefore(at)) {
                got[0] = true;
                return now.plus(gap);
            }
            return at;
        });
        return got[0];
    }

    /** Reserves the next free slot and returns how long to wait for it (zero when free now). */
    public Duration reserve(Object c) {
        Instant now = clock.instant();
        Instant[] slot = new Instant[1];
        next.asMap().compute(c, (k, at) -> {
            slot[0] = at == null || at.isBefore(now) ? now : at;
            return slot[0].plus(gap);
        });
        return Duration.between(now, slot[0]);
    }
}
