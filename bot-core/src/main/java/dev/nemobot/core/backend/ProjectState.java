package dev.nemobot.core.backend;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A project as the backend last described it ({@code data.state} of the state call), decoded by {@link NemoCodec}:
 * what the engine decides on, with no JSON left in it. Whatever the answer lacked, or held in a shape the contract
 * does not describe, is simply absent. Immutable.
 *
 * @param draft   the timeline ({@code state.draft}), when the answer held one as an object
 * @param media   what the generation stage made ({@code state.generated_media}), in the backend's order
 * @param uploads the files uploaded to the session ({@code state.video_infos}), in the backend's order
 */
public record ProjectState(Optional<Draft> draft, List<GeneratedMedia> media, List<UploadedFile> uploads) {
    /** A project with nothing in it. */
    public static final ProjectState EMPTY = new ProjectState(Optional.empty(), List.of(), List.of());

    public ProjectState {
        Objects.requireNonNull(draft, "draft");
        media = List.copyOf(media);
        uploads = List.copyOf(uploads);
    }
}
