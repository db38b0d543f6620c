package dev.nemobot.core.backend;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * A session's latest state, {@code data.state} of the state call, as the backend sent it.
 *
 * @param state  the whole {@code data.state} object (draft, video_infos, canvas_config, generated_media)
 * @param bindId the id for the sign-up link, when the answer carried one
 */
public record SessionState(JsonNode state, Optional<String> bindId) {
    public SessionState {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(bindId, "bindId");
    }

    /** {@code state.draft}, when present and an object. */
    public Optional<JsonNode> draft() {
        JsonNode d = state.path("draft");
        return d.isObject() ? Optional.of(d) : Optional.empty();
    }
}
