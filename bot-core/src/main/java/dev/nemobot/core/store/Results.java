package dev.nemobot.core.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The requests behind delivered results ({@link StoredResult}), so that the buttons under any result still work
 * after a restart, after /new and on another instance sharing the store. Prompts and image references are kept
 * sealed. Pruned {@link #KEEP} after they were kept ({@link Store#pruneExpired}). Thread-safe.
 *
 * @throws StoreException from every method when the storage fails
 */
public interface Results {
    /** How long a result's request is kept: its buttons answer that it is gone after this. */
    Duration KEEP = Duration.ofDays(30);

    /** Keeps {@code result} (a result id is written once). Waits for the store. */
    void save(StoredResult result);

    /** {@code userKey}'s result {@code resultId}; empty when unknown, pruned, or another user's. */
    Optional<StoredResult> find(String userKey, String resultId);

    /** The newest result kept for {@code userKey}'s project {@code sessionId}. */
    Optional<StoredResult> latest(String userKey, String sessionId);

    /** Forgets the results kept before {@code before} (retention). */
    void forgetBefore(Instant before);
}
