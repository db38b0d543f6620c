package dev.nemobot.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * {@link CreditLedger} in the {@code credit_spend} table: one row per user and day, added to with an upsert so that
 * concurrent adds (from any instance) all count. Days over three days ago are pruned. Thread-safe.
 */
final class JdbcCreditLedger implements CreditLedger {
    private final Database db;
    private final GroupCommitWriter writer;

    JdbcCreditLedger(Database db, GroupCommitWriter writer) {
        this.db = db;
        this.writer = writer;
    }

    /** Deletes the rows of days over three days ago. */
    static void pruneOldDays(Connection c, Clock clock) throws SQLException {
        try (PreparedStatement credits = c.prepareStatement("DELETE FROM credit_spend WHERE day < ?")) {
            credits.setString(1, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(3).toString());
            credits.executeUpdate();
        }
    }

    @Override
    public long spent(String userKey, LocalDate day) {
        return db.read("read credits spent", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT credits FROM credit_spend WHERE user_key = ? AND day = ?")) {
                ps.setString(1, userKey);
                ps.setString(2, day.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public int forget(String userKey) {
        return writer.write("forget a user's spend", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM credit_spend WHERE user_key = ?")) {
                ps.setString(1, userKey);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void add(String userKey, LocalDate day, long credits) {
        if (credits < 0) {
            throw new IllegalArgumentException("credits must be >= 0, was " + credits);
        }
        writer.write("count credits spent", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO credit_spend (user_key, day, credits) "
                    + "VALUES (?,?,?) ON CONFLICT (user_key, day) DO UPDATE SET credits = credit_spend.credits + "
                    + "excluded.credits")) {
                ps.setString(1, userKey);
                ps.setString(2, day.toString());
                ps.setLong(3, credits);
                ps.executeUpdate();
            }
            return null;
        });
    }
}
