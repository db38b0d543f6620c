package dev.nemobot.core.chat;

import java.util.Objects;

/**
 * Where the answers to one request go: the conversation it came from (with its forum topic, when it has one) and the
 * platform's own handle of the request. The engine carries it from the {@link Incoming} through every piece of work
 * that request starts (its turn, its export, the video at the end) and hands it to {@link ChatPlatform#send} and
 * {@link ChatPlatform#sendVideo}; a platform never has to guess which request an answer belongs to from who is talking
 * where.
 *
 * @param conversation where the request was made, and where its answers go
 * @param request      the platform's handle of the request, opaque to the engine: the message to quote (a Telegram
 *                     message id, a Discord message id) or the Discord interaction whose own answer this is; ""
 *                     when the answer quotes nothing (a job resumed after a restart, the console)
 */
public record ReplyTo(Conversation conversation, String request) {
    public ReplyTo {
        Objects.requireNonNull(conversation, "conversation");
        request = request == null ? "" : request;
    }

    /** An answer in {@code conversation} to no message in particular. */
    public static ReplyTo conversation(Conversation conversation) {
        return new ReplyTo(conversation, "");
    }

    /** True when there is a request to answer or quote. */
    public boolean hasRequest() {
        return !request.isEmpty();
    }
}
