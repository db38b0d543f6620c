package dev.nemobot.core.chat;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One message from a user, already translated from the platform's objects.
 *
 * @param messageId   the platform's id of this update or message, unique per platform (for de-duplication)
 * @param user        who sent it
 * @param conversation where it was sent; replies go there
 * @param text        the text or the caption, "" when none. Commands arrive normalised as {@code /name args}
 *                    (no {@code @botname} suffix); a button press arrives as its {@link Action#command()}
 * @param attachments the files sent with it, possibly none
 * @param refusal     when the adapter cannot take the message (a file over the platform's download limit, not an
 *                    image, a direct message where those are off...): what to tell the user, in their language.
 *                    The engine does nothing else with the message, and says this only if its access and rate
 *                    checks let the message through, like any other answer
 * @param request     the platform's handle of this request, which every answer to it carries ({@link ReplyTo#request}):
 *                    the message to quote, or the Discord interaction to answer; "" when none
 */
public record Incoming(String messageId, ChatUser user, Conversation conversation, String text,
                       List<Attachment> attachments, Optional<String> refusal, String request) {
    public Incoming {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(conversation, "conversation");
        text = text == null ? "" : text.strip();
        attachments = List.copyOf(attachments);
        Objects.requireNonNull(refusal, "refusal");
        request = request == null ? "" : request;
    }

    /** A message whose answers quote nothing in particular. */
    public Incoming(String messageId, ChatUser user, Conversation conversation, String text,
                    List<Attachment> attachments, Optional<String> refusal) {
        this(messageId, user, conversation, text, attachments, refusal, "");
    }

    /** A message the engine may act on. */
    public Incoming(String messageId, ChatUser user, Conversation conversation, String text,
                    List<Attachment> attachments) {
        this(messageId, user, conversation, text, attachments, Optional.empty());
    }

    /** A message the adapter cannot take: the engine answers {@code refusal}, after its access and rate checks. */
    public static Incoming refused(String messageId, ChatUser user, Conversation conversation, String text,
                                   String refusal) {
        return new Incoming(messageId, user, conversation, text, List.of(), Optional.of(refusal));
    }

    /** The same message with another text. */
    public Incoming withText(String text) {
        return new Incoming(messageId, user, conversation, text, attachments, refusal, request);
    }

    /** The same message, answered through {@code request} (see {@link ReplyTo#request}). */
    public Incoming answering(String request) {
        return new Incoming(messageId, user, conversation, text, attachments, refusal, request);
    }

    /** Where every answer to this message goes. */
    public ReplyTo replyTo() {
        return new ReplyTo(conversation, request);
    }
}
