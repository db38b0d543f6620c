package dev.nemobot.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one HTTP handler: request log, fault knobs, routing and the plain endpoints. Thread-safe. */
final class RequestHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);
    /** The contract's upload limit (4002 above it); the bot's own copy is bot-core's {@code Attachment.MAX_BYTES}. */
    static final int MAX_FILE = 20 * 1024 * 1024;
    static final int MAX_JSON = 8 * 1024 * 1024;
    static final int MAX_RECORDED = 10_000;
    /**
     * Room for every session of a 50 000-user benchmark and its warm-up at once: with 10 000 a 50 000-user run lost
     * four fifths of its sessions mid-conversation (each user then told "Your previous project is no longer
     * available", as the real backend's SessionNotFound makes the bot say).
     */
    static final int MAX_SESSIONS = 100_000;
    static final int MAX_FILES_PER_UPLOAD = 10;
    static final String UPLOAD = "/api/upload-video/nemo_agent/me/";
    static final String STATE = "/api/state/nemo_agent/me/";
    static final String RENDER = "/api/render/proxy/lambda";
    static final String RENDER_PROXY = "/api/render/proxy/";

    private final Env env;
    private final Accounts accounts;
    private final Renders renders;
    private final RunSseEndpoint turns;
    private final Deque<RecordedRequest> recorded = new ArrayDeque<>(); // guarded by itself
    /** Bounded (Caffeine: past the bound, one seldom used goes first); guarded by itself. */
    private final Map<String, Session> sessions = Caffeine.newBuilder().maximumSize(MAX_SESSIONS)
            .<String, Session>build().asMap();

    RequestHandler(Env env, Accounts accounts, Renders renders, RunSseEndpoint turns) {
        this.env = env;
        this.accounts = accounts;
        this.renders = renders;
        this.turns = turns;
    }

    List<RecordedRequest> requests() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    void clearRequests() {
        synchronized (recorded) {
            recorded.clear();
        }
    }

    private void record(HttpExchange ex, byte[] body) {
        URI uri = ex.getRequestURI();
        RecordedRequest r = new RecordedRequest(ex.getRequestMethod(), uri.getPath(), uri.getRawQuery(),
                ex.getRequestHeaders(), body, ex.getProtocol());
        synchronized (recorded) {
            recorded.addLast(r);
            while (recorded.size() > MAX_RECORDED) {
                recorded.removeFirst();
            }
        }
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = ex.getRequestURI().getPath();
        RecordingInput in = new RecordingInput(ex.getRequestBody());
        boolean streamedBody = "POST".equals(method) && path.startsWith(UPLOAD);
        boolean recordedYet = false;
        boolean dropped = false;
        try {
            byte[] body = new byte[0];
            if (!streamedBody) {
                body = in.readAll(MAX_JSON);
                record(ex, in.kept());
                recordedYet = true;
                if (body == null) {
                    throw new ApiException(400, "body too large", null, 413);
                }
            }
            Optional<Outage> outage = env.faults.outageNow();
            if (outage.isPresent()) {
                if (outage.get() == Outage.REFUSE) {
                    throw new DropConnection("outage"); // accepted just before the door shut
                }
                Exchanges.drain(in);
                if (!recordedYet) {
                    record(ex, in.kept());
                    recordedYet = true;
                }
                Exchanges.bytes(ex, 503, "text/html; charset=utf-8",
                        "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"
                                .getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (!env.pause(env.faults.slow())) {
                throw new DropConnection("simulator closing");
            }
            Optional<Faults.PathFault> fault = env.faults.takePathFault(path);
            if (fault.isPresent()) {
                Exchanges.drain(in);
                if (!recordedYet) {
                    record(ex, in.kept());
                    recordedYet = true;
                }
                Faults.PathFault f = fault.get();
                if (f.json) {
                    Exchanges.json(ex, f.status, Json.envelope(f.status, "Too many requests", null));
                } else {
                    String page = f.status == 200
                            ? "<html><body><h1>Please sign in to continue</h1></body></html>"
                            : "<html><body><h1>" + f.status + " Bad Gateway</h1></body></html>";
                    Exchanges.bytes(ex, f.status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
                }
                return;
            }
            if (streamedBody) {
                ObjectNode uploaded;
                try {
                    uploaded = upload(ex, in, path.substring(UPLOAD.length()));
                } finally {
                    record(ex, in.kept());
                    recordedYet = true;
                }
                // answered once recorded: a client that got the answer finds the upload among the requests
                ok(ex, uploaded);
            } else {
                route(ex, method, path, body);
            }
        } catch (ApiException e) {
            Exchanges.drain(in);
            if (!recordedYet) {
                record(ex, in.kept());
            }
            if (!Exchanges.headersSent(ex)) {
                ObjectNode envl = Json.envelope(e.code, e.getMessage(), e.data);
                Exchanges.json(ex, e.httpStatus(env.faults.style()), envl);
            }
        } catch (DropConnection d) {
            Exchanges.logDrop(ex, d.getMessage());
            dropped = true;
            throw d; // the JDK server closes the socket without ending the answer
        } catch (IOException e) {
            // the client went away mid-answer: nothing more to say
            LOG.debug("{} {}: {}", method, path, e.toString());
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed", method, path, e);
            if (!Exchanges.headersSent(ex)) {
                Exchanges.json(ex, 500, Json.envelope(500, "internal simulator error", null));
            }
        } finally {
            if (!dropped) { // closing would end the chunked answer cleanly, which a drop must not do
                ex.close();
            }
        }
    }

    private void route(HttpExchange ex, String method, String path, byte[] body) throws IOException {
        if (path.equals("/api/auth/anonymous-token")) {
            requireMethod(method, "POST");
            token(ex);
        } else if (path.equals("/api/tasks/me/with-session/nemo_agent")) {
            requireMethod(method, "POST");
            createSession(ex, body);
        } else if (path.equals("/api/credits/balance/simple")) {
            requireMethod(method, "GET");
            Accounts.Token t = auth(ex);
            ok(ex, accounts.balance(t.account()));
        } else if (path.startsWith(STATE) && path.endsWith("/latest")) {
            requireMethod(method, "GET");
            Accounts.Token t = auth(ex);
            Session s = session(path.substring(STATE.length(), path.length() - "/latest".length()), t.account());
            ObjectNode data = Json.obj();
            data.set("state", s.state(env.config));
            data.put("bind_id", s.owner.bindId);
            data.put("session_id", s.id);
            data.put("task_id", s.taskId);
            ok(ex, data);
        } else if (path.equals("/run_sse")) {
            requireMethod(method, "POST");
            Accounts.Token t = auth(ex);
            JsonNode req = Json.parseObject(body);
            String sid = req.path("session_id").asText("");
            if (sid.isBlank()) {
                throw new ApiException(400, "session_id is required");
            }
            Session s = session(sid, t.account());
            StringBuilder text = new StringBuilder();
            for (JsonNode part : req.path("new_message").path("parts")) {
                text.append(part.path("text").asText(""));
            }
            turns.handle(ex, t, s, text.toString());
        } else if (path.equals(RENDER)) {
            requireMethod(method, "POST");
            Accounts.Token t = auth(ex);
            if (!Renders.attributed(ex)) {
                throw new ApiException(402, "export needs the attribution headers (X-Skill-Source, "
                        + "X-Skill-Version, X-Skill-Platform)", null, 402);
            }
            JsonNode req = Json.parseObject(body);
            String sid = req.path("sessionId").asText("");
            if (sid.isBlank()) {
                throw new ApiException(400, "sessionId is required");
            }
            Session s = session(sid, t.account());
            Exchanges.json(ex, 200, Renders.answer(renders.submit(t.account(), s, req)));
        } else if (path.startsWith(RENDER + "/")) {
            requireMethod(method, "GET");
            Accounts.Token t = auth(ex);
            Renders.Job job = renders.job(path.substring(RENDER.length() + 1), t.account());
            Exchanges.json(ex, 200, Renders.answer(renders.describe(job)));
        } else if (path.startsWith(RENDER_PROXY) && path.endsWith("/download")) {
            requireMethod(method, "GET");
            Accounts.Token t = auth(ex);
            String id = path.substring(RENDER_PROXY.length(), path.length() - "/download".length());
            Renders.Job job = renders.job(id, t.account());
            byte[] mp4 = renders.file(job.id())
                    .orElseThrow(() -> new ApiException(404, "the render is not completed"));
            Renders.sendMp4(ex, mp4);
        } else if (path.startsWith("/files/") && path.endsWith(".mp4")) {
            requireMethod(method, "GET");
            String id = path.substring("/files/".length(), path.length() - ".mp4".length());
            Optional<byte[]> mp4 = renders.file(id);
            if (mp4.isEmpty()) {
                Exchanges.bytes(ex, 404, "text/plain; charset=utf-8", "not found".getBytes(StandardCharsets.UTF_8));
            } else {
                Renders.sendMp4(ex, mp4.get());
            }
        } else {
            throw new ApiException(404, "no such endpoint", null, 404);
        }
    }

    private static void requireMethod(String method, String expected) {
        if (!expected.equals(method)) {
            throw new ApiException(405, "method not allowed", null, 405);
        }
    }

    private void ok(HttpExchange ex, JsonNode data) throws IOException {
        Exchanges.json(ex, 200, Json.envelope(0, "success", data));
    }

    private Accounts.Token auth(HttpExchange ex) {
        return accounts.authenticate(ex.getRequestHeaders().getFirst("Authorization"));
    }

    private Session session(String sid, Accounts.Account owner) {
        synchronized (sessions) {
            if (env.faults.sessionLost(sid)) {
                sessions.remove(sid);
            }
            Session s = sessions.get(sid);
            if (s == null || s.owner != owner) {
                throw new ApiException(1002, "session not found");
            }
            return s;
        }
    }

    private void token(HttpExchange ex) throws IOException {
        String clientId = ex.getRequestHeaders().getFirst("X-Client-Id");
        if (clientId == null || clientId.isBlank()) {
            throw new ApiException(400, "X-Client-Id header is required");
        }
        if (clientId.length() > 200) {
            throw new ApiException(400, "X-Client-Id is too long");
        }
        String ip = ex.getRemoteAddress().getAddress().getHostAddress();
        Accounts.Token t = accounts.issue(clientId.trim(), ip);
        ObjectNode data = Json.obj();
        data.put("token", t.value());
        data.put("credits", accounts.available(t.account()));
        data.put("expires_at", t.expiresAt().toString());
        data.put("expires_in", Accounts.TOKEN_LIFE.toSeconds());
        ok(ex, data);
    }

    private void createSession(HttpExchange ex, byte[] body) throws IOException {
        Accounts.Token t = auth(ex);
        JsonNode req = Json.parseObject(body);
        Session s = new Session("sess_" + env.hex(12), "task_" + env.hex(12), req.path("language").asText("en"),
                t.account());
        synchronized (sessions) {
            sessions.put(s.id, s);
        }
        ObjectNode data = Json.obj();
        data.put("task_id", s.taskId);
        data.put("session_id", s.id);
        data.put("bind_id", s.owner.bindId);
        data.put("language", s.language);
        data.put("task_name", req.path("task_name").asText("project"));
        ok(ex, data);
    }

    /** One uploaded file as it streams in: size, first bytes, and the bytes themselves for images. */
    private static final class FilePart implements Multipart.Sink {
        final String name;
        final boolean keep;
        final byte[] head = new byte[FileTypes.HEAD];
        int headLength;
        long size;
        ByteArrayOutputStream bytes;

        FilePart(String name) {
            this.name = name;
            String ext = FileTypes.extension(name);
            this.keep = ext.isEmpty() || FileTypes.IMAGES.contains(ext);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (headLength < head.length) {
                int n = Math.min(len, head.length - headLength);
                System.arraycopy(b, off, head, headLength, n);
                headLength += n;
            }
            size += len;
            if (size > MAX_FILE) {
                bytes = null; // too large: forget, keep counting
            } else if (keep) {
                if (bytes == null) {
                    bytes = new ByteArrayOutputStream(64 * 1024);
                }
                bytes.write(b, off, len);
            }
        }

        @Override
        public void end() {
        }

        byte[] head() {
            return java.util.Arrays.copyOf(head, headLength);
        }
    }

    private static final Multipart.Sink IGNORE = new Multipart.Sink() {
        @Override
        public void write(byte[] b, int off, int len) {
        }

        @Override
        public void end() {
        }
    };

    /** Takes an upload in; returns the answer's data (the caller records the request, then answers). */
    private ObjectNode upload(HttpExchange ex, RecordingInput in, String sid) throws IOException {
        Accounts.Token t = auth(ex);
        Session s = session(sid, t.account());
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        Optional<String> boundary = Multipart.boundary(contentType);
        ArrayNode files = Json.arr();
        if (boundary.isPresent()) {
            List<FilePart> parts = new ArrayList<>();
            try {
                Multipart.parse(in, boundary.get(), (field, fileName, type) -> {
                    if (fileName == null || !"files".equals(field) || parts.size() >= MAX_FILES_PER_UPLOAD) {
                        return IGNORE;
                    }
                    FilePart p = new FilePart(fileName);
                    parts.add(p);
                    return p;
                });
            } catch (Multipart.MalformedException e) {
                throw new ApiException(400, "malformed multipart body: " + e.getMessage());
            }
            if (parts.isEmpty()) {
                throw new ApiException(400, "no file in field 'files'");
            }
            for (FilePart p : parts) {
                if (p.size > MAX_FILE) {
                    ObjectNode data = Json.obj();
                    data.put("name", p.name);
                    data.put("max_bytes", MAX_FILE);
                    throw new ApiException(4002, "file too large (at most 20 MB)", data, 0);
                }
            }
            List<String> types = new ArrayList<>();
            for (FilePart p : parts) {
                Optional<String> type = FileTypes.judge(p.name, p.head());
                if (type.isEmpty()) {
                    ObjectNode data = Json.obj();
                    data.put("name", p.name);
                    ArrayNode accepted = data.putArray("accepted");
                    FileTypes.ACCEPTED.stream().sorted().forEach(accepted::add);
                    throw new ApiException(4001, "unsupported file type", data, 0);
                }
                types.add(type.get());
            }
            for (int i = 0; i < parts.size(); i++) {
                FilePart p = parts.get(i);
                String type = types.get(i);
                ObjectNode info = fileInfo(s, p.name, FileTypes.kind(type));
                info.put("size", p.size);
                boolean image = "image".equals(FileTypes.kind(type));
                s.addUpload(info, image, image && p.bytes != null ? p.bytes.toByteArray() : null);
                files.add(info);
            }
        } else if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            byte[] body = in.readAll(MAX_JSON);
            if (body == null) {
                throw new ApiException(400, "body too large");
            }
            JsonNode urls = Json.parseObject(body).path("urls");
            if (!urls.isArray() || urls.isEmpty()) {
                throw new ApiException(400, "urls is required");
            }
            for (JsonNode u : urls) {
                String url = u.asText("");
                String name = url.replaceAll("[?#].*$", "");
                name = name.substring(name.lastIndexOf('/') + 1);
                if (name.isBlank()) {
                    name = "file";
                }
                String ext = FileTypes.extension(name);
                boolean image = ext.isEmpty() || FileTypes.IMAGES.contains(ext) || !FileTypes.ACCEPTED.contains(ext);
                ObjectNode info = Json.obj();
                info.put("name", name);
                info.put("url", url);
                info.put("type", image ? "image" : FileTypes.kind(ext));
                s.addUpload(info, image, null);
                files.add(info.deepCopy());
            }
        } else {
            throw new ApiException(400, "expected multipart/form-data or application/json");
        }
        ObjectNode data = Json.obj();
        data.set("files", files);
        return data;
    }

    private ObjectNode fileInfo(Session s, String name, String kind) {
        String clean = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        ObjectNode info = Json.obj();
        info.put("name", clean);
        info.put("url", env.baseUrl().resolve("/uploads/" + s.id + "/" + env.hex(6) + "/"
                + URLEncoder.encode(clean, StandardCharsets.UTF_8).replace("+", "%20")).toString());
        info.put("type", kind);
        return info;
    }
}
