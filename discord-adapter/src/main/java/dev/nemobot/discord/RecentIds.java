package dev.nemobot.discord;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded memory of ids already handed to the engine, so a gateway resume that replays an event (or Discord
 * delivering it twice) does not start a second turn. Thread-safe; the oldest ids are forgotten first.
 */
final class RecentIds {
    private final Map<String, Boolean> seen;

    RecentIds(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        this.seen = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** True the first time {@code id} is offered, false for a repeat still remembered. */
    synchronized boolean firstTime(String id) {
        return seen.putIfAbsent(id, Boolean.TRUE) == null;
    }
}
