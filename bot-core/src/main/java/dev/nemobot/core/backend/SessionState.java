package dev.nemobot.core.backend;

import java.util.Objects;
import java.util.Optional;

/**
 * A session's latest state, from the state call, decoded.
 *
 * @param project what the project holds
 * @param bindId  the id for the sign-up link, when the answer carried one
 */
public record SessionState(ProjectState project, Optional<String> bindId) {
    public SessionState {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(bindId, "bindId");
    }

    /** The project's draft, when the answer held one. */
    public Optional<Draft> draft() {
        return project.draft();
    }
}
