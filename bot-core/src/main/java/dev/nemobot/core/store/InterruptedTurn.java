package dev.nemobot.core.store;

import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import java.time.Instant;
import java.util.Objects;

/** A turn that was running when the bot stopped: who asked, where, and since when. */
public record InterruptedTurn(ChatUser user, Conversation conversation, Instant startedAt) {
    public InterruptedTurn {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
