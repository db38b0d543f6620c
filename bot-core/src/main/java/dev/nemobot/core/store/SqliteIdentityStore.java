package dev.nemobot.core.store;

import dev.nemobot.config.Secret;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQLite over plain JDBC: one connection, one lock (calls are short; a ReentrantLock does not pin virtual threads).
 * Tokens are sealed with a {@link TokenCipher} (schema 2 seals those an older version kept in plain text).
 */
final class SqliteIdentityStore implements IdentityStore {
    private static final int SCHEMA_VERSION = 4;

    private final Connection db;
    private final TokenCipher cipher;
    private static final Logger log = LoggerFactory.getLogger(SqliteIdentityStore.class);
    private static final int MAX_BATCH = 512;

    private final ReentrantLock lock = new ReentrantLock();
    private final BlockingQueue<Write> pending = new ArrayBlockingQueue<>(50_000);
    private final Thread writer;
    private volatile boolean writerClosed;

    private SqliteIdentityStore(Connection db, TokenCipher cipher) {
        this.db = db;
        this.cipher = cipher;
        // a platform thread: SQLite's native calls would pin a virtual thread's carrier anyway
        this.writer = Thread.ofPlatform().name("nemobot-store-writer").daemon().unstarted(this::drainWrites);
    }

    static SqliteIdentityStore open(Path file, TokenCipher cipher) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            SqliteIdentityStore store = new SqliteIdentityStore(c, cipher);
            try {
                store.migrate();
                store.checkKey();
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
            store.writer.start();
            return store;
        } catch (SQLException | IOException e) {
            throw new StoreException("Cannot open the store at " + file + ": " + e.getMessage(), e);
        }
    }

    private void migrate() throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA busy_timeout=5000");
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
            int version = 0;
            try (ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
                if (rs.next()) {
                    version = rs.getInt(1);
                }
            }
            if (version > SCHEMA_VERSION) {
                throw new SQLException("the store has schema version " + version + ", newer than this bot's "
                        + SCHEMA_VERSION);
            }
            if (version < 1) {
                db.setAutoCommit(false);
                s.execute("""
                        CREATE TABLE identities (
                          user_key TEXT PRIMARY KEY, client_id TEXT NOT NULL,
                          token TEXT, token_expires_at INTEGER,
                          task_id TEXT, session_id TEXT, bind_id TEXT, language TEXT,
                          updated_at INTEGER NOT NULL)""");
                s.execute("""
                        CREATE TABLE pending_exports (
                          render_id TEXT PRIMARY KEY,
                          user_platform TEXT NOT NULL, user_id TEXT NOT NULL, user_name TEXT, user_locale TEXT,
                          conv_platform TEXT NOT NULL, conv_id TEXT NOT NULL, conv_group INTEGER NOT NULL,
                          task_id TEXT NOT NULL, session_id TEXT NOT NULL, submitted_at INTEGER NOT NULL)""");
                s.execute("INSERT INTO schema_version (version) VALUES (1)");
                db.commit();
                db.setAutoCommit(true);
            }
            if (version < 2) {
                sealPlainTokens();
            }
            if (version < 3) {
                db.setAutoCommit(false);
                s.execute("""
                        CREATE TABLE handled_messages (
                          platform TEXT NOT NULL, message_id TEXT NOT NULL, handled_at INTEGER NOT NULL,
                          PRIMARY KEY (platform, message_id))""");
                s.execute("CREATE INDEX handled_messages_at ON handled_messages (handled_at)");
                s.execute("INSERT INTO schema_version (version) VALUES (3)");
                db.commit();
                db.setAutoCommit(true);
            }
            if (version < 4) {
                db.setAutoCommit(false);
                s.execute("""
                        CREATE TABLE running_turns (
                          user_key TEXT PRIMARY KEY,
                          user_platform TEXT NOT NULL, user_id TEXT NOT NULL, user_name TEXT, user_locale TEXT,
                          conv_platform TEXT NOT NULL, conv_id TEXT NOT NULL, conv_group INTEGER NOT NULL,
                          started_at INTEGER NOT NULL)""");
                s.execute("INSERT INTO schema_version (version) VALUES (4)");
                db.commit();
                db.setAutoCommit(true);
            }
        }
    }

    /** Schema 2: tokens sealed at rest; seals the ones schema 1 kept in plain text. */
    private void sealPlainTokens() throws SQLException {
        db.setAutoCommit(false);
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT user_key, token FROM identities WHERE token IS NOT NULL");
             PreparedStatement update = db.prepareStatement("UPDATE identities SET token = ? WHERE user_key = ?")) {
            while (rs.next()) {
                String token = rs.getString(2);
                if (!TokenCipher.isSealed(token)) {
                    update.setString(1, cipher.seal(rs.getString(1), token));
                    update.setString(2, rs.getString(1));
                    update.executeUpdate();
                }
            }
            s.execute("INSERT INTO schema_version (version) VALUES (2)");
            db.commit();
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
    }

    /** Fails at start, rather than at a user's first message, when the tokens were sealed with another key. */
    private void checkKey() throws SQLException {
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT user_key, token FROM identities WHERE token IS NOT NULL LIMIT 1")) {
            if (rs.next()) {
                cipher.open(rs.getString(1), rs.getString(2));
            }
        }
    }

    @Override
    public Optional<StoredIdentity> find(String userKey) {
        return locked("read identity", () -> {
            try (PreparedStatement ps = db.prepareStatement("SELECT client_id, token, token_expires_at, task_id, "
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
                    return Optional.of(new StoredIdentity(userKey, rs.getString(1),
                            hasToken ? Optional.of(Secret.of(cipher.open(userKey, token))) : Optional.empty(),
                            hasToken ? Optional.of(Instant.ofEpochMilli(expires)) : Optional.empty(), session));
                }
            }
        });
    }

    @Override
    public void save(StoredIdentity id) {
        locked("save identity", () -> {
            try (PreparedStatement ps = db.prepareStatement("INSERT OR REPLACE INTO identities (user_key, client_id, "
                    + "token, token_expires_at, task_id, session_id, bind_id, language, updated_at) "
                    + "VALUES (?,?,?,?,?,?,?,?,?)")) {
                ps.setString(1, id.userKey());
                ps.setString(2, id.clientId());
                ps.setString(3, id.token().map(t -> cipher.seal(id.userKey(), t.reveal())).orElse(null));
                if (id.tokenExpiresAt().isPresent()) {
                    ps.setLong(4, id.tokenExpiresAt().get().toEpochMilli());
                } else {
                    ps.setNull(4, java.sql.Types.INTEGER);
                }
                ps.setString(5, id.session().map(StoredIdentity.StoredSession::taskId).orElse(null));
                ps.setString(6, id.session().map(StoredIdentity.StoredSession::sessionId).orElse(null));
                ps.setString(7, id.session().flatMap(StoredIdentity.StoredSession::bindId).orElse(null));
                ps.setString(8, id.session().map(StoredIdentity.StoredSession::language).orElse(null));
                ps.setLong(9, System.currentTimeMillis());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void savePendingExport(PendingExport e) {
        locked("save export", () -> {
            try (PreparedStatement ps = db.prepareStatement("INSERT OR REPLACE INTO pending_exports (render_id, "
                    + "user_platform, user_id, user_name, user_locale, conv_platform, conv_id, conv_group, task_id, "
                    + "session_id, submitted_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
                ps.setString(1, e.renderId());
                ps.setString(2, e.user().platform());
                ps.setString(3, e.user().id());
                ps.setString(4, e.user().displayName());
                ps.setString(5, e.user().locale().toLanguageTag());
                ps.setString(6, e.conversation().platform());
                ps.setString(7, e.conversation().id());
                ps.setInt(8, e.conversation().group() ? 1 : 0);
                ps.setString(9, e.taskId());
                ps.setString(10, e.sessionId());
                ps.setLong(11, e.submittedAt().toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void removePendingExport(String renderId) {
        locked("remove export", () -> {
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM pending_exports WHERE render_id = ?")) {
                ps.setString(1, renderId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<PendingExport> pendingExports(String platform) {
        return locked("read exports", () -> {
            List<PendingExport> out = new ArrayList<>();
            try (PreparedStatement ps = db.prepareStatement("SELECT render_id, user_platform, user_id, user_name, "
                    + "user_locale, conv_platform, conv_id, conv_group, task_id, session_id, submitted_at "
                    + "FROM pending_exports WHERE conv_platform = ? ORDER BY submitted_at")) {
                ps.setString(1, platform);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ChatUser user = new ChatUser(rs.getString(2), rs.getString(3), rs.getString(4),
                                Locale.forLanguageTag(Optional.ofNullable(rs.getString(5)).orElse("")));
                        Conversation conv = new Conversation(rs.getString(6), rs.getString(7), rs.getInt(8) != 0);
                        out.add(new PendingExport(rs.getString(1), user, conv, rs.getString(9), rs.getString(10),
                                Instant.ofEpochMilli(rs.getLong(11))));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void beginTurn(ChatUser user, Conversation conversation, Instant startedAt) {
        writeBehind(() -> beginTurnNow(user, conversation, startedAt));
    }

    @Override
    public void endTurn(String userKey) {
        writeBehind(() -> endTurnNow(userKey));
    }

    @Override
    public void recordHandled(String platform, String messageId, Instant at) {
        // called on a platform's event thread: never wait; past a full backlog the record is dropped (the in-memory
        // de-duplication still holds until a restart)
        if (writerClosed || !pending.offer(() -> recordHandledNow(platform, messageId, at))) {
            log.warn("store: write backlog full; message {} of {} not recorded as handled", messageId, platform);
        }
    }

    private void beginTurnNow(ChatUser user, Conversation conversation, Instant startedAt) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("INSERT OR REPLACE INTO running_turns (user_key, "
                + "user_platform, user_id, user_name, user_locale, conv_platform, conv_id, conv_group, started_at) "
                + "VALUES (?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, user.key());
            ps.setString(2, user.platform());
            ps.setString(3, user.id());
            ps.setString(4, user.displayName());
            ps.setString(5, user.locale().toLanguageTag());
            ps.setString(6, conversation.platform());
            ps.setString(7, conversation.id());
            ps.setInt(8, conversation.group() ? 1 : 0);
            ps.setLong(9, startedAt.toEpochMilli());
            ps.executeUpdate();
        }
    }

    private void endTurnNow(String userKey) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("DELETE FROM running_turns WHERE user_key = ?")) {
            ps.setString(1, userKey);
            ps.executeUpdate();
        }
    }

    @Override
    public List<InterruptedTurn> runningTurns(String platform) {
        flush();
        return locked("read running turns", () -> {
            List<InterruptedTurn> out = new ArrayList<>();
            try (PreparedStatement ps = db.prepareStatement("SELECT user_platform, user_id, user_name, user_locale, "
                    + "conv_platform, conv_id, conv_group, started_at FROM running_turns WHERE conv_platform = ? "
                    + "ORDER BY started_at")) {
                ps.setString(1, platform);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ChatUser user = new ChatUser(rs.getString(1), rs.getString(2), rs.getString(3),
                                Locale.forLanguageTag(Optional.ofNullable(rs.getString(4)).orElse("")));
                        Conversation conv = new Conversation(rs.getString(5), rs.getString(6), rs.getInt(7) != 0);
                        out.add(new InterruptedTurn(user, conv, Instant.ofEpochMilli(rs.getLong(8))));
                    }
                }
            }
            return out;
        });
    }

    private void recordHandledNow(String platform, String messageId, Instant at) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT OR IGNORE INTO handled_messages (platform, message_id, handled_at) VALUES (?,?,?)")) {
            ps.setString(1, platform);
            ps.setString(2, messageId);
            ps.setLong(3, at.toEpochMilli());
            ps.executeUpdate();
        }
    }

    @Override
    public List<Map.Entry<String, String>> handledSince(Instant since, int max) {
        flush();
        return locked("read handled messages", () -> {
            List<Map.Entry<String, String>> out = new ArrayList<>();
            try (PreparedStatement ps = db.prepareStatement("SELECT platform, message_id FROM handled_messages "
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
        locked("forget handled messages", () -> {
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM handled_messages WHERE handled_at < ?")) {
                ps.setLong(1, before.toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Hands a bookkeeping write (running turns, handled messages) to the writer thread, which applies them in
     * order, many to a transaction: callers never queue on the connection for these, and a crash loses at most
     * the last few milliseconds of them. When the queue is full the caller waits (bounded backlog).
     */
    private void writeBehind(Write w) {
        if (writerClosed) {
            locked("write", () -> {
                w.run();
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
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        writeBehind(done::countDown);
        try {
            if (!done.await(30, TimeUnit.SECONDS)) {
                log.warn("store: pending writes not applied within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drainWrites() {
        List<Write> batch = new ArrayList<>();
        while (!writerClosed || !pending.isEmpty()) {
            try {
                Write first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pending.drainTo(batch, MAX_BATCH - 1);
            applyBatch(batch);
            batch.clear();
        }
    }

    private void applyBatch(List<Write> batch) {
        lock.lock();
        try {
            db.setAutoCommit(false);
            try {
                for (Write w : batch) {
                    w.run();
                }
                db.commit();
            } catch (SQLException e) {
                db.rollback();
                log.warn("store: {} bookkeeping write(s) lost: {}", batch.size(), e.getMessage());
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            log.warn("store: bookkeeping batch failed: {}", e.getMessage());
        } finally {
            lock.unlock();
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
        locked("close", () -> {
            db.close();
            return null;
        });
    }

    private interface Write {
        void run() throws SQLException;
    }

    private interface Sql<T> {
        T run() throws SQLException;
    }

    private <T> T locked(String what, Sql<T> body) {
        lock.lock();
        try {
            return body.run();
        } catch (SQLException e) {
            throw new StoreException("Store failed to " + what + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }
}
