package dev.nemobot.core.chat;

import java.util.Objects;

/**
 * Where a message came from and where replies go: a private chat, a group, a channel or a DM.
 *
 * @param platform the platform's name
 * @param id       the chat or channel id on that platform
 * @param group    true for a group chat or server channel (several people), false for a private chat
 */
public record Conversation(String platform, String id, boolean group) {
    public Conversation {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(id, "id");
    }
}
