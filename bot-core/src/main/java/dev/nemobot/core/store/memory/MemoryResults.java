package dev.nemobot.core.store.memory;

import dev.nemobot.core.store.Results;
import dev.nemobot.core.store.StoredResult;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link Results} in memory. Bounded: past {@code maxEntries} the oldest kept are forgotten first (the real store
 * forgets by age only). Thread-safe.
 */
final class MemoryResults implements Results {
    private final Clock clock;
    private final Map<String, StoredResult> results;

    public MemoryResults(Clock clock, int maxEntries) {
        this.clock = clock;
        this.results = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, StoredResult> eldest) {
                return size() > maxEntries;
            }
        };
    }

    @Override
    public synchronized void save(StoredResult result) {
        results.putIfAbsent(result.resultId(), result);
    }

    @Override
    public synchronized Optional<StoredResult> find(String userKey, String resultId) {
        return Optional.ofNullable(results.get(resultId)).filter(r -> r.userKey().equals(userKey));
    }

    @Override
    public synchronized Optional<StoredResult> latest(String userKey, String sessionId) {
        return results.values().stream()
                .filter(r -> r.userKey().equals(userKey) && r.sessionId().equals(sessionId))
                .max(Comparator.comparing(StoredResult::createdAt).thenComparing(StoredResult::resultId));
    }

    @Override
    public synchronized void delivered(String userKey, String resultId, Instant at, Optional<String> videoUrl) {
        find(userKey, resultId).ifPresent(r -> results.put(resultId, r.delivered(at, videoUrl)));
    }

    @Override
    public synchronized List<StoredResult> history(String userKey, int offset, int limit) {
        if (offset < 0 || limit < 1) {
            throw new IllegalArgumentException("offset " + offset + ", limit " + limit);
        }
        return results.values().stream()
                .filter(r -> r.userKey().equals(userKey) && r.deliveredAt().isPresent())
                .sorted(Comparator.comparing((StoredResult r) -> r.deliveredAt().get())
                        .thenComparing(StoredResult::resultId).reversed())
                .skip(offset).limit(limit).toList();
    }

    @Override
    public synchronized void forgetBefore(Instant before) {
        results.values().removeIf(r -> r.createdAt().isBefore(before));
    }

    /** Forgets every result kept for {@code userKey}; how many there were. */
    synchronized int removeUser(String userKey) {
        int before = results.size();
        results.values().removeIf(r -> r.userKey().equals(userKey));
        return before - results.size();
    }

    /** Forgets the results kept over {@link Results#KEEP} ago. */
    synchronized void pruneOld() {
        forgetBefore(clock.instant().minus(KEEP));
    }
}
