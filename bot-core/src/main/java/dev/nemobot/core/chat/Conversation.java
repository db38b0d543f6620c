package dev.nemobot.core.chat;

import java.util.Objects;

/**
 * Where a message came from and where replies go: a private chat, a group, a channel or a DM.
 *
 * @param platform the platform's name
 * @param id       the chat or channel id on that platform
 * @param group    true for a group chat or server channel (several people), false for a private chat
 * @param guild    the Discord server (guild) the channel belongs to, "" when none (a DM, Telegram); used by the
 *                 guild allow and deny lists
 */
public record Conversation(String platform, String id, boolean group, String guild) {
    public Conversation {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(id, "id");
        guild = guild == null ? "" : guild;
    }

    /** A conversation outside any guild. */
    public Conversation(String platform, String id, boolean group) {
        this(platform, id, group, "");
    }
}
