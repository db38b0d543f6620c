package dev.nemobot.core.chat.kit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one memory of ids already handled, bounded: the engine's for messages (a fast path before the store's claim),
 * Telegram's for update ids and Discord's for event ids (so a redelivered update, or a gateway resume that replays an
 * event, is not acknowledged or handed on twice). The oldest ids are forgotten first. Thread-safe.
 *
 * <p>Kept in insertion order on purpose, not a Caffeine cache like the engine's other bounded maps: Caffeine's
 * eviction weighs how often a key was used, so it may drop an id offered a moment ago while it keeps old ones that
 * were repeated often, and a redelivery of that newest id would then be handed on twice. Here the last
 * {@code capacity} ids are always remembered.
 */
public final class RecentIds {
    private final Map<String, Boolean> seen;

    public RecentIds(int capacity) {
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

    /** True the first time {@code id} is offered (it is remembered), false for a repeat still remembered. */
    public synchronized boolean firstTime(String id) {
        return seen.putIfAbsent(id, Boolean.TRUE) == null;
    }

    /** Whether {@code id} is remembered (it is not added). */
    public synchronized boolean seen(String id) {
        return seen.containsKey(id);
    }
}
