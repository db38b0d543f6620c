package dev.nemobot.core.store;

import dev.nemobot.config.DatabaseSettings;
import dev.nemobot.config.Secret;
import dev.nemobot.config.Settings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to open a {@link Store}: which engine, the key that seals tokens, this process's name in leases.
 *
 * @param database   PostgreSQL when its URL is set, else the SQLite file {@code sqliteFile}
 * @param sqliteFile the embedded store's file (ignored with PostgreSQL)
 * @param cipher     seals and opens tokens; every instance sharing a store needs the same key
 * @param instanceId this process's name in leases; empty: one kept in the data directory ({@link InstanceSlot})
 * @param clock      the time leases are measured in (instances sharing a store need roughly synchronised clocks)
 */
public record StoreOptions(DatabaseSettings database, Path sqliteFile, TokenCipher cipher, Optional<String> instanceId,
                           Clock clock) {
    public StoreOptions {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(sqliteFile, "sqliteFile");
        Objects.requireNonNull(cipher, "cipher");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(clock, "clock");
    }

    /** The store's file name under the data directory (SQLite). */
    public static final String SQLITE_FILE = "nemobot.db";

    /** The embedded store at {@code file}, its key beside it, a kept instance id, the system clock. */
    public static StoreOptions sqlite(Path file, TokenCipher cipher) {
        return new StoreOptions(DatabaseSettings.embedded(), file, cipher, Optional.empty(), Clock.systemUTC());
    }

    /**
     * The store the settings describe. With PostgreSQL the key must be given ({@code BOT_SECRET_KEY}): instances
     * on different machines cannot share a generated key file.
     *
     * @throws StoreException when PostgreSQL is configured without a key
     */
    public static StoreOptions from(Settings settings, Clock clock) {
        Path file = settings.dataDir().resolve(SQLITE_FILE);
        Optional<Secret> key = settings.secretKey();
        if (settings.database().postgres() && key.isEmpty()) {
            throw new StoreException("DATABASE_URL is set but BOT_SECRET_KEY is not: every instance sharing the "
                    + "database needs the same key to read the tokens (make one with: openssl rand -base64 32)", null);
        }
        TokenCipher cipher = key.map(k -> TokenCipher.fromBase64(k.reveal()))
                .orElseGet(() -> TokenCipher.fromKeyFile(file.toAbsolutePath().resolveSibling(Store.KEY_FILE)));
        return new StoreOptions(settings.database(), file, cipher, settings.database().instanceId(), clock);
    }

    public Duration lease() {
        return database.lease();
    }

    public StoreOptions withClock(Clock c) {
        return new StoreOptions(database, sqliteFile, cipher, instanceId, c);
    }

    public StoreOptions withInstanceId(String id) {
        return new StoreOptions(database, sqliteFile, cipher, Optional.of(id), clock);
    }

    public StoreOptions withDatabase(DatabaseSettings d) {
        return new StoreOptions(d, sqliteFile, cipher, instanceId, clock);
    }
}
