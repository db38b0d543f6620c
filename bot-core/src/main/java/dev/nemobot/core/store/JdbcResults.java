package dev.nemobot.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link Results} in the {@code results} table, the same SQL on SQLite and PostgreSQL. The prompt and the image
 * reference are sealed with the store's {@link TokenCipher}, bound to their row (result id and user key), so a
 * value copied into another row does not open. Thread-safe.
 */
final class JdbcResults implements Results {
    private static final String PROMPT_AAD = "result_prompt:";
    private static final String IMAGE_AAD = "result_image:";

    private final Database db;
    private final GroupCommitWriter writer;
    private final TokenCipher cipher;

    JdbcResults(Database db, GroupCommitWriter writer) {
        this.db = db;
        this.writer = writer;
        this.cipher = db.cipher();
    }

    private static String row(String resultId, String userKey) {
        return resultId + ":" + userKey;
    }

    /** Forgets the results kept over {@link Results#KEEP} ago. */
    static void pruneOld(Connection c, Clock clock) throws SQLException {
        deleteBefore(c, clock.millis() - KEEP.toMillis());
    }

    private static void deleteBefore(Connection c, long millis) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM results WHERE created_at < ?")) {
            ps.setLong(1, millis);
            ps.executeUpdate();
        }
    }

    @Override
    public void save(StoredResult r) {
        // sealed here, on the caller's thread, not on SQLite's one writer thread
        String row = row(r.resultId(), r.userKey());
        String prompt = cipher.seal(PROMPT_AAD + row, r.prompt());
        String image = r.imageRef().map(i -> cipher.seal(IMAGE_AAD + row, i)).orElse(null);
        writer.write("save result", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO results (result_id, user_key, session_id, "
                    + "prompt, image_ref, created_at) VALUES (?,?,?,?,?,?) ON CONFLICT (result_id) DO NOTHING")) {
                ps.setString(1, r.resultId());
                ps.setString(2, r.userKey());
                ps.setString(3, r.sessionId());
                ps.setString(4, prompt);
                ps.setString(5, image);
                ps.setLong(6, r.createdAt().toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<StoredResult> find(String userKey, String resultId) {
        writer.flush();
        return one("read a result", "SELECT result_id, session_id, prompt, image_ref, created_at FROM results "
                + "WHERE user_key = ? AND result_id = ?", userKey, resultId);
    }

    @Override
    public Optional<StoredResult> latest(String userKey, String sessionId) {
        writer.flush();
        return one("read the latest result", "SELECT result_id, session_id, prompt, image_ref, created_at FROM results "
                + "WHERE user_key = ? AND session_id = ? ORDER BY created_at DESC, result_id DESC LIMIT 1",
                userKey, sessionId);
    }

    private Optional<StoredResult> one(String what, String sql, String userKey, String arg) {
        return db.read(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, userKey);
                ps.setString(2, arg);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    String id = rs.getString(1);
                    String row = row(id, userKey);
                    String image = rs.getString(4);
                    return Optional.of(new StoredResult(id, userKey, rs.getString(2),
                            cipher.open(PROMPT_AAD + row, rs.getString(3)),
                            Optional.ofNullable(image).map(i -> cipher.open(IMAGE_AAD + row, i)),
                            Instant.ofEpochMilli(rs.getLong(5))));
                }
            }
        });
    }

    @Override
    public void forgetBefore(Instant before) {
        writer.flush();
        writer.write("forget results", c -> {
            deleteBefore(c, before.toEpochMilli());
            return null;
        });
    }
}
