package dev.nemobot.core.store;

import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.ReplyTo;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A render job submitted but not yet delivered: kept so that a restart goes on polling it instead of orphaning it.
 *
 * @param renderId     our {@code render_<ts>} id
 * @param user         who asked (the recipient of the video)
 * @param conversation where the video goes
 * @param taskId       the session's task id (for the task link)
 * @param sessionId    the session it belongs to
 * @param submittedAt  when it was submitted
 * @param progressMessage the id of the message showing its progress in {@code conversation}, when one was sent
 * @param request      the request its answers quote or answer ({@link ReplyTo#request}), "" when none
 * @param prompt       what the user asked for, repeated (short) with the video; "" when not known
 */
public record PendingExport(String renderId, ChatUser user, Conversation conversation, String taskId, String sessionId,
                            Instant submittedAt, Optional<String> progressMessage, String request, String prompt) {
    /** A job whose answers quote nothing. */
    public PendingExport(String renderId, ChatUser user, Conversation conversation, String taskId, String sessionId,
                         Instant submittedAt, Optional<String> progressMessage) {
        this(renderId, user, conversation, taskId, sessionId, submittedAt, progressMessage, "", "");
    }

    /** A job without a progress message. */
    public PendingExport(String renderId, ChatUser user, Conversation conversation, String taskId, String sessionId,
                         Instant submittedAt) {
        this(renderId, user, conversation, taskId, sessionId, submittedAt, Optional.empty());
    }

    public PendingExport {
        Objects.requireNonNull(progressMessage, "progressMessage");
        Objects.requireNonNull(renderId, "renderId");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(submittedAt, "submittedAt");
        request = request == null ? "" : request;
        prompt = prompt == null ? "" : prompt;
    }

    /** Where its answers go. */
    public ReplyTo replyTo() {
        return new ReplyTo(conversation, request);
    }
}
