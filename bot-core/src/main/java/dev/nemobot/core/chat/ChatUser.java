package dev.nemobot.core.chat;

import java.util.Locale;
import java.util.Objects;

/**
 * A person on a chat platform.
 *
 * @param platform    the platform's name, as {@link ChatPlatform#name()} ("telegram", "discord", "console")
 * @param id          the user's id on that platform (stable across chats and guilds)
 * @param displayName how to address them; never used as a key
 * @param locale      their language as the platform reports it ({@link Locale#ROOT} when unknown)
 */
public record ChatUser(String platform, String id, String displayName, Locale locale) {
    public ChatUser {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(id, "id");
        displayName = displayName == null || displayName.isBlank() ? id : displayName;
        locale = locale == null ? Locale.ROOT : locale;
    }

    /** Unique across platforms: the key of the user's identity, session and queue. */
    public String key() {
        return platform + ":" + id;
    }
}
