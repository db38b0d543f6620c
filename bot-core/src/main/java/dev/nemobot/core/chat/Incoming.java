package dev.nemobot.core.chat;

import java.util.List;
import java.util.Objects;

/**
 * One message from a user, already translated from the platform's objects.
 *
 * @param messageId   the platform's id of this update or message, unique per platform (for de-duplication)
 * @param user        who sent it
 * @param conversation where it was sent; replies go there
 * @param text        the text or the caption, "" when none. Commands arrive normalised as {@code /name args}
 *                    (no {@code @botname} suffix); a button press arrives as its {@link Action#command()}
 * @param attachments the files sent with it, possibly none
 */
public record Incoming(String messageId, ChatUser user, Conversation conversation, String text,
                       List<Attachment> attachments) {
    public Incoming {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(conversation, "conversation");
        text = text == null ? "" : text.strip();
        attachments = List.copyOf(attachments);
    }
}
