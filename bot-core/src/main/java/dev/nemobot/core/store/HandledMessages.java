package dev.nemobot.core.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The platform messages (updates) handled lately, so that one re-delivered after a restart is ignored. Thread-safe;
 * bounded by retention.
 *
 * @throws StoreException from every method when the storage fails
 */
public interface HandledMessages {

    /**
     * Remembers that a platform's message (update) was handled. Never waits (called on a platform's event thread):
     * past a full backlog the record is dropped.
     */
    void record(String platform, String messageId, Instant at);

    /**
     * Claims a platform's message (update) for handling: true for the first caller across every instance sharing
     * the store, false when it was claimed (or recorded) before, so a re-delivered update is handled once. Waits
     * for the store (call it off the platform's thread). {@code userKey} (null: unknown) is whose message it is, so
     * that their /forget erases it ({@link Forgetting}).
     */
    boolean claim(String platform, String messageId, String userKey, Instant at);

    /** {@link #claim(String, String, String, Instant)} of a message no user is known for. */
    default boolean claim(String platform, String messageId, Instant at) {
        return claim(platform, messageId, null, at);
    }

    /**
     * The messages handled since {@code since}, as {@code (platform, messageId)}, newest first, at most
     * {@code max}.
     */
    List<Map.Entry<String, String>> since(Instant since, int max);

    /** Forgets the handled messages older than {@code before} (retention). */
    void forgetBefore(Instant before);
}
