package dev.nemobot.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Export jobs: submit, status (by the config clock), the MP4 itself. Thread-safe. */
final class Renders {
    static final int MAX_JOBS = 100_000; // a benchmark has every user's job in flight at once (50 000 and the warm-up)

    record Job(String id, Accounts.Account owner, String sessionId, Instant submitted, Duration renderTime,
               boolean fail, CompletableFuture<byte[]> video) {
    }

    private final Env env;
    private final VideoMaker videos;
    /** Bounded (Caffeine: a job not asked about lately goes first); guarded by itself. */
    private final Map<String, Job> jobs = Caffeine.newBuilder().maximumSize(MAX_JOBS).<String, Job>build().asMap();

    Renders(Env env, VideoMaker videos) {
        this.env = env;
        this.videos = videos;
    }

    static boolean attributed(HttpExchange ex) {
        for (String h : new String[] {"X-Skill-Source", "X-Skill-Version", "X-Skill-Platform"}) {
            String v = ex.getRequestHeaders().getFirst(h);
            if (v == null || v.isBlank()) {
                return false;
            }
        }
        return true;
    }

    /** {@code POST /api/render/proxy/lambda}; the caller checked the token and the session. */
    ObjectNode submit(Accounts.Account owner, Session session, JsonNode body) {
        String id = body.path("id").asText("");
        if (id.isBlank() || id.length() > 200) {
            throw new ApiException(400, "id is required");
        }
        JsonNode draft = body.path("draft");
        if (!draft.isObject()) {
            draft = session.draftCopy();
        }
        if (!Session.exportable(draft)) {
            throw new ApiException(400, "nothing to export: the draft has no track with segments");
        }
        Job job;
        synchronized (jobs) {
            job = jobs.get(id);
            if (job == null) {
                SimulatorConfig c = env.config;
                // the frame the generation made (its ratio and quality), else the configured one
                int[] size = Asked.sizeOf(draft);
                int w = size != null ? size[0] : c.videoWidth();
                int h = size != null ? size[1] : c.videoHeight();
                CompletableFuture<byte[]> video = videos.video(session.image(), caption(draft, session),
                        title(draft), w, h, seconds(draft, c), c.videoFps());
                job = new Job(id, owner, session.id, env.now(), c.renderTimeOf(id), env.faults.takeFailRender(), video);
                jobs.put(id, job);
            } else if (job.owner() != owner) {
                throw new ApiException(400, "render id already in use");
            }
        }
        return describe(job);
    }

    /** The draft's title (the text track's first text), drawn over the video's first seconds; null when none. */
    static String title(JsonNode draft) {
        for (JsonNode track : draft.path("t")) {
            String text = track.path("sg").path(0).path("m").path("text").asText("");
            if (track.path("tt").asInt(-1) == 7 && !text.isBlank()) {
                return text;
            }
        }
        return null;
    }

    /** The draft's video length in whole seconds (rounded up, 1..60), else the configured length. */
    static int seconds(JsonNode draft, SimulatorConfig c) {
        int ms = draft.path("t") instanceof com.fasterxml.jackson.databind.node.ArrayNode tracks
                ? RunSseEndpoint.videoMs(tracks) : 0;
        return ms <= 0 ? c.videoSeconds() : Math.min(60, Math.max(1, (ms + 999) / 1000));
    }

    /** The text on a frame made without an image: the draft's title, else the image's name. */
    private static String caption(JsonNode draft, Session session) {
        for (JsonNode track : draft.path("t")) {
            String text = track.path("sg").path(0).path("m").path("text").asText("");
            if (track.path("tt").asInt(-1) == 7 && !text.isBlank()) {
                return text;
            }
        }
        return session.imageName();
    }

    Job job(String id, Accounts.Account owner) {
        synchronized (jobs) {
            Job job = jobs.get(id);
            if (job == null || job.owner() != owner) {
                throw new ApiException(404, "render job not found");
            }
            return job;
        }
    }

    /** The completed job's MP4, for the file URL (no token needed). */
    Optional<byte[]> file(String id) {
        Job job;
        synchronized (jobs) {
            job = jobs.get(id);
        }
        if (job == null || !"completed".equals(status(job))) {
            return Optional.empty();
        }
        return Optional.of(job.video().join());
    }

    /** The job's status now: pending for the first fifth of renderTime, then processing, then done. */
    String status(Job job) {
        Duration total = job.renderTime();
        Duration elapsed = Duration.between(job.submitted(), env.now());
        boolean pendingOver = total.isZero() || elapsed.compareTo(total.dividedBy(5)) >= 0;
        if (!pendingOver) {
            return "pending";
        }
        if (job.fail() || job.video().isCompletedExceptionally()) {
            return "failed";
        }
        if (elapsed.compareTo(total) >= 0 && job.video().isDone()) {
            return "completed";
        }
        return "processing";
    }

    ObjectNode describe(Job job) {
        String status = status(job);
        ObjectNode d = Json.obj();
        d.put("id", job.id());
        d.put("status", status);
        Duration total = job.renderTime();
        switch (status) {
            case "pending" -> d.put("progress", 0);
            case "processing" -> {
                long elapsed = Duration.between(job.submitted(), env.now()).toMillis();
                long pct = total.isZero() ? 99 : elapsed * 100 / Math.max(1, total.toMillis());
                d.put("progress", (int) Math.max(1, Math.min(99, pct)));
            }
            case "completed" -> {
                d.put("progress", 100);
                ObjectNode output = d.putObject("output");
                String url = env.faults.completedOutputUrl();
                output.put("url", url != null ? url : env.baseUrl().resolve("/files/" + job.id() + ".mp4").toString());
                output.put("format", "mp4");
                if (env.faults.completedRenderId() != null) {
                    d.put("id", env.faults.completedRenderId());
                }
            }
            default -> d.put("error", job.fail() ? "render failed: the renderer crashed (injected fault)"
                    : "render failed: the video could not be encoded");
        }
        return d;
    }

    /** The envelope with the job in {@code data} and, to be safe, at top level as well. */
    static ObjectNode answer(ObjectNode job) {
        ObjectNode env = Json.envelope(0, "success", job);
        job.properties().forEach(e -> env.set(e.getKey(), e.getValue().deepCopy()));
        return env;
    }

    static void sendMp4(HttpExchange ex, byte[] mp4) throws IOException {
        ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"video.mp4\"");
        Exchanges.bytes(ex, 200, "video/mp4", mp4);
    }
}
