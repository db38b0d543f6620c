package dev.nemobot.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

/** A small real HTTP client of the contract for the tests, on OkHttp. */
final class SimClient {
    static final ObjectMapper M = new ObjectMapper();
    static final MediaType JSON = MediaType.get("application/json");

    final NemoSimulator sim;
    final OkHttpClient http;

    SimClient(NemoSimulator sim) {
        this(sim, new OkHttpClient.Builder().build());
    }

    /** Calls through {@code base}'s pool and TLS settings. */
    SimClient(NemoSimulator sim, OkHttpClient base) {
        this.sim = sim;
        this.http = base.newBuilder()
                .readTimeout(Duration.ofSeconds(20))
                .retryOnConnectionFailure(false)
                .build();
    }

    /** An HTTP answer: status and body. */
    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return M.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        int code() {
            return json().path("code").asInt(-1);
        }

        JsonNode data() {
            return json().path("data");
        }
    }

    Request.Builder req(String path, String token) {
        Request.Builder b = new Request.Builder().url(sim.baseUrl() + path)
                .header("X-Skill-Source", "pixverse-ai-image-to-video")
                .header("X-Skill-Version", "1.0.0")
                .header("X-Skill-Platform", "unknown");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    Answer call(Request request) {
        try (Response r = http.newCall(request).execute()) {
            return new Answer(r.code(), r.body().string());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Answer tokenCall(String clientId) {
        Request.Builder b = req("/api/auth/anonymous-token", null).post(RequestBody.create(new byte[0], null));
        if (clientId != null) {
            b.header("X-Client-Id", clientId);
        }
        return call(b.build());
    }

    String token() {
        Answer a = tokenCall(UUID.randomUUID().toString());
        if (a.code() != 0) {
            throw new IllegalStateException("token: " + a.body());
        }
        return a.data().path("token").asText();
    }

    Answer createSession(String token, String language) {
        ObjectNode body = M.createObjectNode().put("task_name", "project").put("language", language);
        return call(req("/api/tasks/me/with-session/nemo_agent", token)
                .post(RequestBody.create(body.toString(), JSON)).build());
    }

    String session(String token) {
        return createSession(token, "en").data().path("session_id").asText();
    }

    Answer upload(String token, String sid, String name, byte[] content) {
        return upload(token, sid, name, RequestBody.create(content, MediaType.get("application/octet-stream")));
    }

    Answer upload(String token, String sid, String name, RequestBody file) {
        MultipartBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart("files", name, file).build();
        return call(req("/api/upload-video/nemo_agent/me/" + sid, token).post(body).build());
    }

    Answer get(String path, String token) {
        return call(req(path, token).get().build());
    }

    Answer credits(String token) {
        return get("/api/credits/balance/simple", token);
    }

    Answer state(String token, String sid) {
        return get("/api/state/nemo_agent/me/" + sid + "/latest", token);
    }

    Request sseRequest(String token, String sid, String text, String lastEventId) {
        ObjectNode body = M.createObjectNode().put("app_name", "nemo_agent").put("user_id", "me").put("session_id", sid);
        body.putObject("new_message").putArray("parts").addObject().put("text", text);
        Request.Builder b = req("/run_sse", token).header("Accept", "text/event-stream")
                .post(RequestBody.create(body.toString(), JSON));
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        return b.build();
    }

    /** A whole SSE answer: raw text, content type, and the parsed ADK events with their SSE ids. */
    record Stream(int status, String contentType, String raw, List<Event> events, boolean cut) {
        List<String> texts(boolean partial) {
            return events.stream().filter(e -> e.json().path("partial").asBoolean() == partial)
                    .map(Event::text).filter(t -> !t.isEmpty()).toList();
        }

        List<String> functionCalls() {
            return events.stream().map(e -> e.json().path("content").path("parts").path(0)
                    .path("functionCall").path("name").asText("")).filter(s -> !s.isEmpty()).toList();
        }

        List<String> functionResponses() {
            return events.stream().map(e -> e.json().path("content").path("parts").path(0)
                    .path("functionResponse").path("name").asText("")).filter(s -> !s.isEmpty()).toList();
        }

        long lastId() {
            return events.getLast().id();
        }
    }

    /** One dispatched SSE event: id (-1 when none), type, data. */
    record Event(long id, String type, String data) {
        JsonNode json() {
            try {
                return data.isEmpty() ? M.createObjectNode() : M.readTree(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String text() {
            StringBuilder sb = new StringBuilder();
            json().path("content").path("parts").forEach(p -> sb.append(p.path("text").asText("")));
            return sb.toString();
        }
    }

    Stream sse(String token, String sid, String text) {
        return sse(sseRequest(token, sid, text, null));
    }

    /** Reads a stream to its end; a cut connection ends it with {@code cut} true. */
    Stream sse(Request request) {
        try (Response r = http.newCall(request).execute()) {
            String type = r.header("Content-Type", "");
            if (!type.startsWith("text/event-stream")) {
                return new Stream(r.code(), type, r.body().string(), List.of(), false);
            }
            BufferedSource src = r.body().source();
            StringBuilder raw = new StringBuilder();
            List<Event> events = new ArrayList<>();
            long id = -1;
            String evType = "message";
            StringBuilder data = null;
            boolean cut = false;
            try {
                String line;
                while ((line = src.readUtf8Line()) != null) {
                    raw.append(line).append('\n');
                    if (line.isEmpty()) {
                        if (data != null) {
                            events.add(new Event(id, evType, data.toString()));
                        }
                        id = -1;
                        evType = "message";
                        data = null;
                    } else if (line.startsWith("id:")) {
                        id = Long.parseLong(line.substring(3).trim());
                    } else if (line.startsWith("event:")) {
                        evType = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        String d = line.substring(5);
                        d = d.startsWith(" ") ? d.substring(1) : d;
                        data = data == null ? new StringBuilder(d) : data.append('\n').append(d);
                    }
                }
            } catch (IOException e) {
                cut = true;
            }
            List<Event> adk = events.stream().filter(e -> e.type().equals("message") && !e.data().isEmpty()).toList();
            return new Stream(r.code(), type, raw.toString(), adk, cut);
        } catch (IOException e) {
            return new Stream(-1, "", "", List.of(), true);
        }
    }

    Answer submitRender(String token, String sid, String id, JsonNode draft, boolean attributed) {
        ObjectNode body = M.createObjectNode().put("id", id).put("sessionId", sid);
        body.set("draft", draft);
        body.putObject("output").put("format", "mp4").put("quality", "high");
        Request.Builder b = attributed ? req("/api/render/proxy/lambda", token)
                : new Request.Builder().url(sim.baseUrl() + "/api/render/proxy/lambda")
                .header("Authorization", "Bearer " + token);
        return call(b.post(RequestBody.create(body.toString(), JSON)).build());
    }

    byte[] download(String url, String token) {
        Request.Builder b = new Request.Builder().url(url);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try (Response r = http.newCall(b.build()).execute()) {
            if (r.code() != 200) {
                throw new IllegalStateException("download " + r.code());
            }
            return r.body().bytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] png(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        for (int y = 0; y < h; y += 8) {
            for (int x = 0; x < w; x += 8) {
                g.setColor(new Color((x * 255 / w), (y * 255 / h), ((x + y) / 8 % 2) * 200));
                g.fillRect(x, y, 8, 8);
            }
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
