package dev.nemobot.core.store.memory;

import dev.nemobot.core.store.IdentityRecords;
import dev.nemobot.core.store.StoreException;
import dev.nemobot.core.store.StoredIdentity;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link IdentityRecords} in memory: lost on restart (a restarted bot asks for new tokens). Bounded: past
 * {@code maxUsers} a new user's identity is refused like a full disk would ({@link StoreException}). Thread-safe.
 */
final class MemoryIdentities implements IdentityRecords {
    private final ConcurrentHashMap<String, StoredIdentity> rows = new ConcurrentHashMap<>();
    private final int maxUsers;

    public MemoryIdentities(int maxUsers) {
        this.maxUsers = maxUsers;
    }

    @Override
    public Optional<StoredIdentity> find(String userKey) {
        return Optional.ofNullable(rows.get(userKey));
    }

    /** Forgets {@code userKey}'s identity; true when there was one. */
    boolean remove(String userKey) {
        return rows.remove(userKey) != null;
    }

    @Override
    public void save(StoredIdentity identity) {
        Objects.requireNonNull(identity, "identity");
        if (rows.size() >= maxUsers && !rows.containsKey(identity.userKey())) {
            throw new StoreException("Store failed to save identity: the in-memory store is full (" + maxUsers
                    + " users)", null);
        }
        rows.put(identity.userKey(), identity);
    }
}
