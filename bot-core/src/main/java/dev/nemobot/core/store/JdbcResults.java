package dev.nemobot.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link Results} in the {@code results} table, the same SQL on SQLite and PostgreSQL. The prompt and the image
 * reference, and the delivered video's link, are sealed with the store's {@link TokenCipher}, bound to their row
 * (result id and user key), so a value copied into another row does not open. Thread-safe.
 */
final class JdbcResults implements Results {
    private static final String PROMPT_AAD = "result_prompt:";
    private static final String IMAGE_AAD = "result_image:";
    private static final String VIDEO_AAD = "result_video:";
    private static final String COLUMNS = "result_id, session_id, prompt, image_ref, created_at, delivered_at, video_url";

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
        return one("read a result", "SELECT " + COLUMNS + " FROM results WHERE user_key = ? AND result_id = ?",
                userKey, resultId);
    }

    @Override
    public Optional<StoredResult> latest(String userKey, String sessionId) {
        writer.flush();
        return one("read the latest result", "SELECT " + COLUMNS + " FROM results "
                + "WHERE user_key = ? AND session_id = ? ORDER BY created_at DESC, result_id DESC LIMIT 1",
                userKey, sessionId);
    }

    @Override
    public void delivered(String userKey, String resultId, Instant at, Optional<String> videoUrl) {
        String video = videoUrl.map(u -> cipher.seal(VIDEO_AAD + row(resultId, userKey), u)).orElse(null);
        writer.write("mark a result delivered", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE results SET delivered_at = ?, video_url = ? "
                    + "WHERE user_key = ? AND result_id = ?")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, video);
                ps.setString(3, userKey);
                ps.setString(4, resultId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<StoredResult> history(String userKey, int offset, int limit) {
        if (offset < 0 || limit < 1) {
            throw new IllegalArgumentException("offset " + offset + ", limit " + limit);
        }
        writer.flush();
        return db.read("read a user's results", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM results "
                    + "WHERE user_key = ? AND delivered_at IS NOT NULL "
                    + "ORDER BY delivered_at DESC, result_id DESC LIMIT ? OFFSET ?")) {
                ps.setString(1, userKey);
                ps.setInt(2, limit);
                ps.setInt(3, offset);
                List<StoredResult> page = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        page.add(read(rs, userKey));
                    }
                }
                return page;
            }
        });
    }

    private Optional<StoredResult> one(String what, String sql, String userKey, String arg) {
        return db.read(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, userKey);
                ps.setString(2, arg);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs, userKey)) : Optional.<StoredResult>empty();
                }
            }
        });
    }

    /** The row at {@code rs} ({@link #COLUMNS}), opened. */
    private StoredResult read(ResultSet rs, String userKey) throws SQLException {
        String id = rs.getString(1);
        String row = row(id, userKey);
        String image = rs.getString(4);
        long delivered = rs.getLong(6);
        Optional<Instant> deliveredAt = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(delivered));
        String video = rs.getString(7);
        return new StoredResult(id, userKey, rs.getString(2), cipher.open(PROMPT_AAD + row, rs.getString(3)),
                Optional.ofNullable(image).map(i -> cipher.open(IMAGE_AAD + row, i)),
                Instant.ofEpochMilli(rs.getLong(5)), deliveredAt,
                Optional.ofNullable(video).map(v -> cipher.open(VIDEO_AAD + row, v)));
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
