package dev.nemobot.core.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.OptionalInt;

/**
 * How many finished clips each session held when this instance last read its state (none when it created the
 * session). A turn whose answer stream is lost compares the project against it: the first state read after a long
 * stall may already show the turn's new clip, which a comparison with that read alone would miss. In memory only,
 * bounded like the identities (64 bytes a session: a node and a map entry; the key is the identity's own string);
 * unknown after a restart or an eviction. Holds no user key. Thread-safe.
 */
final class SeenClips {
    private final Cache<String, Integer> counts;

    SeenClips(int max) {
        this.counts = Caffeine.newBuilder().maximumSize(max).executor(Runnable::run).build();
    }

    void saw(String sessionId, int finished) {
        counts.put(sessionId, finished);
    }

    void forget(String sessionId) {
        counts.invalidate(sessionId);
    }

    OptionalInt of(String sessionId) {
        Integer n = counts.getIfPresent(sessionId);
        return n == null ? OptionalInt.empty() : OptionalInt.of(n);
    }
}
