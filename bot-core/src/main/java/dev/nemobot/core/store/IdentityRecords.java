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

    /** The session id of {@code userKey}'s row, if there is a row with a session; nothing is unsealed. */
    default Optional<String> sessionIdOf(String userKey) {
        return find(userKey).flatMap(StoredIdentity::session).map(StoredIdentity.StoredSession::sessionId);
    }

    /** Inserts or replaces the row of {@code identity.userKey()}. */
    void save(StoredIdentity identity);
}
