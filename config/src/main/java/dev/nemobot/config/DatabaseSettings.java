package dev.nemobot.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the durable store lives and how instances sharing it take turns.
 *
 * @param url        {@code DATABASE_URL}: a {@code jdbc:postgresql://host[:port]/db} URL, a {@link Secret} since it may
 *                   carry the password; empty (the default) means the embedded SQLite file under the data directory
 * @param user       {@code DATABASE_USER}, when not in the URL
 * @param password   {@code DATABASE_PASSWORD}, when not in the URL
 * @param poolSize   {@code DATABASE_POOL_SIZE}: connections kept to PostgreSQL (1..200, default 10); SQLite uses one
 * @param instanceId {@code BOT_INSTANCE_ID}: this process's name in leases; empty means one generated once into the
 *                   data directory (so a restart of the same instance takes its own work back at once)
 * @param lease      {@code BOT_LEASE_SECONDS}: how long a claim on an export or a user's turn holds without renewal
 *                   (renewed every third of it); another instance takes the work over once it lapses
 * @param sqliteSync {@code BOT_SQLITE_SYNC}: when the embedded SQLite store syncs its log to the disk (see
 *                   {@link SqliteSync}); PostgreSQL ignores it
 */
public record DatabaseSettings(Optional<Secret> url, Optional<String> user, Optional<Secret> password, int poolSize,
                               Optional<String> instanceId, Duration lease, SqliteSync sqliteSync) {
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    public static final int DEFAULT_POOL_SIZE = 10;

    /**
     * When the embedded SQLite store (in WAL mode) syncs its write-ahead log to the disk: SQLite's
     * {@code PRAGMA synchronous}.
     */
    public enum SqliteSync {
        /**
         * At every commit (the default): what the store has committed survives a power cut or a crash of the
         * machine too, not only a stop or a crash of the bot. Costs a sync of the log per commit (~0.1 ms of CPU
         * and ~0.3 ms of waiting each on the benchmark's machine; the writer shares each among the writes that
         * arrive together).
         */
        FULL,
        /**
         * At every checkpoint, not at every commit: a stop, a {@code kill -9} or a crash of the bot still loses
         * nothing committed, and the file is never corrupted, but a power cut or a crash of the machine may undo the
         * last commits before it (an export recorded before its submit, a handled update, a turn's claim: an export
         * then not delivered, an update handled twice). Saves the sync of every commit.
         */
        NORMAL
    }

    public DatabaseSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(sqliteSync, "sqliteSync");
        if (poolSize < 1 || poolSize > 200) {
            throw new IllegalArgumentException("poolSize must be within 1..200, was " + poolSize);
        }
        if (lease.compareTo(Duration.ofMillis(300)) < 0) {
            throw new IllegalArgumentException("lease must be at least 300 ms, was " + lease);
        }
        url.ifPresent(u -> {
            if (!u.reveal().startsWith("jdbc:postgresql://")) {
                // the value may hold a password: never repeat it
                throw new IllegalArgumentException("url must start with jdbc:postgresql://");
            }
        });
    }

    /** The embedded SQLite store, a generated instance id, the default lease. */
    public static DatabaseSettings embedded() {
        return new DatabaseSettings(Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_POOL_SIZE,
                Optional.empty(), DEFAULT_LEASE, SqliteSync.FULL);
    }

    /** PostgreSQL at {@code jdbcUrl} with these credentials (either may be empty when the URL carries them). */
    public static DatabaseSettings postgres(String jdbcUrl, Optional<String> user, Optional<Secret> password) {
        return new DatabaseSettings(Optional.of(Secret.of(jdbcUrl)), user, password, DEFAULT_POOL_SIZE,
                Optional.empty(), DEFAULT_LEASE, SqliteSync.FULL);
    }

    /** True when the store is PostgreSQL (shared by every instance pointed at it). */
    public boolean postgres() {
        return url.isPresent();
    }

    public DatabaseSettings withInstanceId(String id) {
        return new DatabaseSettings(url, user, password, poolSize, Optional.of(id), lease, sqliteSync);
    }

    public DatabaseSettings withLease(Duration d) {
        return new DatabaseSettings(url, user, password, poolSize, instanceId, d, sqliteSync);
    }

    public DatabaseSettings withPoolSize(int n) {
        return new DatabaseSettings(url, user, password, n, instanceId, lease, sqliteSync);
    }

    public DatabaseSettings withSqliteSync(SqliteSync sync) {
        return new DatabaseSettings(url, user, password, poolSize, instanceId, lease, sync);
    }
}
