package dev.nemobot.core.chat;

import java.util.Objects;

/** A message the bot sent, so it can be edited in place. */
public record MessageRef(Conversation conversation, String id) {
    public MessageRef {
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(id, "id");
    }
}
