package dev.nemobot.core;

import dev.nemobot.config.DatabaseSettings;
import dev.nemobot.config.Secret;
import dev.nemobot.config.Settings;
import dev.nemobot.core.testing.TestDatabases;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Two instances on one PostgreSQL database (each with its own data directory would work the same). */
class MultiInstancePostgresTest extends MultiInstanceContract {
    private TestDatabases.Postgres db;

    @BeforeEach
    void createDatabase() {
        db = TestDatabases.freshPostgres();
    }

    @AfterEach
    void dropDatabase() throws Exception {
        closeAll();
        if (db != null) {
            db.close();
        }
    }

    @Override
    Settings shared(Settings base) {
        return base.withDatabase(DatabaseSettings.postgres(db.url(), Optional.empty(), Optional.empty())
                        .withPoolSize(4).withLease(lease))
                .withSecretKey(Secret.of("AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="));
    }
}
