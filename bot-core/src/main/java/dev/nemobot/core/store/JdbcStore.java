package dev.nemobot.core.store;

import dev.nemobot.core.chat.ChatUser;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store on plain JDBC for both engines: the {@link Database} (pools, dialect, migrations, key check), one class
 * per table ({@link JdbcIdentities}, {@link JdbcExportJobs}, {@link JdbcTurnClaims}, {@link JdbcHandledMessages},
 * {@link JdbcCreditLedger}, and {@link JdbcLeases} under the export and turn tables), and the one
 * {@link GroupCommitWriter} they share, which also renews this instance's lease every third of it. Thread-safe.
 */
final class JdbcStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(JdbcStore.class);

    private final Database db;
    private final JdbcLeases leases;
    private final GroupCommitWriter writer;
    private final JdbcIdentities identities;
    private final JdbcExportJobs exports;
    private final JdbcTurnClaims turns;
    private final JdbcHandledMessages handled;
    private final JdbcCreditLedger credits;
    private final JdbcResults results;
    private final JdbcUserDefaults defaults;
    private final Clock clock;

    private JdbcStore(Database db, StoreOptions o) {
        this.db = db;
        this.leases = new JdbcLeases(db.instance(), o.clock(), o.lease());
        this.writer = new GroupCommitWriter(db, leases.renewEvery(), leases.renewal());
        this.identities = new JdbcIdentities(db, writer, o.clock());
        this.exports = new JdbcExportJobs(db, writer, leases, o.clock());
        this.turns = new JdbcTurnClaims(db, writer, leases, o.clock());
        this.handled = new JdbcHandledMessages(db, writer);
        this.credits = new JdbcCreditLedger(db, writer);
        this.results = new JdbcResults(db, writer);
        this.defaults = new JdbcUserDefaults(db, writer, o.clock());
        this.clock = o.clock();
    }

    static JdbcStore open(StoreOptions o) {
        Database db = Database.open(o, d -> {
            try (Connection c = d.connection()) {
                JdbcExportJobs.pruneFinished(c, o.clock());
                JdbcCreditLedger.pruneOldDays(c, o.clock());
                JdbcResults.pruneOld(c, o.clock());
            }
            // this instance's lease, before it claims anything (its rows are held while the lease runs)
            JdbcLeases first = new JdbcLeases(d.instance(), o.clock(), o.lease());
            d.sql("renew the lease", c -> {
                first.renew(c, first.leaseEnd());
                return null;
            });
        });
        JdbcStore store = new JdbcStore(db, o);
        store.writer.start();
        log.info("store: {} (schema migrated), instance {}", o.database().postgres() ? "PostgreSQL"
                : "SQLite " + o.sqliteFile(), store.instanceId());
        return store;
    }

    @Override
    public String instanceId() {
        return leases.instance();
    }

    @Override
    public IdentityRecords identities() {
        return identities;
    }

    @Override
    public ExportJobs exports() {
        return exports;
    }

    @Override
    public TurnClaims turns() {
        return turns;
    }

    @Override
    public HandledMessages handled() {
        return handled;
    }

    @Override
    public CreditLedger credits() {
        return credits;
    }

    @Override
    public Results results() {
        return results;
    }

    @Override
    public UserDefaults defaults() {
        return defaults;
    }

    @Override
    public void pruneExpired() {
        writer.write("prune finished exports and old spend", c -> {
            JdbcExportJobs.pruneFinished(c, clock);
            JdbcCreditLedger.pruneOldDays(c, clock);
            JdbcResults.pruneOld(c, clock);
            return null;
        });
    }

    /**
     * One transaction: on SQLite the writer's (the user's writes queued before it are applied first), on PostgreSQL
     * one of its own. Export jobs are found by the user's platform and id (their table has no user key).
     */
    @Override
    public Forgotten forget(ChatUser user) {
        writer.flush(); // what was written behind for this user (a turn's end) lands first, then is erased
        return writer.write("forget a user", c -> inTransaction(c, tx -> new Forgotten(
                delete(tx, "DELETE FROM identities WHERE user_key = ?", user.key()) > 0,
                delete(tx, "DELETE FROM results WHERE user_key = ?", user.key()),
                delete(tx, "DELETE FROM pending_exports WHERE user_platform = ? AND user_id = ?", user.platform(),
                        user.id()),
                delete(tx, "DELETE FROM running_turns WHERE user_key = ?", user.key()),
                delete(tx, "DELETE FROM credit_spend WHERE user_key = ?", user.key()),
                delete(tx, "DELETE FROM handled_messages WHERE user_key = ?", user.key()),
                delete(tx, "DELETE FROM user_defaults WHERE user_key = ?", user.key()) > 0)));
    }

    private static int delete(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }

    /** Runs {@code body} in a transaction: the caller's when one is open (the writer's batch), else its own. */
    private static <T> T inTransaction(Connection c, Database.Sql<T> body) throws SQLException {
        if (!c.getAutoCommit()) {
            return body.run(c);
        }
        c.setAutoCommit(false);
        try {
            T out = body.run(c);
            c.commit();
            return out;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    @Override
    public void renewLeases() {
        long until = leases.leaseEnd();
        writer.write("renew leases", c -> {
            leases.renew(c, until);
            return null;
        });
    }

    /** The database under the tables (tests: its pragmas). */
    Database database() {
        return db;
    }

    @Override
    public void close() {
        writer.close();
        db.close();
    }
}
