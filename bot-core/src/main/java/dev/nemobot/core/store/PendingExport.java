package dev.nemobot.core.store;

import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import java.time.Instant;
import java.util.Objects;

/**
 * A render job submitted but not yet delivered: kept so that a restart goes on polling it instead of orphaning it.
 *
 * @param renderId     our {@code render_<ts>} id
 * @param user         who asked (the recipient of the video)
 * @param conversation where the video goes
 * @param taskId       the session's task id (for the task link)
 * @param sessionId    the session it belongs to
 * @param submittedAt  when it was submitted
 */
public record PendingExport(String renderId, ChatUser user, Conversation conversation, String taskId, String sessionId,
                            Instant submittedAt) {
    public PendingExport {
        Objects.requireNonNull(renderId, "renderId");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(submittedAt, "submittedAt");
    }
}
