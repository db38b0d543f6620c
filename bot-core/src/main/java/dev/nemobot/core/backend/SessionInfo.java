package dev.nemobot.core.backend;

import java.util.Objects;
import java.util.Optional;

/** A backend session (project): {@code bindId} is for the sign-up link, when the backend gave one. */
public record SessionInfo(String taskId, String sessionId, Optional<String> bindId) {
    public SessionInfo {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(bindId, "bindId");
    }
}
