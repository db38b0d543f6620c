package dev.nemobot.core.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The engine's durable memory: per-user identities and exports in flight. Implementations are thread-safe and
 * every call is short (meant to be called from virtual threads). The embedded implementation is SQLite; a later
 * one may be PostgreSQL (with the token encrypted at rest). Closed by whoever opened it.
 *
 * @throws StoreException from every method when the storage fails
 */
public interface IdentityStore extends AutoCloseable {

    /** Opens (creating or migrating) the SQLite database {@code file}. */
    static IdentityStore sqlite(Path file) {
        return SqliteIdentityStore.open(file);
    }

    Optional<StoredIdentity> find(String userKey);

    /** Inserts or replaces the row of {@code identity.userKey()}. */
    void save(StoredIdentity identity);

    void savePendingExport(PendingExport export);

    void removePendingExport(String renderId);

    List<PendingExport> pendingExports(String platform);

    @Override
    void close();
}
