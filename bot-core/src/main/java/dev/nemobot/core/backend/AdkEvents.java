package dev.nemobot.core.backend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the {@code data:} of one {@code /run_sse} event into an {@link AdkEvent}. ADK serialises its events in
 * camelCase; the snake_case spellings are accepted too because both exist in the wild. Stateless and thread-safe.
 */
final class AdkEvents {
    /** Longest error text kept from the stream: the user never sees it raw, the logs need only the gist. */
    static final int MAX_ERROR_CHARS = 300;

    private final ObjectMapper mapper;

    AdkEvents(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @param data  the event's data, not blank
     * @param sseId the stream's last {@code id:}, used when the JSON has no {@code id}
     * @return the event, or empty when the data is not a JSON object (nothing the contract describes)
     */
    Optional<AdkEvent> parse(String data, String sseId) {
        JsonNode root;
        try {
            root = mapper.readTree(data);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        if (root == null || !root.isObject()) {
            return Optional.empty();
        }
        String id = text(root.get("id")).orElse(sseId);
        String author = text(root.get("author")).orElse("");
        boolean partial = root.path("partial").asBoolean(false);

        List<AdkEvent.Part> parts = new ArrayList<>();
        for (JsonNode part : root.path("content").path("parts")) {
            parsePart(part).ifPresent(parts::add);
        }

        Optional<String> errorCode = text(first(root, "errorCode", "error_code"));
        Optional<String> errorMessage = text(first(root, "errorMessage", "error_message"));
        JsonNode error = root.get("error");
        if (error != null && !error.isNull()) {
            errorCode = errorCode.or(() -> Optional.of("error"));
            Optional<String> fromError = error.isObject()
                    ? text(first(error, "message", "detail")).or(() -> Optional.ofNullable(orNull(error)))
                    : text(error);
            errorMessage = errorMessage.or(() -> fromError);
        }
        return Optional.of(new AdkEvent(id, author, partial, parts,
                errorCode.map(AdkEvents::clip), errorMessage.map(AdkEvents::clip)));
    }

    private Optional<AdkEvent.Part> parsePart(JsonNode part) {
        JsonNode text = part.get("text");
        if (text != null && text.isTextual()) {
            // a "thought" part is the model thinking aloud: never for the user
            if (part.path("thought").asBoolean(false)) {
                return Optional.empty();
            }
            return Optional.of(new AdkEvent.Part.Text(text.asText()));
        }
        JsonNode call = first(part, "functionCall", "function_call");
        if (call != null && call.isObject()) {
            return Optional.of(new AdkEvent.Part.FunctionCall(text(call.get("id")).orElse(""),
                    text(call.get("name")).orElse(""), orNull(call.get("args"))));
        }
        JsonNode response = first(part, "functionResponse", "function_response");
        if (response != null && response.isObject()) {
            return Optional.of(new AdkEvent.Part.FunctionResponse(text(response.get("id")).orElse(""),
                    text(response.get("name")).orElse(""), orNull(response.get("response"))));
        }
        return Optional.empty();
    }

    private static JsonNode first(JsonNode node, String name, String alias) {
        JsonNode v = node.get(name);
        return v != null && !v.isNull() ? v : node.get(alias);
    }

    /**
     * The JSON text of {@code n}, null when absent. Written by our mapper, with its small shared buffer pool: a
     * node's own {@code toString()} writes through Jackson's default mapper, whose buffers (a 4 KB char buffer
     * among them) stay with the calling thread, here the virtual thread that streams a turn, for as long as it lives.
     */
    private String orNull(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        try {
            return mapper.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            return null; // a tree read from JSON always writes back
        }
    }

    private static Optional<String> text(JsonNode n) {
        if (n == null || n.isNull() || n.isContainerNode()) {
            return Optional.empty();
        }
        String s = n.asText();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    static String clip(String s) {
        return s.length() <= MAX_ERROR_CHARS ? s : s.substring(0, MAX_ERROR_CHARS) + "…";
    }
}
