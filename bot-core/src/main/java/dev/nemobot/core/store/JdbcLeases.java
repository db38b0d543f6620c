package dev.nemobot.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

/**
 * The {@code instance_leases} table: one row per instance, whose lease holds all the work (export jobs, turns) held
 * in its name. Leases are compare-and-set updates against this instance's id; the other tables ask here, in their
 * SQL, whether a row's owner still holds a running lease. Thread-safe.
 */
final class JdbcLeases {
    private final String instance;
    private final Clock clock;
    private final Duration lease;

    JdbcLeases(String instance, Clock clock, Duration lease) {
        this.instance = instance;
        this.clock = clock;
        this.lease = lease;
    }

    /** This process's name in leases. */
    String instance() {
        return instance;
    }

    /** How often the lease is renewed in the background: every third of it. */
    Duration renewEvery() {
        return Duration.ofMillis(Math.max(100, lease.toMillis() / 3));
    }

    /** The renewal as the writer applies it, the lease's end taken when it runs. */
    GroupCommitWriter.Write renewal() {
        return c -> renew(c, leaseEnd());
    }

    long leaseEnd() {
        return clock.millis() + lease.toMillis();
    }

    /** One row, however much work this instance holds: its jobs and turns are held while it runs. */
    void renew(Connection c, long until) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO instance_leases (instance, lease_until) "
                + "VALUES (?, ?) ON CONFLICT (instance) DO UPDATE SET lease_until = excluded.lease_until")) {
            ps.setString(1, instance);
            ps.setLong(2, until);
            ps.executeUpdate();
        }
    }

    /**
     * Whether any of {@code table}'s rows may be free to take: another instance's lease has lapsed, or a row has no
     * owner. Reads two indexes, not the rows: the takeover looks every half lease, and finds nothing nearly always.
     * (Every owner has a lease row: written when its store opens, and by the migration for older owners.)
     */
    boolean anythingFree(Connection c, String table, String active, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM instance_leases WHERE instance <> ? "
                + "AND lease_until < ? UNION ALL SELECT 1 FROM (SELECT 1 FROM " + table + " WHERE owner IS NULL"
                + active + " LIMIT 1) AS free")) {
            ps.setString(1, instance);
            ps.setLong(2, now);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * SQL true when the owner of {@code table}'s row has no running lease (stopped, died or stalled past it, or
     * never had one); its one parameter is the time now.
     */
    static String lapsed(String table) {
        return "NOT " + held(table);
    }

    /** SQL true when the owner of {@code table}'s row holds a running lease; its one parameter is the time now. */
    static String held(String table) {
        return "EXISTS (SELECT 1 FROM instance_leases l WHERE l.instance = " + table + ".owner "
                + "AND l.lease_until >= ?)";
    }
}
