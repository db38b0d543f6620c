package dev.nemobot.core;

import dev.nemobot.config.Settings;

/** Two instances on one data directory (one SQLite file, two instance ids). */
class MultiInstanceSqliteTest extends MultiInstanceContract {
    @Override
    Settings shared(Settings base) {
        return base.withDatabase(base.database().withLease(lease));
    }
}
