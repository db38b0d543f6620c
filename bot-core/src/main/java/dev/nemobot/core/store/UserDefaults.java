package dev.nemobot.core.store;

/**
 * A user's default video options ({@code /settings}), as the flags they would type ({@code --ar 9:16 --quality
 * 720p}): kept across restarts and read by every instance sharing the store; the reader parses them (a value it no
 * longer takes is dropped there). Thread-safe.
 *
 * @throws StoreException from every method when the storage fails
 */
public interface UserDefaults {
    /** The most characters of flags kept for one user. */
    int MAX_LENGTH = 1000;

    /** {@code userKey}'s default options as flags; "" when they set none. */
    String get(String userKey);

    /**
     * Keeps {@code flags} as {@code userKey}'s defaults; "" forgets them. Waits for the store.
     *
     * @throws IllegalArgumentException when {@code flags} is longer than {@link #MAX_LENGTH}
     */
    void put(String userKey, String flags);
}
