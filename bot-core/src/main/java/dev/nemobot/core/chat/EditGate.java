package dev.nemobot.core.chat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Spaces message edits in one conversation at least {@code gap} apart (chat platforms rate-limit edits; about one a
 * second per chat is safe). The one edit pacer: the engine's live messages take its slots, and the Telegram adapter
 * reserves one per chat before each edit whatever the engine does. Bounded: forgets conversations after a minute
 * without edits. Thread-safe.
 */
public final class EditGate {
    private final Clock clock;
    private final Duration gap;
    private final Cache<Conversation, Instant> next;

    public EditGate(Clock clock, Duration gap) {
        this.clock = clock;
        this.gap = gap;
        this.next = Caffeine.newBuilder().maximumSize(50_000).expireAfterAccess(Duration.ofMinutes(1)).build();
    }

    /** Takes the slot if it is free now; false means: try again later. */
    public boolean tryAcquire(Conversation c) {
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
    public Duration reserve(Conversation c) {
        Instant now = clock.instant();
        Instant[] slot = new Instant[1];
        next.asMap().compute(c, (k, at) -> {
            slot[0] = at == null || at.isBefore(now) ? now : at;
            return slot[0].plus(gap);
        });
        return Duration.between(now, slot[0]);
    }
}
