package dev.nemobot.core.store;

import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@link TurnClaims} in the {@code running_turns} table, one row per user held by its owner's lease
 * ({@link JdbcLeases}); a turn's end is written behind. Thread-safe.
 */
final class JdbcTurnClaims implements TurnClaims {
    private final Database db;
    private final GroupCommitWriter writer;
    private final JdbcLeases leases;
    private final String instance;
    private final Clock clock;

    JdbcTurnClaims(Database db, GroupCommitWriter writer, JdbcLeases leases, Clock clock) {
        this.db = db;
        this.writer = writer;
        this.leases = leases;
        this.instance = leases.instance();
        this.clock = clock;
    }

    @Override
    public boolean claim(ChatUser user, Conversation conversation, Instant startedAt, String turnId) {
        return writer.write("claim turn", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO running_turns (user_key, user_platform, "
                    + "user_id, user_name, user_locale, conv_platform, conv_id, conv_group, conv_guild, started_at, "
                    + "owner, turn_id, conv_thread) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) "
                    + "ON CONFLICT (user_key) DO UPDATE SET user_platform = excluded.user_platform, "
                    + "user_id = excluded.user_id, user_name = excluded.user_name, user_locale = excluded.user_locale, "
                    + "conv_platform = excluded.conv_platform, conv_id = excluded.conv_id, "
                    + "conv_group = excluded.conv_group, conv_guild = excluded.conv_guild, conv_thread = excluded.conv_thread, "
                    + "started_at = excluded.started_at, owner = excluded.owner, turn_id = excluded.turn_id "
                    + "WHERE running_turns.owner = excluded.owner OR running_turns.owner IS NULL OR "
                    + JdbcLeases.lapsed("running_turns"))) {
                int i = Rows.bindUserAndConversation(ps, 1, user.key(), user, conversation);
                ps.setLong(i++, startedAt.toEpochMilli());
                ps.setString(i++, instance);
                ps.setString(i++, turnId);
                ps.setString(i++, conversation.thread());
                ps.setLong(i, clock.millis());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void end(String userKey, String turnId) {
        writer.writeBehind(c -> {
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
    public List<InterruptedTurn> claimInterrupted(String platform, boolean includeOwn) {
        writer.flush();
        long now = clock.millis();
        String lock = db.dialect() == Database.Dialect.POSTGRES ? " FOR UPDATE SKIP LOCKED" : "";
        return writer.write("claim interrupted turns", c -> {
            if (!includeOwn && !leases.anythingFree(c, "running_turns", "", now)) {
                return List.of();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM running_turns WHERE user_key IN ("
                    + "SELECT user_key FROM running_turns WHERE conv_platform = ? AND (owner IS NULL OR "
                    + (includeOwn ? "owner = ? OR " : "owner <> ? AND ") + JdbcLeases.lapsed("running_turns")
                    + ")" + lock + ") RETURNING user_platform, user_id, "
                    + "user_name, user_locale, conv_platform, conv_id, conv_group, conv_guild, started_at, conv_thread")) {
                ps.setString(1, platform);
                ps.setString(2, instance);
                ps.setLong(3, now);
                List<InterruptedTurn> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Conversation conv = Rows.conversation(rs, 5);
                        out.add(new InterruptedTurn(Rows.user(rs, 1),
                                new Conversation(conv.platform(), conv.id(), conv.group(), conv.guild(), rs.getString(10)),
                                Instant.ofEpochMilli(rs.getLong(9))));
                    }
                }
                out.sort(Comparator.comparing(InterruptedTurn::startedAt));
                return out;
            }
        });
    }
}
