package dev.nemobot.core.chat;

import java.util.Locale;
import java.util.Objects;

/**
 * A person on a chat platform.
 *
 * @param platform    the platform's name, as {@link ChatPlatform#name()} ("telegram", "discord", "console")
 * @param id          the user's id on that platform (stable across chats and guilds)
 * @param displayName how to address them; never used as a key
 * @param locale      their own language as the platform reports it ({@link Locale#ROOT} when unknown)
 * @param fallback    the language of the place they write in, e.g. a Discord server's ({@link Locale#ROOT} when
 *                    none): {@link Lang#of(ChatUser, String)} takes it only after their own locale and the script of
 *                    what they wrote
 */
public record ChatUser(String platform, String id, String displayName, Locale locale, Locale fallback) {
    public ChatUser {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(id, "id");
        displayName = displayName == null || displayName.isBlank() ? id : displayName;
        locale = locale == null ? Locale.ROOT : locale;
        fallback = fallback == null ? Locale.ROOT : fallback;
    }

    /** A user whose own locale is all the platform tells. */
    public ChatUser(String platform, String id, String displayName, Locale locale) {
        this(platform, id, displayName, locale, Locale.ROOT);
    }

    /** Unique across platforms: the key of the user's identity, session and queue. */
    public String key() {
        return platform + ":" + id;
    }
}
