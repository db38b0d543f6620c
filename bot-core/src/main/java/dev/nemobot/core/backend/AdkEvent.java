package dev.nemobot.core.backend;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One event of the {@code /run_sse} stream (an ADK {@code Event}).
 *
 * @param id           the event's id ({@code id} in the JSON, or the SSE {@code id:} field), may be empty
 * @param author       who wrote it ({@code nemo_agent}, or the user)
 * @param partial      true for a chunk of text that a later non-partial event repeats whole
 * @param parts        the content's parts
 * @param errorCode    set on an error event ({@code errorCode}, or {@code "error"} for {@code {"error": …}})
 * @param errorMessage the error's text, on an error event
 */
public record AdkEvent(String id, String author, boolean partial, List<Part> parts,
                       Optional<String> errorCode, Optional<String> errorMessage) {
    public AdkEvent {
        id = id == null ? "" : id;
        author = author == null ? "" : author;
        parts = List.copyOf(parts);
        Objects.requireNonNull(errorCode, "errorCode");
        Objects.requireNonNull(errorMessage, "errorMessage");
    }

    /** The text parts joined, "" when none. */
    public String text() {
        return parts.stream().filter(p -> p instanceof Part.Text).map(p -> ((Part.Text) p).text())
                .collect(Collectors.joining());
    }

    public boolean isError() {
        return errorCode.isPresent() || errorMessage.isPresent();
    }

    /** One part of an event's content. A tool's arguments and answer stay the backend's JSON text ({@code null} when absent). */
    public sealed interface Part {
        record Text(String text) implements Part {
        }

        record FunctionCall(String id, String name, String argsJson) implements Part {
        }

        record FunctionResponse(String id, String name, String responseJson) implements Part {
        }
    }
}
