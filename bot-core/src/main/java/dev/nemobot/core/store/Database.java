package dev.nemobot.core.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.nemobot.config.Secret;
import dev.nemobot.core.chat.kit.PrivateFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database the JDBC store keeps its tables in, opened for both engines: SQLite (one pooled writing connection;
 * SQLite has one writer anyway, plus a few readers) and PostgreSQL (a HikariCP pool). Opening makes the data
 * directory and the SQLite files the owner's only, takes this process's {@link InstanceSlot}, checks the key against
 * what the store already holds sealed (reading only), migrates the one schema with Flyway from {@code db/migration}
 * (all pending migrations in one transaction: one that cannot complete leaves the store as it was) and seals tokens an
 * older version kept in plain text, all under a start lock (so processes sharing one SQLite file migrate it one after
 * the other). Thread-safe.
 */
final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final String CIPHER_CHECK = "cipher_check";

    enum Dialect { SQLITE, POSTGRES }

    /** A unit of work on one connection. */
    interface Sql<T> {
        T run(Connection c) throws SQLException;
    }

    /** What the store does once the schema is ready, still under the start lock (prunes, its first lease). */
    interface Startup {
        void run(Database db) throws SQLException;
    }

    /** The log size, in pages, at which the writer copies it into the database itself (SQLite's default: 1000). */
    static final int WRITER_CHECKPOINT_PAGES = 10_000;
    /** How often the checkpointer copies what the writer committed into the database, beside the writer. */
    static final Duration CHECKPOINT_EVERY = Duration.ofMillis(500);

    private final HikariDataSource pool;
    /** Readers: on SQLite a few connections beside the writer's (WAL lets them read while it writes). */
    private final HikariDataSource readers;
    private final Dialect dialect;
    private final TokenCipher cipher;
    private final InstanceSlot slot;
    /** SQLite's statements, compiled once per connection; null on PostgreSQL (pgjdbc caches its own). */
    private final StatementCache statements;

    private Database(HikariDataSource pool, HikariDataSource readers, Dialect dialect, TokenCipher cipher,
                     InstanceSlot slot) {
        this.pool = pool;
        this.readers = readers;
        this.dialect = dialect;
        this.cipher = cipher;
        this.slot = slot;
        this.statements = dialect == Dialect.SQLITE ? new StatementCache() : null;
        this.checkpointer = dialect == Dialect.SQLITE
                ? Thread.ofPlatform().name("nemobot-store-checkpoint").daemon().unstarted(this::checkpoints) : null;
    }

    /** SQLite's checkpointer thread; null on PostgreSQL. */
    private final Thread checkpointer;
    private volatile boolean closing;

    /**
     * Copies the write-ahead log into the database every {@link #CHECKPOINT_EVERY} on a connection of its own
     * ({@code PASSIVE}: it waits for no reader or writer, and the writer goes on committing meanwhile), so the
     * writer's commits never stop to do it. A checkpoint that fails is tried again at the next beat (one warning).
     */
    private void checkpoints() {
        boolean warned = false;
        Connection c = null;
        try {
            while (!closing) {
                try {
                    Thread.sleep(CHECKPOINT_EVERY);
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    if (c == null) {
                        // its own connection, opened once the store is in WAL mode (the readers' were opened before
                        // and see the journal as it was until they next read: a checkpoint there did nothing)
                        c = DriverManager.getConnection(pool.getJdbcUrl());
                    }
                    try (Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                        rs.next();
                    }
                    warned = false;
                } catch (SQLException | RuntimeException e) {
                    if (closing) {
                        return;
                    }
                    closeQuietly(c);
                    c = null;
                    if (!warned) {
                        log.warn("store: a checkpoint of the write-ahead log failed (the writer copies it once it is "
                                + "large): {}", e.getMessage());
                        warned = true;
                    }
                }
            }
        } finally {
            closeQuietly(c);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing after a failure: nothing more to do
            }
        }
    }

    /**
     * Opens (creating or migrating) the database {@code o} describes and runs {@code startup} under the start lock.
     *
     * @throws StoreException when it cannot be opened (never showing the URL's password)
     */
    static Database open(StoreOptions o, Startup startup) {
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
            Database db = new Database(pool, readers, postgres ? Dialect.POSTGRES : Dialect.SQLITE, o.cipher(), slot);
            // PostgreSQL: Flyway serialises instances starting at once with an advisory lock. SQLite: a file lock
            // beside the database does (two processes migrating one file at once would collide)
            try (StartLock ignored = postgres ? StartLock.NONE : StartLock.take(dataDir)) {
                db.checkKey(); // before anything is written: a refused key leaves the store as it was
                db.migrate();
                db.sealPlainTokens();
                db.recordKey();
                startup.run(db);
            }
            if (db.checkpointer != null) {
                db.checkpointer.start();
            }
            return db;
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
            c.addDataSourceProperty("busy_timeout", "10000");
            if (!sqliteReaders) {
                // the writer leaves copying the log into the database to the checkpointer (below): done in the
                // commit that crossed SQLite's 1000 pages, it held every write waiting behind it for its syncs (the
                // added latency's p99 at N=10 000 was 45-87 ms, 25-35 ms with it done beside the writer). Still a bound:
                // a log the checkpointer could not keep small is copied by the writer at 10 000 pages
                c.setConnectionInitSql("PRAGMA wal_autocheckpoint=" + WRITER_CHECKPOINT_PAGES);
            }
            // FULL (the default, BOT_SQLITE_SYNC) syncs the log on every commit, so an export recorded before its
            // submit survives a power cut too, not only the process being killed. NORMAL saves that fsync (~0.1 ms
            // of CPU and ~0.3 ms of waiting a commit, measured; docs/benchmark.md) at the price of the last commits
            // on a power cut; the group commit already shares one fsync among all the writes that arrive together
            c.addDataSourceProperty("synchronous", o.database().sqliteSync().name());
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

    Dialect dialect() {
        return dialect;
    }

    /** This process's name in leases. */
    String instance() {
        return slot.id();
    }

    TokenCipher cipher() {
        return cipher;
    }

    // ------------------------------------------------------------------------------------------------ schema

    private void migrate() throws SQLException {
        var config = Flyway.configure()
                .dataSource(pool)
                .locations("classpath:db/migration")
                .javaMigrations(new V9_1__Seal_client_ids(cipher))
                // one transaction for all pending migrations (both engines have transactional DDL): a migration that
                // fails, a data migration included, rolls back the ones before it too, and the schema history with them
                .group(true)
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

    /** Whether {@code table} is there (in the schema the connection works in, on PostgreSQL). */
    private boolean tableExists(Connection c, String table) throws SQLException {
        String q = dialect == Dialect.SQLITE ? "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
                : "SELECT 1 WHERE to_regclass(?) IS NOT NULL";
        try (PreparedStatement ps = c.prepareStatement(q)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
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

    /**
     * Refuses, before anything is written, a key that does not open what the store already holds sealed: the check
     * value (schema 5 on), else a sealed token (schema 2 on), else a sealed client id. A store with nothing sealed yet
     * (new, or made before tokens were sealed) takes any key. Reads only: the migrations, the sealing of plain values
     * and the check value all come after, so a refused key changes nothing.
     *
     * @throws StoreException {@link StoreException#keyRefused() keyRefused} when the key does not open the store
     */
    private void checkKey() throws SQLException {
        try (Connection c = pool.getConnection()) {
            if (tableExists(c, "store_meta")) {
                String check = checkValue(c);
                if (check != null) {
                    opens(() -> cipher.open(CIPHER_CHECK, check), true);
                    return;
                }
            }
            if (!tableExists(c, "identities")) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT user_key, token FROM identities "
                    + "WHERE token LIKE 'v1:%' LIMIT 1"); ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    String user = rs.getString(1);
                    String token = rs.getString(2);
                    opens(() -> cipher.open(user, token), true);
                    return;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT user_key, client_id FROM identities "
                    + "WHERE client_id LIKE 'v1:%' LIMIT 1"); ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    String user = rs.getString(1);
                    String clientId = rs.getString(2);
                    opens(() -> JdbcIdentities.openSealedClientId(cipher, user, clientId), true);
                }
            }
        }
    }

    /** Runs {@code open}; a value that does not open is a refused key. */
    private static void opens(Runnable open, boolean nothingWritten) {
        try {
            open.run();
        } catch (StoreException e) {
            throw StoreException.keyRefused("the store was written with another key: BOT_SECRET_KEY (or, when it "
                    + "is not set, the key file " + Store.KEY_FILE + " in BOT_DATA_DIR) does not open it. "
                    + (nothingWritten ? "Nothing was changed; start" : "Start") + " again with the key it was "
                    + "written with", e);
        }
    }

    private static String checkValue(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM store_meta WHERE name = ?")) {
            ps.setString(1, CIPHER_CHECK);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /**
     * Records a value sealed with this key, which later starts check theirs against, unless there is one; then opens
     * the one recorded (instances starting at once on a new store with different keys: the second is refused).
     */
    private void recordKey() throws SQLException {
        try (Connection c = pool.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO store_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
                ps.setString(1, CIPHER_CHECK);
                ps.setString(2, cipher.seal(CIPHER_CHECK, "ok"));
                ps.executeUpdate();
            }
            String check = checkValue(c);
            opens(() -> cipher.open(CIPHER_CHECK, check), false);
        }
    }

    // ------------------------------------------------------------------------------------------------ access

    /** A connection of the writing pool, not through the statement cache (start-up work, the writer's batches). */
    Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** {@code pooled} through the statement cache (SQLite), or as it is (PostgreSQL). */
    Connection cached(Connection pooled) throws SQLException {
        return statements == null ? pooled : statements.around(pooled);
    }

    /** Runs {@code body} on a connection of the writing pool. */
    <T> T sql(String what, Sql<T> body) {
        try (Connection c = pool.getConnection()) {
            return body.run(cached(c));
        } catch (SQLException e) {
            throw new StoreException("Store failed to " + what + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code body} on a reading connection (SQLite's readers; PostgreSQL's one pool). */
    <T> T read(String what, Sql<T> body) {
        try (Connection c = readers.getConnection()) {
            return body.run(cached(c));
        } catch (SQLException e) {
            throw new StoreException("Store failed to " + what + ": " + e.getMessage(), e);
        }
    }

    /** A pragma's value as the writer's connection sees it (tests: the SQLite settings took). */
    String pragma(String name) {
        return sql("read a pragma", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    @Override
    public void close() {
        closing = true;
        if (checkpointer != null) {
            checkpointer.interrupt();
            try {
                checkpointer.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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
}
