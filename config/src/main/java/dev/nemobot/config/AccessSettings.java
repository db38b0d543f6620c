package dev.nemobot.config;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Who may use the bot. Each entry is {@code platform:id} (e.g. {@code telegram:12345}) or a bare {@code id} that
 * matches on every platform. A deny entry always wins; a non-empty allow list admits only what it names (users,
 * chats and guilds are checked separately: a message passes when none of its user, chat or guild is denied and each
 * non-empty allow list names its user, chat or guild respectively). Immutable.
 *
 * @param allowUsers  {@code BOT_ALLOW_USERS}
 * @param denyUsers   {@code BOT_DENY_USERS}
 * @param allowChats  {@code BOT_ALLOW_CHATS}
 * @param denyChats   {@code BOT_DENY_CHATS}
 * @param allowGuilds {@code BOT_ALLOW_GUILDS} (Discord servers; a message outside any guild passes this list only
 *                    when it is empty)
 * @param denyGuilds  {@code BOT_DENY_GUILDS}
 */
public record AccessSettings(Set<String> allowUsers, Set<String> denyUsers, Set<String> allowChats,
                             Set<String> denyChats, Set<String> allowGuilds, Set<String> denyGuilds) {
    public AccessSettings {
        allowUsers = normalise(allowUsers, "allowUsers");
        denyUsers = normalise(denyUsers, "denyUsers");
        allowChats = normalise(allowChats, "allowChats");
        denyChats = normalise(denyChats, "denyChats");
        allowGuilds = normalise(allowGuilds, "allowGuilds");
        denyGuilds = normalise(denyGuilds, "denyGuilds");
    }

    /** Everyone is welcome. */
    public static AccessSettings open() {
        return new AccessSettings(Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Set.of());
    }

    private static Set<String> normalise(Set<String> entries, String name) {
        Objects.requireNonNull(entries, name);
        for (String e : entries) {
            if (e == null || e.isBlank() || e.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(name + " has a blank entry or one with spaces: '" + e + "'");
            }
        }
        return Set.copyOf(entries.stream().map(e -> e.toLowerCase(Locale.ROOT)).toList());
    }
}
