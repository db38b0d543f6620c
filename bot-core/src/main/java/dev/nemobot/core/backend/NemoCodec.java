package dev.nemobot.core.backend;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nemobot.config.Secret;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that knows the backend's JSON: request bodies out, answers in, as the records of this package. The
 * rest of the engine never sees a field name.
 *
 * <p>The backend is not trusted: the project model ({@link ProjectState}, {@link Draft}) is decoded leniently, so a
 * field missing, null or of another type is just absent (or 0), and decoding a draft never throws. An answer that
 * lacks what a call cannot do without (a token, a session id, a known render status) is {@link Malformed}, which the
 * client reports as a {@link NemoException.BadResponse}. Thread-safe.
 */
final class NemoCodec {
    private static final Logger log = LoggerFactory.getLogger(NemoCodec.class);

    /**
     * Jackson keeps its parse and write buffers per thread by default: with a virtual thread per user, every user's
     * thread would allocate its own and hold them while it streams a turn (the figures: docs/benchmark.md). A small
     * shared pool serves them all (JSON work never blocks, so few threads are inside Jackson at once).
     */
    private final ObjectMapper mapper = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.newBoundedPool(64)).build());
    private final AdkEvents adkEvents = new AdkEvents(mapper);

    /** An answer the contract does not describe; the message says what was missing, never what was sent. */
    static final class Malformed extends RuntimeException {
        Malformed(String problem) {
            super(problem, null, false, false);
        }
    }

    // ---------------------------------------------------------------- the project model (public: also for fakes)

    /** A draft from its JSON text; a text that is not a JSON object gives a draft with no tracks. Never throws. */
    public Draft draft(String json) {
        JsonNode node = tree(json == null ? new byte[0] : json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return draft(node).orElseGet(() -> new Draft(List.of(), "{}"));
    }

    /** A project from the JSON text of a {@code state} object; anything else gives {@link ProjectState#EMPTY}. */
    public ProjectState projectState(String json) {
        JsonNode node = tree(json == null ? new byte[0] : json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return node == null ? ProjectState.EMPTY : projectState(node);
    }

    ProjectState projectState(JsonNode state) {
        if (state == null || !state.isObject()) {
            return ProjectState.EMPTY;
        }
        List<GeneratedMedia> media = new ArrayList<>();
        JsonNode generated = state.path("generated_media");
        if (generated.isArray()) {
            for (JsonNode m : generated) {
                media.add(new GeneratedMedia(mediaStatus(m.path("status").asText(""))));
            }
        }
        List<UploadedFile> uploads = new ArrayList<>();
        JsonNode infos = state.path("video_infos");
        if (infos.isArray()) {
            for (JsonNode info : infos) {
                uploads.add(new UploadedFile(info.path("name").asText(""), imageUrl(info)));
            }
        }
        return new ProjectState(draft(state.path("draft")), media, uploads);
    }

    /** An upload's {@code url} when the project lists it as an image and it is an absolute http(s) URL. */
    private static Optional<URI> imageUrl(JsonNode info) {
        if (!"image".equalsIgnoreCase(info.path("type").asText("")) || !info.path("url").isTextual()) {
            return Optional.empty();
        }
        String text = info.path("url").asText();
        if (text.length() > 2048) {
            return Optional.empty();
        }
        try {
            URI u = new URI(text);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("https") || scheme.equals("http")) && u.getHost() != null && u.getUserInfo() == null
                    ? Optional.of(u) : Optional.empty();
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static GeneratedMedia.Status mediaStatus(String status) {
        return switch (status.toLowerCase(Locale.ROOT)) {
            case "processing", "pending", "queued", "running" -> GeneratedMedia.Status.WORKING;
            case "completed" -> GeneratedMedia.Status.COMPLETED;
            default -> GeneratedMedia.Status.OTHER;
        };
    }

    /** The draft's short keys: {@code t} tracks, {@code tt} type, {@code sg} segments, {@code s}/{@code d} ms, {@code m}. */
    private Optional<Draft> draft(JsonNode d) {
        if (d == null || !d.isObject()) {
            return Optional.empty();
        }
        String json;
        try {
            json = mapper.writeValueAsString(d);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        List<Track> tracks = new ArrayList<>();
        JsonNode t = d.path("t");
        if (t.isArray()) {
            for (JsonNode track : t) {
                tracks.add(track(track));
            }
        }
        return Optional.of(new Draft(tracks, json));
    }

    private static Track track(JsonNode track) {
        List<Clip> clips = new ArrayList<>();
        JsonNode sg = track.path("sg");
        if (sg.isArray()) {
            for (JsonNode segment : sg) {
                clips.add(clip(segment));
            }
        }
        return new Track(Track.Kind.of(track.path("tt").asInt(-1)), clips);
    }

    private static Clip clip(JsonNode segment) {
        JsonNode m = segment.path("m");
        JsonNode text = m.path("text");
        JsonNode volume = m.path("volume");
        OptionalLong percent = OptionalLong.empty();
        if (volume.isNumber()) {
            double v = volume.asDouble();
            percent = OptionalLong.of(Math.round(v <= 1.0 && volume.isFloatingPointNumber() ? v * 100 : v));
        }
        return new Clip(segment.path("s").asLong(0), segment.path("d").asLong(0), m.path("name").asText(""),
                text.isMissingNode() || text.isNull() ? Optional.empty() : Optional.of(text.asText()), percent);
    }

    // ---------------------------------------------------------------- request bodies

    byte[] sessionBody(String language) {
        return bytes(mapper.createObjectNode().put("task_name", "project").put("language", language));
    }

    byte[] uploadUrlBody(URI url) {
        ObjectNode body = mapper.createObjectNode().put("source_type", "url");
        body.putArray("urls").add(url.toString());
        return bytes(body);
    }

    /** The render call's body, with the draft exactly as the backend sent it. */
    byte[] renderBody(String id, String sessionId, Draft draft) {
        ObjectNode body = mapper.createObjectNode().put("id", id).put("sessionId", sessionId);
        JsonNode d = tree(draft.json().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        body.set("draft", d == null ? mapper.createObjectNode() : d);
        body.putObject("output").put("format", "mp4").put("quality", "high");
        return bytes(body);
    }

    byte[] turnBody(String sessionId, String text) {
        ObjectNode body = mapper.createObjectNode().put("app_name", "nemo_agent").put("user_id", "me")
                .put("session_id", sessionId);
        body.putObject("new_message").putArray("parts").addObject().put("text", text);
        return bytes(body);
    }

    private byte[] bytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    // ---------------------------------------------------------------- the envelope

    /** The parsed answer, or null when it is empty or not JSON. */
    JsonNode tree(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        try {
            return mapper.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    /** The envelope's code; absent (a bare object, as the render status may be) counts as success. */
    static int code(JsonNode root) {
        JsonNode c = root.path("code");
        if (c.isNumber()) {
            return c.asInt();
        }
        if (c.isTextual()) {
            try {
                return Integer.parseInt(c.asText().strip());
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return 0;
    }

    /** The envelope's message, or null. */
    static String message(JsonNode root) {
        return root.path("message").asText(null);
    }

    /** The sign-up id an error envelope's {@code data} may carry. */
    static Optional<String> errorBindId(JsonNode root) {
        JsonNode data = root.path("data");
        JsonNode b = data.path("bind_id");
        if (b.isMissingNode() || b.isNull()) {
            b = data.path("bindId");
        }
        return b.isValueNode() && !b.asText().isBlank() ? Optional.of(b.asText()) : Optional.empty();
    }

    private static JsonNode data(JsonNode root) {
        JsonNode d = root.path("data");
        return d.isObject() ? d : root;
    }

    // ---------------------------------------------------------------- answers

    /** @param defaultExpiry when the answer gives none (or one not understood) */
    TokenGrant tokenGrant(JsonNode root, Instant defaultExpiry) {
        JsonNode data = data(root);
        String token = data.path("token").asText("");
        if (token.isBlank()) {
            throw new Malformed("no data.token in the answer");
        }
        return new TokenGrant(Secret.of(token), data.path("credits").asInt(0), expiry(data).orElse(defaultExpiry));
    }

    private static Optional<Instant> expiry(JsonNode data) {
        JsonNode e = data.path("expires_at").isMissingNode() ? data.path("expiresAt") : data.path("expires_at");
        try {
            if (e.isNumber()) {
                long v = e.asLong();
                // seconds or milliseconds since the epoch: milliseconds are 1000 times larger than any date here
                return Optional.of(v > 100_000_000_000L ? Instant.ofEpochMilli(v) : Instant.ofEpochSecond(v));
            }
            if (e.isTextual()) {
                return Optional.of(Instant.parse(e.asText()));
            }
        } catch (DateTimeParseException | ArithmeticException ex) {
            log.debug("token expiry not understood, assuming the default lifetime");
        }
        return Optional.empty();
    }

    SessionInfo sessionInfo(JsonNode root) {
        JsonNode data = data(root);
        String taskId = data.path("task_id").asText("");
        String sessionId = data.path("session_id").asText("");
        if (taskId.isBlank() || sessionId.isBlank()) {
            throw new Malformed("no data.task_id or data.session_id in the answer");
        }
        return new SessionInfo(taskId, sessionId, optText(data.path("bind_id")));
    }

    /** @param sent what was uploaded, the name reported when the answer names no file */
    UploadResult uploadResult(JsonNode root, String sent) {
        List<String> names = new ArrayList<>();
        for (JsonNode f : data(root).path("files")) {
            String name = f.isObject() ? firstText(f, "name", "id", "url") : f.asText("");
            if (!name.isBlank()) {
                names.add(name);
            }
        }
        return new UploadResult(names.isEmpty() ? List.of(sent) : names);
    }

    Credits credits(JsonNode root) {
        JsonNode data = data(root);
        if (!data.path("available").isNumber()) {
            throw new Malformed("no data.available in the answer");
        }
        long available = data.path("available").asLong();
        long frozen = data.path("frozen").asLong(0);
        long total = data.path("total").isNumber() ? data.path("total").asLong() : available + frozen;
        return new Credits(available, frozen, total);
    }

    SessionState sessionState(JsonNode root) {
        JsonNode data = data(root);
        return new SessionState(projectState(data.path("state")), optText(data.path("bind_id")));
    }

    /**
     * A render job; the status may be top-level (as published) or inside {@code data}: both are read, top-level
     * first. The id is ours (the contract's {@code render_<ts>}): the answer's is not used, in a URL or a file name.
     */
    RenderJob renderJob(JsonNode root, String id) {
        JsonNode data = root.path("data");
        String status = firstText(root, data, "status");
        RenderJob.Status s = switch (status.toLowerCase(Locale.ROOT)) {
            case "", "pending", "queued", "submitted" -> RenderJob.Status.PENDING;
            case "processing", "running", "rendering", "in_progress" -> RenderJob.Status.PROCESSING;
            case "completed", "complete", "done", "succeeded", "success" -> RenderJob.Status.COMPLETED;
            case "failed", "error", "cancelled", "canceled" -> RenderJob.Status.FAILED;
            default -> throw new Malformed("unknown render status '" + NemoErrors.clip(status) + "'");
        };
        JsonNode progressNode = root.path("progress").isNumber() ? root.path("progress") : data.path("progress");
        OptionalInt progress = progressNode.isNumber()
                ? OptionalInt.of((int) Math.max(0, Math.min(100, Math.round(progressNode.asDouble()))))
                : OptionalInt.empty();
        String output = firstText(root.path("output"), data.path("output"), "url");
        Optional<URI> outputUrl = Optional.empty();
        if (!output.isBlank()) {
            try {
                outputUrl = Optional.of(URI.create(output));
            } catch (IllegalArgumentException e) {
                log.warn("render {}: output.url is not a URI, the download endpoint will be used", id);
            }
        }
        JsonNode errorNode = root.path("error").isMissingNode() || root.path("error").isNull()
                ? data.path("error") : root.path("error");
        Optional<String> error = errorNode.isObject()
                ? optText(errorNode.path("message")) : optText(errorNode);
        return new RenderJob(id, s, progress, outputUrl, error.map(e -> NemoErrors.clip(NemoErrors.redact(e))));
    }

    /**
     * @param data  one {@code /run_sse} event's data, not blank
     * @param sseId the stream's last {@code id:}, used when the JSON has no {@code id}
     * @return the event, or empty when the data is not a JSON object
     */
    Optional<AdkEvent> event(String data, String sseId) {
        return adkEvents.parse(data, sseId);
    }

    // ---------------------------------------------------------------- small helpers

    private static Optional<String> optText(JsonNode n) {
        return n.isValueNode() && !n.isNull() && !n.asText().isBlank() ? Optional.of(n.asText()) : Optional.empty();
    }

    private static String firstText(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode v = node.path(name);
            if (v.isValueNode() && !v.isNull() && !v.asText().isBlank()) {
                return v.asText();
            }
        }
        return "";
    }

    private static String firstText(JsonNode a, JsonNode b, String name) {
        String s = firstText(a, name);
        return s.isEmpty() ? firstText(b, name) : s;
    }
}
