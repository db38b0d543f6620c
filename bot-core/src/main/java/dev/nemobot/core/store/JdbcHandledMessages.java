package dev.nemobot.core.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link HandledMessages} in the {@code handled_messages} table: records are written behind, never waiting (past a
 * full backlog one is dropped); reads wait for what was queued before them. Thread-safe.
 */
final class JdbcHandledMessages implements HandledMessages {
    private static final Logger log = LoggerFactory.getLogger(JdbcHandledMessages.class);

    private final Database db;
    private final GroupCommitWriter writer;

    JdbcHandledMessages(Database db, GroupCommitWriter writer) {
        this.db = db;
        this.writer = writer;
    }

    @Override
    public void record(String platform, String messageId, Instant at) {
        // called on a platform's event thread: never wait; past a full backlog the record is dropped (the in-memory
        // de-duplication still holds until a restart)
        if (!writer.offer(c -> {
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
    public boolean claim(String platform, String messageId, String userKey, Instant at) {
        // one atomic insert-if-absent: of two instances handed the same update, exactly one inserts the row
        return writer.write("claim a handled message", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO handled_messages (platform, message_id, "
                    + "handled_at, user_key) VALUES (?,?,?,?) ON CONFLICT (platform, message_id) DO NOTHING")) {
                ps.setString(1, platform);
                ps.setString(2, messageId);
                ps.setLong(3, at.toEpochMilli());
                ps.setString(4, userKey);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<Map.Entry<String, String>> since(Instant since, int max) {
        writer.flush();
        return db.read("read handled messages", c -> {
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
    public void forgetBefore(Instant before) {
        writer.flush();
        writer.write("forget handled messages", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM handled_messages WHERE handled_at < ?")) {
                ps.setLong(1, before.toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
    }
}
