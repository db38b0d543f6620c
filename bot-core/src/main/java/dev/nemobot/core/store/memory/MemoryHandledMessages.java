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
final class MemoryHandledMessages implements HandledMessages {

    private record Key(String platform, String messageId) {
    }

    private record Handled(Instant at, String userKey) {
    }

    private final Map<Key, Handled> handled;

    public MemoryHandledMessages(int maxEntries) {
        this.handled = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Handled> eldest) {
                return size() > maxEntries;
            }
        };
    }

    @Override
    public synchronized void record(String platform, String messageId, Instant at) {
        handled.putIfAbsent(new Key(platform, messageId), new Handled(at, null));
    }

    @Override
    public synchronized boolean claim(String platform, String messageId, String userKey, Instant at) {
        return handled.putIfAbsent(new Key(platform, messageId), new Handled(at, userKey)) == null;
    }

    /** Forgets the messages of {@code userKey}; how many there were. */
    synchronized int removeUser(String userKey) {
        int before = handled.size();
        handled.values().removeIf(h -> userKey.equals(h.userKey()));
        return before - handled.size();
    }

    @Override
    public synchronized List<Map.Entry<String, String>> since(Instant since, int max) {
        return handled.entrySet().stream()
                .filter(e -> !e.getValue().at().isBefore(since))
                .sorted(Comparator.comparing((Map.Entry<Key, Handled> e) -> e.getValue().at()).reversed())
                .limit(max)
                .map(e -> Map.entry(e.getKey().platform(), e.getKey().messageId()))
                .toList();
    }

    @Override
    public synchronized void forgetBefore(Instant before) {
        handled.values().removeIf(h -> h.at().isBefore(before));
    }
}
