package dev.nemobot.telegram;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** A small map that forgets its least recently used entries beyond a bound. Thread-safe (synchronised). */
final class Lru<K, V> {
    private final LinkedHashMap<K, V> map;

    Lru(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive, was " + maxEntries);
        }
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > maxEntries;
            }
        };
    }

    synchronized V get(K key) {
        return map.get(key);
    }

    synchronized void put(K key, V value) {
        map.put(key, value);
    }

    synchronized V computeIfAbsent(K key, Function<K, V> create) {
        return map.computeIfAbsent(key, create);
    }

    synchronized int size() {
        return map.size();
    }
}
