package dev.nemobot.core.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;

/**
 * {@link UserDefaults} in the {@code user_defaults} table, the same SQL on SQLite and PostgreSQL; the flags are sealed
 * with the store's {@link TokenCipher}, bound to their user key. Thread-safe.
 */
final class JdbcUserDefaults implements UserDefaults {
    private static final String AAD = "user_defaults:";

    private final Database db;
    private final GroupCommitWriter writer;
    private final TokenCipher cipher;
    private final Clock clock;

    JdbcUserDefaults(Database db, GroupCommitWriter writer, Clock clock) {
        this.db = db;
        this.writer = writer;
        this.cipher = db.cipher();
        this.clock = clock;
    }

    @Override
    public String get(String userKey) {
        writer.flush();
        return db.read("read a user's defaults", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT options FROM user_defaults WHERE user_key = ?")) {
                ps.setString(1, userKey);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? cipher.open(AAD + userKey, rs.getString(1)) : "";
                }
            }
        });
    }

    @Override
    public void put(String userKey, String flags) {
        if (flags.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("defaults too long: " + flags.length());
        }
        String sealed = flags.isBlank() ? null : cipher.seal(AAD + userKey, flags);
        long now = clock.millis();
        writer.write("save a user's defaults", c -> {
            if (sealed == null) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM user_defaults WHERE user_key = ?")) {
                    ps.setString(1, userKey);
                    ps.executeUpdate();
                }
                return null;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO user_defaults (user_key, options, updated_at) "
                    + "VALUES (?,?,?) ON CONFLICT (user_key) DO UPDATE SET options = excluded.options, "
                    + "updated_at = excluded.updated_at")) {
                ps.setString(1, userKey);
                ps.setString(2, sealed);
                ps.setLong(3, now);
                ps.executeUpdate();
            }
            return null;
        });
    }
}
