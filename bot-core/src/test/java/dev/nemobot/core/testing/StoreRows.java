package dev.nemobot.core.testing;

import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.store.StoreOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many rows of each table of an engine's SQLite store hold something of one user, read from the file directly
 * (beside the running engine): what /forget must leave empty.
 */
public final class StoreRows {
    private StoreRows() {
    }

    /** Table name to the number of {@code user}'s rows in it, for every table that holds something per user. */
    public static Map<String, Long> of(Path dataDir, ChatUser user) {
        Path db = dataDir.resolve(StoreOptions.SQLITE_FILE);
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            out.put("identities", count(c, "SELECT COUNT(*) FROM identities WHERE user_key = ?", user.key()));
            out.put("results", count(c, "SELECT COUNT(*) FROM results WHERE user_key = ?", user.key()));
            out.put("pending_exports", count(c, "SELECT COUNT(*) FROM pending_exports WHERE user_platform = ? "
                    + "AND user_id = ?", user.platform(), user.id()));
            out.put("running_turns", count(c, "SELECT COUNT(*) FROM running_turns WHERE user_key = ?", user.key()));
            out.put("credit_spend", count(c, "SELECT COUNT(*) FROM credit_spend WHERE user_key = ?", user.key()));
            out.put("handled_messages", count(c, "SELECT COUNT(*) FROM handled_messages WHERE user_key = ?",
                    user.key()));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + db, e);
        }
        return out;
    }

    /** {@link #of} but for the ids of the user's messages, which each message they send adds to. */
    public static Map<String, Long> records(Path dataDir, ChatUser user) {
        Map<String, Long> out = of(dataDir, user);
        out.remove("handled_messages");
        return out;
    }

    /** True when no table holds anything of {@code user}. */
    public static boolean none(Path dataDir, ChatUser user) {
        return of(dataDir, user).values().stream().allMatch(n -> n == 0);
    }

    private static long count(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
