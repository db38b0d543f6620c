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
 * @param thread   the topic inside the chat that every reply, edit, video and indicator must go to, "" when none:
 *                 a Telegram forum topic ({@code message_thread_id}); without it Telegram posts to the group's
 *                 General topic. A Discord thread is a channel of its own, so it is the {@code id} there
 */
public record Conversation(String platform, String id, boolean group, String guild, String thread) {
    public Conversation {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(id, "id");
        guild = guild == null ? "" : guild;
        thread = thread == null ? "" : thread;
    }

    /** A conversation without topics. */
    public Conversation(String platform, String id, boolean group, String guild) {
        this(platform, id, group, guild, "");
    }

    /** A conversation outside any guild. */
    public Conversation(String platform, String id, boolean group) {
        this(platform, id, group, "");
    }
}
