package dev.nemobot.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;

/** One agent session (project): its uploads, draft, generated media and latest turn. Thread-safe (its monitor). */
final class Session {
    static final int MAX_UPLOADS = 50;

    final String id;
    final String taskId;
    /** The language the session was created in, normalised ({@link AgentLines#normalise}). */
    final String language;
    /** What the agent says, in {@link #language}. */
    final AgentLines lines;
    final Accounts.Account owner;

    private ObjectNode draft = emptyDraft();
    private ArrayNode generatedMedia = Json.arr();
    private final Deque<ObjectNode> videoInfos = new ArrayDeque<>();
    private byte[] image; // the latest uploaded image's bytes, null when it came as a URL or none
    private String imageName;
    private boolean hasImage;
    private Turn latest;
    private int canvasWidth; // the frame the latest generation made; 0: the configured one
    private int canvasHeight;
    private long nextEventId = 1;

    Session(String id, String taskId, String language, Accounts.Account owner) {
        this.id = id;
        this.taskId = taskId;
        this.lines = AgentLines.of(language);
        this.language = lines.code();
        this.owner = owner;
    }

    static ObjectNode emptyDraft() {
        ObjectNode d = Json.obj();
        d.set("t", Json.arr());
        return d;
    }

    synchronized long nextEventId() {
        return nextEventId++;
    }

    synchronized void addUpload(ObjectNode info, boolean isImage, byte[] imageBytes) {
        videoInfos.addLast(info);
        while (videoInfos.size() > MAX_UPLOADS) {
            videoInfos.removeFirst();
        }
        if (isImage) {
            hasImage = true;
            image = imageBytes;
            imageName = info.path("name").asText("image");
        }
    }

    synchronized boolean hasImage() {
        return hasImage;
    }

    synchronized byte[] image() {
        return image;
    }

    synchronized String imageName() {
        return imageName == null ? "image" : imageName;
    }

    synchronized ObjectNode draftCopy() {
        return draft.deepCopy();
    }

    synchronized void draft(ObjectNode d) {
        draft = d.deepCopy();
    }

    synchronized void media(ArrayNode m) {
        generatedMedia = m.deepCopy();
    }

    /** The frame the latest generation was made in (its aspect ratio and quality), for {@code canvas_config}. */
    synchronized void canvas(int width, int height) {
        canvasWidth = width;
        canvasHeight = height;
    }

    synchronized Turn latest() {
        return latest;
    }

    synchronized void latest(Turn t) {
        latest = t;
    }

    synchronized ObjectNode state(SimulatorConfig config) {
        ObjectNode state = Json.obj();
        state.set("draft", draft.deepCopy());
        ArrayNode infos = state.putArray("video_infos");
        videoInfos.forEach(i -> infos.add(i.deepCopy()));
        ObjectNode canvas = state.putObject("canvas_config");
        canvas.put("width", canvasWidth > 0 ? canvasWidth : config.videoWidth());
        canvas.put("height", canvasHeight > 0 ? canvasHeight : config.videoHeight());
        canvas.put("fps", config.videoFps());
        state.set("generated_media", generatedMedia.deepCopy());
        return state;
    }

    /** True when {@code draft} has at least one track with a non-empty {@code sg}. */
    static boolean exportable(JsonNode draft) {
        for (JsonNode track : draft.path("t")) {
            JsonNode sg = track.path("sg");
            if (sg.isArray() && !sg.isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
