package dev.nemobot.core.store;

import java.nio.file.Path;

/**
 * The engine's durable memory, one narrow port per kind of record: per-user identities ({@link IdentityRecords}),
 * export jobs until delivered ({@link ExportJobs}), running turns ({@link TurnClaims}), handled platform messages
 * ({@link HandledMessages}), the daily spend ({@link CreditLedger}) and the requests behind delivered results
 * ({@link Results}); everything kept for one user is erased at once by {@link Forgetting#forget}. Two engines,
 * one schema (Flyway migrations): an embedded SQLite file (the default) and PostgreSQL ({@code DATABASE_URL}),
 * which any number of instances may share. Work that must be done by one instance at a time (an export job, a
 * user's turn) is held under a lease in this instance's name ({@link #instanceId()}),
 * renewed in the background while the store is open; another instance
 * takes it over once the lease has lapsed. Tokens are kept sealed with AES-GCM ({@link TokenCipher}). Implementations
 * are thread-safe and every call is short (meant to be called from virtual threads). Closed by whoever opened it;
 * the ports are not to be used after.
 *
 * @throws StoreException from every method when the storage fails
 */
public interface Store extends Forgetting, AutoCloseable {

    /**
     * Opens (creating or migrating) the SQLite database {@code file}, its tokens sealed with the key kept in
     * {@code secret.key} beside it (generated once, owner-only).
     */
    static Store sqlite(Path file) {
        return sqlite(file, TokenCipher.fromKeyFile(file.toAbsolutePath().resolveSibling(KEY_FILE)));
    }

    /** Opens (creating or migrating) the SQLite database {@code file}, its tokens sealed with {@code cipher}. */
    static Store sqlite(Path file, TokenCipher cipher) {
        return open(StoreOptions.sqlite(file, cipher));
    }

    /** Opens (creating or migrating) the store {@code options} describe. */
    static Store open(StoreOptions options) {
        return JdbcStore.open(options);
    }

    /** The key file's name, beside the database, when no key is configured. */
    String KEY_FILE = "secret.key";

    /** This process's name in the leases it holds. */
    String instanceId();

    IdentityRecords identities();

    ExportJobs exports();

    TurnClaims turns();

    HandledMessages handled();

    /** Credits each user spent per day (UTC) of the operator's token: shared by every instance sharing the store. */
    CreditLedger credits();

    /** The requests behind delivered results, for the buttons under them; kept {@link Results#KEEP}. */
    Results results();

    /** Each user's default video options ({@code /settings}). */
    UserDefaults defaults();

    /**
     * Forgets what is kept only for a while: export jobs finished over a week ago, daily spend rows of days
     * over three days ago and results' requests kept over {@link Results#KEEP} ago (also done at every start).
     */
    void pruneExpired();

    /** Extends this instance's lease, which holds all its work (also done in the background every third of it). */
    void renewLeases();

    @Override
    void close();
}
