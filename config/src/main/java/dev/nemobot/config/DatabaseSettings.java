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
 */
public record DatabaseSettings(Optional<Secret> url, Optional<String> user, Optional<Secret> password, int poolSize,
                               Optional<String> instanceId, Duration lease) {
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    public static final int DEFAULT_POOL_SIZE = 10;

    public DatabaseSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(lease, "lease");
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
                Optional.empty(), DEFAULT_LEASE);
    }

    /** PostgreSQL at {@code jdbcUrl} with these credentials (either may be empty when the URL carries them). */
    public static DatabaseSettings postgres(String jdbcUrl, Optional<String> user, Optional<Secret> password) {
        return new DatabaseSettings(Optional.of(Secret.of(jdbcUrl)), user, password, DEFAULT_POOL_SIZE,
                Optional.empty(), DEFAULT_LEASE);
    }

    /** True when the store is PostgreSQL (shared by every instance pointed at it). */
    public boolean postgres() {
        return url.isPresent();
    }

    public DatabaseSettings withInstanceId(String id) {
        return new DatabaseSettings(url, user, password, poolSize, Optional.of(id), lease);
    }

    public DatabaseSettings withLease(Duration d) {
        return new DatabaseSettings(url, user, password, poolSize, instanceId, d);
    }

    public DatabaseSettings withPoolSize(int n) {
        return new DatabaseSettings(url, user, password, n, instanceId, lease);
    }
}
