package dev.nemobot.core.store.memory;

import dev.nemobot.core.store.UserDefaults;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@link UserDefaults} in memory, at most {@code max} users (the least recently set forgotten first). Thread-safe. */
final class MemoryUserDefaults implements UserDefaults {
    private final Map<String, String> byUser;

    MemoryUserDefaults(int max) {
        this.byUser = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > max;
            }
        };
    }

    @Override
    public synchronized String get(String userKey) {
        return byUser.getOrDefault(userKey, "");
    }

    /** Forgets {@code userKey}'s defaults (their /forget); whether there were any. */
    synchronized boolean remove(String userKey) {
        return byUser.remove(userKey) != null;
    }

    @Override
    public synchronized void put(String userKey, String flags) {
        if (flags.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("defaults too long: " + flags.length());
        }
        byUser.remove(userKey);
        if (!flags.isBlank()) {
            byUser.put(userKey, flags);
        }
    }
}
