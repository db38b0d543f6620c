package dev.nemobot.core.store.memory;

import dev.nemobot.core.store.HandledMessages;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link HandledMessages} in memory: the first record of a message counts (a redelivery changes nothing). Bounded:
 * past {@code maxEntries} the oldest recorded are forgotten first (the real store drops records past a full backlog
 * and forgets by retention). Thread-safe.
 */
public final class MemoryHandledMessages implements HandledMessages {

    private record Key(String platform, String messageId) {
    }

    private final Map<Key, Instant> handled;

    public MemoryHandledMessages(int maxEntries) {
        this.handled = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Instant> eldest) {
                return size() > maxEntries;
            }
        };
    }

    @Override
    public synchronized void record(String platform, String messageId, Instant at) {
        handled.putIfAbsent(new Key(platform, messageId), at);
    }

    @Override
    public synchronized boolean claim(String platform, String messageId, Instant at) {
        return handled.putIfAbsent(new Key(platform, messageId), at) == null;
    }

    @Override
    public synchronized List<Map.Entry<String, String>> since(Instant since, int max) {
        return handled.entrySet().stream()
                .filter(e -> !e.getValue().isBefore(since))
                .sorted(Map.Entry.<Key, Instant>comparingByValue(Comparator.reverseOrder()))
                .limit(max)
                .map(e -> Map.entry(e.getKey().platform(), e.getKey().messageId()))
                .toList();
    }

    @Override
    public synchronized void forgetBefore(Instant before) {
        handled.values().removeIf(at -> at.isBefore(before));
    }
}
