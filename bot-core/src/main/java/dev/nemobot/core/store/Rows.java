package dev.nemobot.core.store;

import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/** The user and conversation columns the export and turn tables share. */
final class Rows {
    private Rows() {
    }

    /** Binds key, user (4 columns) and conversation (4 columns) from {@code i}; returns the next index. */
    static int bindUserAndConversation(PreparedStatement ps, int i, String key, ChatUser u, Conversation c)
            throws SQLException {
        ps.setString(i++, key);
        ps.setString(i++, u.platform());
        ps.setString(i++, u.id());
        ps.setString(i++, u.displayName());
        // their own locale, else the place's: what a resumed export or an interrupted turn is told in
        ps.setString(i++, (u.locale().getLanguage().isEmpty() ? u.fallback() : u.locale()).toLanguageTag());
        ps.setString(i++, c.platform());
        ps.setString(i++, c.id());
        ps.setInt(i++, c.group() ? 1 : 0);
        ps.setString(i++, c.guild());
        return i;
    }

    static ChatUser user(ResultSet rs, int from) throws SQLException {
        return new ChatUser(rs.getString(from), rs.getString(from + 1), rs.getString(from + 2),
                Locale.forLanguageTag(Optional.ofNullable(rs.getString(from + 3)).orElse("")));
    }

    static Conversation conversation(ResultSet rs, int from) throws SQLException {
        return new Conversation(rs.getString(from), rs.getString(from + 1), rs.getInt(from + 2) != 0,
                rs.getString(from + 3));
    }
}
