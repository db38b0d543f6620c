package dev.nemobot.core.backend;

import java.util.List;
import java.util.Objects;

/**
 * A project's timeline ({@code state.draft}): its tracks, decoded, and the draft itself as the backend sent it, which
 * goes back unchanged to the render call ({@link NemoBackend#submitRender}). Immutable; two drafts are equal when
 * the backend sent the same one.
 *
 * @param tracks the draft's {@code t}, in order
 * @param json   the whole draft as sent, for resending only: read the tracks, never this
 */
public record Draft(List<Track> tracks, String json) {
    public Draft {
        tracks = List.copyOf(tracks);
        Objects.requireNonNull(json, "json");
    }

    /** Exportable: some track has at least one clip (the contract: {@code t} has a track with a non-empty {@code sg}). */
    public boolean hasClips() {
        return tracks.stream().anyMatch(t -> !t.clips().isEmpty());
    }
}
