package dev.nemobot.core.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The requests behind delivered results ({@link StoredResult}), so that the buttons under any result still work
 * after a restart, after /new and on another instance sharing the store, and the history of each user's delivered
 * results ({@code /videos}). Prompts, image references and video links are kept sealed. Pruned {@link #KEEP} after
 * they were kept ({@link Store#pruneExpired}), history included. Thread-safe.
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

    /**
     * Marks {@code userKey}'s result {@code resultId} delivered at {@code at}, with the link to its video when the
     * delivery trusts one; a later delivery of the same result (an export after an edit) replaces both. Nothing for an
     * unknown result or another user's. Waits for the store.
     */
    void delivered(String userKey, String resultId, Instant at, Optional<String> videoUrl);

    /**
     * {@code userKey}'s delivered results, the newest delivery first (the result id breaks ties), {@code limit} of them
     * from the {@code offset}-th: one page of their history. Never another user's; never one not delivered.
     */
    List<StoredResult> history(String userKey, int offset, int limit);

    /** Forgets the results kept before {@code before} (retention). */
    void forgetBefore(Instant before);
}
