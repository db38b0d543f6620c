package dev.nemobot.core.store;

import java.util.Optional;

/**
 * Each chat user's durable identity: client id, token (kept sealed at rest), current backend session. Thread-safe;
 * every call is short.
 *
 * @throws StoreException from every method when the storage fails
 */
public interface IdentityRecords {

    Optional<StoredIdentity> find(String userKey);

    /** Inserts or replaces the row of {@code identity.userKey()}. */
    void save(StoredIdentity identity);
}
