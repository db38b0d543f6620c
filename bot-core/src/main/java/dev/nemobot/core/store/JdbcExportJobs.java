package dev.nemobot.core.store;

import dev.nemobot.core.chat.Conversation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@link ExportJobs} in the {@code pending_exports} table, each row held by its owner's lease ({@link JdbcLeases}).
 * PostgreSQL claims with {@code FOR UPDATE SKIP LOCKED} so instances claiming at once never wait for each other.
 * Finished jobs are kept a week. Thread-safe.
 */
final class JdbcExportJobs implements ExportJobs {
    private static final Duration KEEP_FINISHED = Duration.ofDays(7);
    private static final String EXPORT_COLUMNS = "render_id, user_platform, user_id, user_name, user_locale, "
            + "conv_platform, conv_id, conv_group, conv_guild, task_id, session_id, submitted_at, progress_message, "
            + "conv_thread, reply_to, prompt";

    private final Database db;
    private final GroupCommitWriter writer;
    private final JdbcLeases leases;
    private final String instance;
    private final Clock clock;

    JdbcExportJobs(Database db, GroupCommitWriter writer, JdbcLeases leases, Clock clock) {
        this.db = db;
        this.writer = writer;
        this.leases = leases;
        this.instance = leases.instance();
        this.clock = clock;
    }

    /** Deletes the jobs finished over a week ago. */
    static void pruneFinished(Connection c, Clock clock) throws SQLException {
        try (PreparedStatement exports = c.prepareStatement("DELETE FROM pending_exports WHERE finished_at < ?")) {
            exports.setLong(1, clock.millis() - KEEP_FINISHED.toMillis());
            exports.executeUpdate();
        }
    }

    @Override
    public void save(PendingExport e) {
        writer.write("save export", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO pending_exports (" + EXPORT_COLUMNS
                    + ", owner, state) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'rendering') "
                    + "ON CONFLICT (render_id) DO UPDATE SET owner = excluded.owner, "
                    + "state = 'rendering', finished_at = NULL")) {
                int i = Rows.bindUserAndConversation(ps, 1, e.renderId(), e.user(), e.conversation());
                ps.setString(i++, e.taskId());
                ps.setString(i++, e.sessionId());
                ps.setLong(i++, e.submittedAt().toEpochMilli());
                ps.setString(i++, e.progressMessage().orElse(null));
                ps.setString(i++, e.conversation().thread());
                ps.setString(i++, e.request());
                ps.setString(i++, e.prompt());
                ps.setString(i, instance);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void remove(String renderId) {
        writer.write("remove export", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM pending_exports WHERE render_id = ?")) {
                ps.setString(1, renderId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean startDelivery(String renderId) {
        return writer.write("start delivery", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE pending_exports SET state = 'delivering' "
                    + "WHERE render_id = ? AND owner = ? AND state <> 'delivered' AND state <> 'ended'")) {
                ps.setString(1, renderId);
                ps.setString(2, instance);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void finish(String renderId, boolean delivered) {
        writer.write("finish export", c -> {
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
    public Optional<String> state(String renderId) {
        return db.read("read export", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT state FROM pending_exports WHERE render_id = ?")) {
                ps.setString(1, renderId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean runningElsewhere(String sessionId) {
        return db.read("read exports", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pending_exports WHERE session_id = ? "
                    + "AND state IN ('rendering', 'delivering') AND owner <> ? AND "
                    + JdbcLeases.held("pending_exports") + " LIMIT 1")) {
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
    public List<PendingExport> claim(String platform, boolean includeOwn, int max) {
        long now = clock.millis();
        String lock = db.dialect() == Database.Dialect.POSTGRES ? " FOR UPDATE SKIP LOCKED" : "";
        return writer.write("claim exports", c -> {
            if (!includeOwn && !leases.anythingFree(c, "pending_exports", " AND state IN ('rendering', 'delivering')",
                    now)) {
                return List.of();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE pending_exports SET owner = ? "
                    + "WHERE render_id IN (SELECT render_id FROM pending_exports WHERE conv_platform = ? "
                    + "AND state IN ('rendering', 'delivering') AND (owner IS NULL OR "
                    + (includeOwn ? "owner = ? OR " : "owner <> ? AND ") + JdbcLeases.lapsed("pending_exports")
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
                out.sort(Comparator.comparing(PendingExport::submittedAt));
                return out;
            }
        });
    }

    @Override
    public void release(String renderId) {
        writer.write("release export", c -> {
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
    public List<PendingExport> pending(String platform) {
        return db.read("read exports", c -> {
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

    /** A row of {@link #EXPORT_COLUMNS}. */
    private static PendingExport pendingExport(ResultSet rs) throws SQLException {
        Conversation c = Rows.conversation(rs, 6);
        Conversation inTopic = new Conversation(c.platform(), c.id(), c.group(), c.guild(), rs.getString(14));
        return new PendingExport(rs.getString(1), Rows.user(rs, 2), inTopic, rs.getString(10),
                rs.getString(11), Instant.ofEpochMilli(rs.getLong(12)), Optional.ofNullable(rs.getString(13)),
                rs.getString(15), rs.getString(16));
    }
}
