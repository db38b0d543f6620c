package dev.nemobot.core.store;

import dev.nemobot.core.files.PrivateFiles;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.nemobot.config.Secret;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store on plain JDBC for both engines: SQLite (one pooled connection; SQLite has one writer anyway) and
 * PostgreSQL (a HikariCP pool). One schema, migrated by Flyway from {@code db/migration}. Leases are compare-and-set
 * updates against this instance's id; PostgreSQL claims with {@code FOR UPDATE SKIP LOCKED} so instances claiming at
 * once never wait for each other. Bookkeeping writes (turn ends, handled messages) and lease renewal go through one
 * writer thread, in batches. Thread-safe.
 */
final class JdbcStore implements IdentityStore {
    private static final Logger log = LoggerFactory.getLogger(JdbcStore.class);
    private static final int MAX_BATCH = 512;
    private static final Duration KEEP_FINISHED = Duration.ofDays(7);
    private static final String CIPHER_CHECK = "cipher_check";
    private static final String CLIENT_ID_AAD = "client_id:";

    private enum Dialect { SQLITE, POSTGRES }

    private final HikariDataSource pool;
    /** Readers: on SQLite a few connections beside the writer's (WAL lets them read while it writes). */
    private final HikariDataSource readers;
    private final Dialect dialect;
    private final TokenCipher cipher;
    private final Clock clock;
    private final Duration lease;
    private final InstanceSlot slot;
    private final String instance;
    private final BlockingQueue<Write> pending = new ArrayBlockingQueue<>(50_000);
    private final Thread writer;
    private volatile boolean writerClosed;
    /** SQLite's statements, compiled once per connection; null on PostgreSQL (pgjdbc caches its own). */
    private final StatementCache statements;

    private JdbcStore(HikariDataSource pool, HikariDataSource readers, Dialect dialect, StoreOptions o,
                      InstanceSlot slot) {
        this.pool = pool;
        this.readers = readers;
        this.dialect = dialect;
        this.cipher = o.cipher();
        this.clock = o.clock();
        this.lease = o.lease();
        this.slot = slot;
        this.instance = slot.id();
        this.statements = dialect == Dialect.SQLITE ? new StatementCache() : null;
        // a platform thread: SQLite's native calls would pin a virtual thread's carrier anyway
        this.writer = Thread.ofPlatform().name("nemobot-store-writer").daemon().unstarted(this::drainWrites);
    }

    static JdbcStore open(StoreOptions o) {
        boolean postgres = o.database().postgres();
        Path dataDir = o.sqliteFile().toAbsolutePath().getParent();
        HikariDataSource pool = null;
        HikariDataSource readers = null;
        InstanceSlot slot = null;
        try {
            if (dataDir != null) {
                PrivateFiles.createDirectories(dataDir);
            }
            if (!postgres) {
                // made owner-only before SQLite opens it: its -wal and -shm files take the database file's mode
                PrivateFiles.createFile(o.sqliteFile().toAbsolutePath());
            }
            slot = InstanceSlot.take(dataDir == null ? Path.of(".") : dataDir, o.instanceId());
            pool = new HikariDataSource(poolConfig(o, false));
            readers = postgres ? pool : new HikariDataSource(poolConfig(o, true));
            JdbcStore store = new JdbcStore(pool, readers, postgres ? Dialect.POSTGRES : Dialect.SQLITE, o, slot);
            // PostgreSQL: Flyway serialises instances starting at once with an advisory lock. SQLite: a file lock
            // beside the database does (two processes migrating one file at once would collide)
            try (StartLock ignored = postgres ? StartLock.NONE : StartLock.take(dataDir)) {
                store.migrate();
                store.sealPlainTokens();
                store.checkKey();
                store.pruneFinished();
                // this instance's lease, before it claims anything (its rows are held while the lease runs)
                store.sql("renew the lease", c -> {
                    store.renew(c, store.leaseEnd());
                    return null;
                });
            }
            store.writer.start();
            log.info("store: {} (schema migrated), instance {}", postgres ? "PostgreSQL" : "SQLite " + o.sqliteFile(),
                    store.instance);
            return store;
        } catch (IOException | SQLException | RuntimeException e) {
            if (readers != null && readers != pool) {
                readers.close();
            }
            if (pool != null) {
                pool.close();
            }
            if (slot != null) {
                slot.close();
            }
            if (e instanceof StoreException se) {
                throw se;
            }
            // never the URL: it may carry a password
            String where = postgres ? "the PostgreSQL store (DATABASE_URL)" : "the store at " + o.sqliteFile();
            throw new StoreException("Cannot open " + where + ": " + rootMessage(e), e);
        }
    }

    private static HikariConfig poolConfig(StoreOptions o, boolean sqliteReaders) {
        HikariConfig c = new HikariConfig();
        c.setPoolName(sqliteReaders ? "nemobot-store-read" : "nemobot-store");
        if (o.database().postgres()) {
            c.setJdbcUrl(o.database().url().orElseThrow().reveal());
            o.database().user().ifPresent(c::setUsername);
            o.database().password().map(Secret::reveal).ifPresent(c::setPassword);
            c.setMaximumPoolSize(o.database().poolSize());
            c.setMinimumIdle(Math.min(2, o.database().poolSize()));
        } else {
            c.setJdbcUrl("jdbc:sqlite:" + o.sqliteFile().toAbsolutePath());
            // SQLite has one writer (more writing connections would only spin in its busy handler): every write goes
            // through the writer thread's one connection, grouped into transactions; reads use their own few
            c.setMaximumPoolSize(sqliteReaders ? 4 : 1);
            c.setMinimumIdle(1);
            c.setConnectionInitSql("PRAGMA busy_timeout=10000");
            // FULL (the default) syncs the log on every commit, so an export recorded before its submit survives a
            // power cut too, not only the process being killed. NORMAL would save that fsync (about 0.4 ms and 4 %
            // of the engine's CPU under load, measured) at the price of the last commits on a power cut; the group
            // commit already shares one fsync among all the writes that arrive together
            c.addDataSourceProperty("synchronous", "FULL");
            // the driver otherwise runs a second query after every INSERT for keys nobody asks for
            c.addDataSourceProperty("jdbc.get_generated_keys", "false");
            if (!sqliteReaders) {
                // the writer's transactions take the write lock when they begin: one that reads first (a claim
                // looks before it takes) could otherwise fail with SQLITE_BUSY when another process on the same
                // file wrote in between, rather than wait its turn
                c.addDataSourceProperty("transaction_mode", "IMMEDIATE");
            }
        }
        c.setConnectionTimeout(30_000);
        c.setInitializationFailTimeout(1); // a database that is not there fails the start at once, saying so
        return c;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.replaceAll("(?i)password=[^&\\s]*", "password=***");
    }

    // ------------------------------------------------------------------------------------------------ schema

    private void migrate() throws SQLException {
        var config = Flyway.configure()
                .dataSource(pool)
                .locations("classpath:db/migration")
                .javaMigrations(new V9_1__Seal_client_ids(cipher))
                .loggers("slf4j");
        int legacy = dialect == Dialect.SQLITE ? legacyVersion() : 0;
        if (legacy > 0) {
            // a store made before Flyway kept its own version table: take it as the baseline
            config.baselineOnMigrate(true).baselineVersion(String.valueOf(legacy))
                    .baselineDescription("hand-migrated schema " + legacy);
        }
        try {
            config.load().migrate();
        } catch (FlywayException e) {
            throw new SQLException("migrating the schema failed: " + e.getMessage(), e);
        }
        if (dialect == Dialect.SQLITE) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
            }
            restrictSqliteFiles();
        }
    }

    /** A store made by an older version may have its files readable by others: owner-only from now on. */
    private void restrictSqliteFiles() {
        Path db = Path.of(pool.getJdbcUrl().substring("jdbc:sqlite:".length()));
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            try {
                PrivateFiles.restrict(db.resolveSibling(db.getFileName() + suffix));
            } catch (IOException e) {
                log.warn("store: cannot make {} owner-only: {}", db.getFileName() + suffix, e.toString());
            }
        }
    }

    /** The version a pre-Flyway SQLite store recorded in its own table, or 0. */
    private int legacyVersion() throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            if (!exists(s, "schema_version") || exists(s, "flyway_schema_history")) {
                return 0;
            }
            try (ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    private static boolean exists(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT 1 FROM sqlite_master WHERE type='table' AND name='" + table + "'")) {
            return rs.next();
        }
    }

    /** Seals tokens an older version kept in plain text (schema 1); nothing to do on later stores. */
    private void sealPlainTokens() throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement q = c.prepareStatement("SELECT user_key, token FROM identities "
                    + "WHERE token IS NOT NULL AND token NOT LIKE 'v1:%'");
                 PreparedStatement u = c.prepareStatement("UPDATE identities SET token = ? WHERE user_key = ?");
                 ResultSet rs = q.executeQuery()) {
                int n = 0;
                while (rs.next()) {
                    if (!TokenCipher.isSealed(rs.getString(2))) {
                        u.setString(1, cipher.seal(rs.getString(1), rs.getString(2)));
                        u.setString(2, rs.getString(1));
                        u.executeUpdate();
                        n++;
                    }
                }
                c.commit();
                if (n > 0) {
                    log.info("store: sealed {} token(s) kept in plain text by an older version", n);
                }
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** Fails at start, rather than at a user's first message, when the store was written with another key. */
    private void checkKey() throws SQLException {
        try (Connection c = pool.getConnection()) {
            String check = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM store_meta WHERE name = ?")) {
                ps.setString(1, CIPHER_CHECK);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        check = rs.getString(1);
                    }
                }
            }
            if (check != null) {
                cipher.open(CIPHER_CHECK, check);
                return;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT user_key, token FROM identities "
                    + "WHERE token IS NOT NULL LIMIT 1"); ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    cipher.open(rs.getString(1), rs.getString(2));
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO store_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
                ps.setString(1, CIPHER_CHECK);
                ps.setString(2, cipher.seal(CIPHER_CHECK, "ok"));
                ps.executeUpdate();
            }
        }
    }

    private void pruneFinished() throws SQLException {
        try (Connection c = pool.getConnection()) {
            deleteExpired(c);
        }
    }

    /** Deletes exports finished over a week ago and spend rows of days over three days ago. */
    private void deleteExpired(Connection c) throws SQLException {
        try (PreparedStatement exports = c.prepareStatement("DELETE FROM pending_exports WHERE finished_at < ?");
             PreparedStatement credits = c.prepareStatement("DELETE FROM credit_spend WHERE day < ?")) {
            exports.setLong(1, clock.millis() - KEEP_FINISHED.toMillis());
            exports.executeUpdate();
            credits.setString(1, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(3).toString());
            credits.executeUpdate();
        }
    }

    /**
     * A client id sealed for its row. The associated data differs from the token's, so a sealed token copied into
     * the client id column (or back) does not open.
     */
    static String sealClientId(TokenCipher cipher, String userKey, String clientId) {
        return cipher.seal(CLIENT_ID_AAD + userKey, clientId);
    }

    /** A stored client id; one still in plain text (written by an older instance sharing the store) as it is. */
    private String openClientId(String userKey, String stored) {
        return TokenCipher.isSealed(stored) ? cipher.open(CLIENT_ID_AAD + userKey, stored) : stored;
    }

    @Override
    public void pruneExpired() {
        write("prune finished exports and old spend", c -> {
            deleteExpired(c);
            return null;
        });
    }

    @Override
    public String instanceId() {
        return instance;
    }

    // ------------------------------------------------------------------------------------------------ identities

    @Override
    public Optional<StoredIdentity> find(String userKey) {
        return read("read identity", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT client_id, token, token_expires_at, task_id, "
                    + "session_id, bind_id, language FROM identities WHERE user_key = ?")) {
                ps.setString(1, userKey);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    String token = rs.getString(2);
                    long expires = rs.getLong(3);
                    boolean hasToken = token != null && !rs.wasNull();
                    Optional<StoredIdentity.StoredSession> session = Optional.empty();
                    if (rs.getString(5) != null) {
                        session = Optional.of(new StoredIdentity.StoredSession(rs.getString(4), rs.getString(5),
                                Optional.ofNullable(rs.getString(6)), Optional.ofNullable(rs.getString(7)).orElse("en")));
                    }
                    return Optional.of(new StoredIdentity(userKey, openClientId(userKey, rs.getString(1)),
                            hasToken ? Optional.of(Secret.of(cipher.open(userKey, token))) : Optional.empty(),
                            hasToken ? Optional.of(Instant.ofEpochMilli(expires)) : Optional.empty(), session));
                }
            }
        });
    }

    @Override
    public void save(StoredIdentity id) {
        // sealed here, on the caller's thread, not on SQLite's one writer thread
        String sealed = id.token().map(t -> cipher.seal(id.userKey(), t.reveal())).orElse(null);
        String clientId = sealClientId(cipher, id.userKey(), id.clientId());
        write("save identity", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO identities (user_key, client_id, token, "
                    + "token_expires_at, task_id, session_id, bind_id, language, updated_at) VALUES (?,?,?,?,?,?,?,?,?) "
                    + "ON CONFLICT (user_key) DO UPDATE SET client_id = excluded.client_id, token = excluded.token, "
                    + "token_expires_at = excluded.token_expires_at, task_id = excluded.task_id, "
                    + "session_id = excluded.session_id, bind_id = excluded.bind_id, language = excluded.language, "
                    + "updated_at = excluded.updated_at")) {
                ps.setString(1, id.userKey());
                ps.setString(2, clientId);
                ps.setString(3, sealed);
                if (id.tokenExpiresAt().isPresent()) {
                    ps.setLong(4, id.tokenExpiresAt().get().toEpochMilli());
                } else {
                    ps.setNull(4, Types.BIGINT);
                }
                ps.setString(5, id.session().map(StoredIdentity.StoredSession::taskId).orElse(null));
                ps.setString(6, id.session().map(StoredIdentity.StoredSession::sessionId).orElse(null));
                ps.setString(7, id.session().flatMap(StoredIdentity.StoredSession::bindId).orElse(null));
                ps.setString(8, id.session().map(StoredIdentity.StoredSession::language).orElse(null));
                ps.setLong(9, clock.millis());
                ps.executeUpdate();
            }
            return null;
        });
    }

    // ------------------------------------------------------------------------------------------------ exports

    private static final String EXPORT_COLUMNS = "render_id, user_platform, user_id, user_name, user_locale, "
            + "conv_platform, conv_id, conv_group, conv_guild, task_id, session_id, submitted_at, progress_message";

    @Override
    public void savePendingExport(PendingExport e) {
        write("save export", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO pending_exports (" + EXPORT_COLUMNS
                    + ", owner, state) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,'rendering') "
                    + "ON CONFLICT (render_id) DO UPDATE SET owner = excluded.owner, "
                    + "state = 'rendering', finished_at = NULL")) {
                int i = bindUserAndConversation(ps, 1, e.renderId(), e.user(), e.conversation());
                ps.setString(i++, e.taskId());
                ps.setString(i++, e.sessionId());
                ps.setLong(i++, e.submittedAt().toEpochMilli());
                ps.setString(i++, e.progressMessage().orElse(null));
                ps.setString(i, instance);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void removePendingExport(String renderId) {
        write("remove export", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM pending_exports WHERE render_id = ?")) {
                ps.setString(1, renderId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean startDelivery(String renderId) {
        return write("start delivery", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE pending_exports SET state = 'delivering' "
                    + "WHERE render_id = ? AND owner = ? AND state <> 'delivered' AND state <> 'ended'")) {
                ps.setString(1, renderId);
                ps.setString(2, instance);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void finishExport(String renderId, boolean delivered) {
        write("finish export", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE pending_exports SET state = ?, finished_at = ?, "
                    + "owner = NULL WHERE render_id = ? AND (owner = ? OR owner IS NULL)")) {
                ps.setString(1, delivered ? "delivered" : "ended");
                ps.setLong(2, clock.millis());
                ps.setString(3, renderId);
                ps.setString(4, instance);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<String> exportState(String renderId) {
        return read("read export", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT state FROM pending_exports WHERE render_id = ?")) {
                ps.setString(1, renderId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean exportRunningElsewhere(String sessionId) {
        return read("read exports", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pending_exports WHERE session_id = ? "
                    + "AND state IN ('rendering', 'delivering') AND owner <> ? AND " + held("pending_exports")
                    + " LIMIT 1")) {
                ps.setString(1, sessionId);
                ps.setString(2, instance);
                ps.setLong(3, clock.millis());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public List<PendingExport> claimExports(String platform, boolean includeOwn, int max) {
        long now = clock.millis();
        String lock = dialect == Dialect.POSTGRES ? " FOR UPDATE SKIP LOCKED" : "";
        return write("claim exports", c -> {
            if (!includeOwn && !anythingFree(c, "pending_exports", " AND state IN ('rendering', 'delivering')", now)) {
                return List.of();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE pending_exports SET owner = ? "
                    + "WHERE render_id IN (SELECT render_id FROM pending_exports WHERE conv_platform = ? "
                    + "AND state IN ('rendering', 'delivering') AND (owner IS NULL OR "
                    + (includeOwn ? "owner = ? OR " : "owner <> ? AND ") + lapsed("pending_exports")
                    + ") ORDER BY submitted_at LIMIT ?" + lock + ") "
                    + "RETURNING " + EXPORT_COLUMNS)) {
                int i = 1;
                ps.setString(i++, instance);
                ps.setString(i++, platform);
                ps.setString(i++, instance);
                ps.setLong(i++, now);
                ps.setInt(i, max);
                List<PendingExport> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(pendingExport(rs));
                    }
                }
                out.sort(java.util.Comparator.comparing(PendingExport::submittedAt));
                return out;
            }
        });
    }

    @Override
    public void releaseExport(String renderId) {
        write("release export", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE pending_exports SET owner = NULL "
                    + "WHERE render_id = ? AND owner = ?")) {
                ps.setString(1, renderId);
                ps.setString(2, instance);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<PendingExport> pendingExports(String platform) {
        return read("read exports", c -> {
            List<PendingExport> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + EXPORT_COLUMNS + " FROM pending_exports "
                    + "WHERE conv_platform = ? AND state IN ('rendering', 'delivering') ORDER BY submitted_at")) {
                ps.setString(1, platform);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(pendingExport(rs));
                    }
                }
            }
            return out;
        });
    }

    // ------------------------------------------------------------------------------------------------ turns

    @Override
    public boolean claimTurn(ChatUser user, Conversation conversation, Instant startedAt, String turnId) {
        return write("claim turn", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO running_turns (user_key, user_platform, "
                    + "user_id, user_name, user_locale, conv_platform, conv_id, conv_group, conv_guild, started_at, "
                    + "owner, turn_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) "
                    + "ON CONFLICT (user_key) DO UPDATE SET user_platform = excluded.user_platform, "
                    + "user_id = excluded.user_id, user_name = excluded.user_name, user_locale = excluded.user_locale, "
                    + "conv_platform = excluded.conv_platform, conv_id = excluded.conv_id, "
                    + "conv_group = excluded.conv_group, conv_guild = excluded.conv_guild, "
                    + "started_at = excluded.started_at, owner = excluded.owner, turn_id = excluded.turn_id "
                    + "WHERE running_turns.owner = excluded.owner OR running_turns.owner IS NULL OR "
                    + lapsed("running_turns"))) {
                int i = bindUserAndConversation(ps, 1, user.key(), user, conversation);
                ps.setLong(i++, startedAt.toEpochMilli());
                ps.setString(i++, instance);
                ps.setString(i++, turnId);
                ps.setLong(i, clock.millis());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void endTurn(String userKey, String turnId) {
        writeBehind(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM running_turns WHERE user_key = ? AND turn_id = ? AND owner = ?")) {
                ps.setString(1, userKey);
                ps.setString(2, turnId);
                ps.setString(3, instance);
                ps.executeUpdate();
            }
        });
    }

    @Override
    public List<InterruptedTurn> claimInterruptedTurns(String platform, boolean includeOwn) {
        flush();
        long now = clock.millis();
        String lock = dialect == Dialect.POSTGRES ? " FOR UPDATE SKIP LOCKED" : "";
        return write("claim interrupted turns", c -> {
            if (!includeOwn && !anythingFree(c, "running_turns", "", now)) {
                return List.of();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM running_turns WHERE user_key IN ("
                    + "SELECT user_key FROM running_turns WHERE conv_platform = ? AND (owner IS NULL OR "
                    + (includeOwn ? "owner = ? OR " : "owner <> ? AND ") + lapsed("running_turns")
                    + ")" + lock + ") RETURNING user_platform, user_id, "
                    + "user_name, user_locale, conv_platform, conv_id, conv_group, conv_guild, started_at")) {
                ps.setString(1, platform);
                ps.setString(2, instance);
                ps.setLong(3, now);
                List<InterruptedTurn> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new InterruptedTurn(user(rs, 1), conversation(rs, 5),
                                Instant.ofEpochMilli(rs.getLong(9))));
                    }
                }
                out.sort(java.util.Comparator.comparing(InterruptedTurn::startedAt));
                return out;
            }
        });
    }

    @Override
    public void renewLeases() {
        long until = leaseEnd();
        write("renew leases", c -> {
            renew(c, until);
            return null;
        });
    }

    /** One row, however much work this instance holds: its jobs and turns are held while it runs. */
    private void renew(Connection c, long until) throws SQLException {
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
    private boolean anythingFree(Connection c, String table, String active, long now) throws SQLException {
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
    private static String lapsed(String table) {
        return "NOT " + held(table);
    }

    /** SQL true when the owner of {@code table}'s row holds a running lease; its one parameter is the time now. */
    private static String held(String table) {
        return "EXISTS (SELECT 1 FROM instance_leases l WHERE l.instance = " + table + ".owner "
                + "AND l.lease_until >= ?)";
    }

    private long leaseEnd() {
        return clock.millis() + lease.toMillis();
    }

    // ------------------------------------------------------------------------------------------------ credits

    @Override
    public long creditsSpent(String userKey, LocalDate day) {
        return read("read credits spent", c -> {
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
    public void addCreditsSpent(String userKey, LocalDate day, long credits) {
        if (credits < 0) {
            throw new IllegalArgumentException("credits must be >= 0, was " + credits);
        }
        write("count credits spent", c -> {
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

    // ------------------------------------------------------------------------------------------------ handled

    @Override
    public void recordHandled(String platform, String messageId, Instant at) {
        // called on a platform's event thread: never wait; past a full backlog the record is dropped (the in-memory
        // de-duplication still holds until a restart)
        if (writerClosed || !pending.offer(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO handled_messages (platform, message_id, "
                    + "handled_at) VALUES (?,?,?) ON CONFLICT (platform, message_id) DO NOTHING")) {
                ps.setString(1, platform);
                ps.setString(2, messageId);
                ps.setLong(3, at.toEpochMilli());
                ps.executeUpdate();
            }
        })) {
            log.warn("store: write backlog full; message {} of {} not recorded as handled", messageId, platform);
        }
    }

    @Override
    public boolean claimHandled(String platform, String messageId, Instant at) {
        // one atomic insert-if-absent: of two instances handed the same update, exactly one inserts the row
        return write("claim a handled message", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO handled_messages (platform, message_id, "
                    + "handled_at) VALUES (?,?,?) ON CONFLICT (platform, message_id) DO NOTHING")) {
                ps.setString(1, platform);
                ps.setString(2, messageId);
                ps.setLong(3, at.toEpochMilli());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<Map.Entry<String, String>> handledSince(Instant since, int max) {
        flush();
        return read("read handled messages", c -> {
            List<Map.Entry<String, String>> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT platform, message_id FROM handled_messages "
                    + "WHERE handled_at >= ? ORDER BY handled_at DESC LIMIT ?")) {
                ps.setLong(1, since.toEpochMilli());
                ps.setInt(2, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Map.entry(rs.getString(1), rs.getString(2)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void forgetHandledBefore(Instant before) {
        flush();
        write("forget handled messages", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM handled_messages WHERE handled_at < ?")) {
                ps.setLong(1, before.toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
    }

    // ------------------------------------------------------------------------------------------------ rows

    /** Binds key, user (4 columns) and conversation (4 columns) from {@code i}; returns the next index. */
    private static int bindUserAndConversation(PreparedStatement ps, int i, String key, ChatUser u, Conversation c)
            throws SQLException {
        ps.setString(i++, key);
        ps.setString(i++, u.platform());
        ps.setString(i++, u.id());
        ps.setString(i++, u.displayName());
        ps.setString(i++, u.locale().toLanguageTag());
        ps.setString(i++, c.platform());
        ps.setString(i++, c.id());
        ps.setInt(i++, c.group() ? 1 : 0);
        ps.setString(i++, c.guild());
        return i;
    }

    /** A row of {@link #EXPORT_COLUMNS}. */
    private static PendingExport pendingExport(ResultSet rs) throws SQLException {
        return new PendingExport(rs.getString(1), user(rs, 2), conversation(rs, 6), rs.getString(10),
                rs.getString(11), Instant.ofEpochMilli(rs.getLong(12)), Optional.ofNullable(rs.getString(13)));
    }

    private static ChatUser user(ResultSet rs, int from) throws SQLException {
        return new ChatUser(rs.getString(from), rs.getString(from + 1), rs.getString(from + 2),
                Locale.forLanguageTag(Optional.ofNullable(rs.getString(from + 3)).orElse("")));
    }

    private static Conversation conversation(ResultSet rs, int from) throws SQLException {
        return new Conversation(rs.getString(from), rs.getString(from + 1), rs.getInt(from + 2) != 0,
                rs.getString(from + 3));
    }

    // ------------------------------------------------------------------------------------------------ writer

    /**
     * Hands a bookkeeping write to the writer thread, which applies them in order, many to a transaction: callers
     * never queue on the connection for these, and a crash loses at most the last few milliseconds of them. When the
     * queue is full the caller waits (bounded backlog).
     */
    private void writeBehind(Write w) {
        if (writerClosed) {
            sql("write", c -> {
                w.run(c);
                return null;
            });
            return;
        }
        try {
            pending.put(w);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while recording", e);
        }
    }

    /** Waits until every write queued so far is applied (reads of the written-behind tables call it first). */
    private void flush() {
        if (writerClosed || Thread.currentThread() == writer) {
            return;
        }
        Flush done = new Flush();
        writeBehind(done);
        try {
            if (!done.applied.await(30, TimeUnit.SECONDS)) {
                log.warn("store: pending writes not applied within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drainWrites() {
        List<Write> batch = new ArrayList<>();
        // renewal is paced in real time (the lease's values come from the clock): every third of the lease
        long period = Math.max(100, lease.toMillis() / 3);
        long nextRenewal = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(period);
        while (!writerClosed || !pending.isEmpty()) {
            if (System.nanoTime() - nextRenewal >= 0) {
                nextRenewal = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(period);
                batch.add(c -> renew(c, leaseEnd()));
            }
            try {
                Write first = pending.poll(Math.min(200, period), TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (batch.isEmpty()) {
                continue;
            }
            pending.drainTo(batch, MAX_BATCH - batch.size());
            applyBatch(batch);
            batch.clear();
        }
    }

    private void applyBatch(List<Write> batch) {
        try (Connection pooled = pool.getConnection()) {
            Connection c = cached(pooled);
            c.setAutoCommit(false);
            try {
                for (Write w : batch) {
                    w.run(c);
                }
                c.commit();
                batch.forEach(JdbcStore::committed);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                if (batch.size() == 1) {
                    failed(batch.getFirst(), e);
                } else {
                    // one write spoilt the group: apply each alone, so only that one fails
                    for (Write w : batch) {
                        try {
                            w.run(c);
                            c.commit();
                            committed(w);
                        } catch (SQLException | RuntimeException one) {
                            c.rollback();
                            failed(w, one);
                        }
                    }
                }
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            log.warn("store: a batch of {} write(s) failed: {}", batch.size(), e.getMessage());
            batch.forEach(w -> failed(w, e));
        } finally {
            for (Write w : batch) {
                if (w instanceof Flush f) {
                    f.applied.countDown();
                }
            }
        }
    }

    private static void committed(Write w) {
        if (w instanceof SyncWrite<?> sw) {
            complete(sw);
        }
    }

    private static <T> void complete(SyncWrite<T> sw) {
        sw.result.complete(sw.value);
    }

    private static void failed(Write w, Exception e) {
        if (w instanceof SyncWrite<?> sw) {
            sw.result.completeExceptionally(e);
        } else if (!(w instanceof Flush)) {
            log.warn("store: a bookkeeping write was lost: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        writerClosed = true;
        try {
            writer.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Write> rest = new ArrayList<>();
        pending.drainTo(rest); // written while the writer was stopping
        if (!rest.isEmpty()) {
            applyBatch(rest);
        }
        if (readers != pool) {
            readers.close();
        }
        pool.close();
        slot.close();
    }

    /** Held while a store starts, so processes sharing one SQLite file migrate it one after the other. */
    private interface StartLock extends AutoCloseable {
        StartLock NONE = () -> { };
        java.util.concurrent.locks.ReentrantLock IN_THIS_JVM = new java.util.concurrent.locks.ReentrantLock();

        @Override
        void close() throws IOException;

        static StartLock take(Path dir) throws IOException {
            IN_THIS_JVM.lock();
            try {
                java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve("start.lock"),
                        java.util.Set.of(java.nio.file.StandardOpenOption.CREATE,
                                java.nio.file.StandardOpenOption.WRITE), PrivateFiles.ownerOnlyFile(dir));
                java.nio.channels.FileLock lock = ch.lock();
                return () -> {
                    try {
                        lock.release();
                        ch.close();
                    } finally {
                        IN_THIS_JVM.unlock();
                    }
                };
            } catch (IOException | RuntimeException e) {
                IN_THIS_JVM.unlock();
                throw e;
            }
        }
    }

    private interface Write {
        void run(Connection c) throws SQLException;
    }

    /** A write whose caller waits: completed once its transaction commits (or with its own failure). */
    private static final class SyncWrite<T> implements Write {
        final Sql<T> body;
        final java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
        T value;

        SyncWrite(Sql<T> body) {
            this.body = body;
        }

        @Override
        public void run(Connection c) throws SQLException {
            value = body.run(c);
        }
    }

    /** A marker in the write queue: released once every write before it is committed. */
    private static final class Flush implements Write {
        final CountDownLatch applied = new CountDownLatch(1);

        @Override
        public void run(Connection c) {
        }
    }

    private Connection cached(Connection pooled) throws SQLException {
        return statements == null ? pooled : statements.around(pooled);
    }

    /** A pragma's value as the writer's connection sees it (tests: the SQLite settings took). */
    String pragma(String name) {
        return sql("read a pragma", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    private interface Sql<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T sql(String what, Sql<T> body) {
        try (Connection c = pool.getConnection()) {
            return body.run(cached(c));
        } catch (SQLException e) {
            throw new StoreException("Store failed to " + what + ": " + e.getMessage(), e);
        }
    }

    private <T> T read(String what, Sql<T> body) {
        try (Connection c = readers.getConnection()) {
            return body.run(cached(c));
        } catch (SQLException e) {
            throw new StoreException("Store failed to " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * A write the caller waits for. On PostgreSQL it runs at once on a pooled connection; on SQLite it joins the
     * writer thread's next transaction (group commit): many callers' writes cost one commit, and none queues for
     * the one connection on its own.
     */
    private <T> T write(String what, Sql<T> body) {
        if (dialect == Dialect.POSTGRES || writerClosed || Thread.currentThread() == writer) {
            return sql(what, body);
        }
        SyncWrite<T> w = new SyncWrite<>(body);
        try {
            pending.put(w);
            return w.result.get(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while writing to the store", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new StoreException("Store failed to " + what + ": the writer did not answer within 2 minutes", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re && !(cause instanceof StoreException)) {
                throw re;
            }
            throw new StoreException("Store failed to " + what + ": " + cause.getMessage(), cause);
        }
    }
}
