package dev.nemobot.core.backend;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nemobot.config.NemoSettings;
import dev.nemobot.config.Secret;
import dev.nemobot.core.backend.DownloadGuard;
import dev.nemobot.core.backend.DownloadRefused;
import dev.nemobot.core.files.FileType;
import dev.nemobot.core.files.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@link NemoBackend}: NemoVideo's HTTP API through OkHttp.
 *
 * <p>Thread-safe; one instance serves every user. Calls block the calling thread (run them on virtual threads) and
 * are not limited in number: the client's own {@link Dispatcher} allows 10 000 calls per host, and blocking calls are
 * never queued by OkHttp anyway, so 50 users streaming at once get 50 streams.
 *
 * <p>Every request is built in one place, which adds {@code Authorization: Bearer} (or {@code X-Client-Id} for the
 * anonymous-token call) and the three attribution headers; a download from another host gets none of them. Every
 * failure is mapped in one place to a {@link NemoException}; messages never contain a token or a whole body.
 *
 * <p>Retries: a read (GET) that failed on a broken connection is sent once more; any other request only when it
 * provably never reached the server (a kept-alive connection the server had closed while idle, or no connection at
 * all), so a turn or an upload the server may have received is never sent twice ({@link StaleConnections}).
 * Everything else the contract asks to retry (1001, 429, a failed render submit) is the engine's.
 *
 * <p>Time-outs: connect 10 s; plain calls 60 s in all; uploads and downloads 10 minutes; {@code /run_sse} reads may
 * wait 150 s between bytes (the backend sends heartbeats) and a turn, reconnects included, is capped at 15 minutes.
 *
 * <p>Whoever creates a client with {@link #create(NemoSettings)} should {@link #close()} it at shutdown; a client
 * made on a shared {@link OkHttpClient} leaves that client's connections and threads to their owner.
 */
public final class NemoClient implements NemoBackend, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NemoClient.class);

    static final int MAX_RECONNECTS = 3;
    static final int STREAM_POOLS = 16;
    static final long MAX_JSON_BYTES = 8L * 1024 * 1024;
    /** The largest file any platform takes (a self-hosted Telegram Bot API server: 2 000 MB). */
    public static final long DEFAULT_MAX_DOWNLOAD_BYTES = 2000L * 1000 * 1000;
    private static final int MAX_REDIRECTS = 5;
    private static final Duration TOKEN_LIFETIME = Duration.ofDays(7);
    private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");

    private final NemoSettings settings;
    private final HttpUrl base;
    private final OkHttpClient api;
    private final OkHttpClient transfer;
    /** Downloads of finished videos: the guard's resolver, redirects followed by hand (each hop checked). */
    private final OkHttpClient downloads;
    private final DownloadGuard guard;
    private final long maxDownloadBytes;
    /** The clients of {@code /run_sse}, by session: see the constructor. */
    private final OkHttpClient[] streams;
    private final boolean ownsHttp;
    private final Duration reconnectDelay;
    private final Duration turnTimeout;
    private final Clock clock;
    /**
     * Jackson keeps its parse and write buffers per thread by default: with a virtual thread per user, every user's
     * thread allocated its own (some 15 KB) and held them while it streamed a turn, about 140 MB for 10 000 users.
     * A small shared pool serves them all (JSON work never blocks, so few threads are inside Jackson at once).
     */
    private final ObjectMapper mapper = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.newBoundedPool(64)).build());
    private final AdkEvents adkEvents = new AdkEvents(mapper);
    private final Failures failures;

    private NemoClient(Builder b) {
        this.settings = b.settings;
        this.base = HttpUrl.get(b.settings.apiUrl().toString());
        this.reconnectDelay = b.reconnectDelay;
        this.turnTimeout = b.turnTimeout;
        this.clock = b.clock;
        this.failures = new Failures(b.clock);
        this.ownsHttp = b.httpClient == null;

        // an asynchronous call runs on a virtual thread: OkHttp's own executor would start a platform thread for each
        // of up to 10 000 calls at once (the calls here are all synchronous today; this keeps it so bounded)
        Dispatcher dispatcher = new Dispatcher(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        // the defaults (64 in all, 5 per host) would queue every user's stream behind four others
        dispatcher.setMaxRequests(10_000);
        dispatcher.setMaxRequestsPerHost(10_000);
        OkHttpClient.Builder common = (b.httpClient == null
                // OkHttp keeps 5 idle connections by default: with thousands of users nearly every call would open
                // (and the backend accept) a new one
                ? new OkHttpClient.Builder().connectionPool(new ConnectionPool(256, 5, TimeUnit.MINUTES))
                : b.httpClient.newBuilder())
                .dispatcher(dispatcher)
                .addNetworkInterceptor(new StaleConnections.Guard(b.clock, b.staleCheckAfter))
                .connectTimeout(b.connectTimeout);
        OkHttpClient root = common.build();
        this.api = root.newBuilder()
                .readTimeout(b.callTimeout).writeTimeout(b.callTimeout).callTimeout(b.callTimeout).build();
        this.transfer = root.newBuilder()
                .readTimeout(Duration.ofSeconds(60)).writeTimeout(Duration.ofSeconds(60))
                .callTimeout(b.transferTimeout).build();
        this.guard = new DownloadGuard(base, b.settings.downloadHosts(), root.dns());
        this.maxDownloadBytes = b.maxDownloadBytes;
        this.downloads = transfer.newBuilder().dns(guard.dns()).followRedirects(false).followSslRedirects(false)
                .build();
        // the call time-out of a stream is set per call, to what is left of the turn's 15 minutes
        OkHttpClient streamRoot = root.newBuilder()
                .readTimeout(b.streamReadTimeout).writeTimeout(b.callTimeout).callTimeout(Duration.ZERO).build();
        // A stream holds its HTTP/1.1 connection for the whole turn (minutes), and OkHttp looks for a free
        // connection, and trims idle ones after every call, by walking its whole pool under each connection's lock.
        // With thousands of turns under way, one pool made every plain call walk thousands of busy streams: so the
        // streams get pools of their own, split by session, which keeps each walk short. (Over HTTP/2 a pool holds
        // a few multiplexed connections and this costs nothing.) A shared client keeps its one pool.
        int pools = ownsHttp ? STREAM_POOLS : 1;
        this.streams = new OkHttpClient[pools];
        for (int i = 0; i < pools; i++) {
            streams[i] = ownsHttp
                    ? streamRoot.newBuilder().connectionPool(new ConnectionPool(64, 5, TimeUnit.MINUTES)).build()
                    : streamRoot;
        }
    }

    /** A client with its own connection pool, at the settings' API address; {@link #close()} it at shutdown. */
    public static NemoClient create(NemoSettings settings) {
        return builder(settings).build();
    }

    /**
     * A client sharing {@code shared}'s connection pool (and interceptors), with its own time-outs and an unthrottled
     * dispatcher. {@link #close()} then leaves {@code shared} alone.
     */
    public static NemoClient create(NemoSettings settings, OkHttpClient shared) {
        return builder(settings).httpClient(shared).build();
    }

    /** For tests and tuning: time-outs, the reconnect delay, the clock. */
    public static Builder builder(NemoSettings settings) {
        return new Builder(settings);
    }

    /** Settings of a {@link NemoClient}; not thread-safe, use once. */
    public static final class Builder {
        private final NemoSettings settings;
        private OkHttpClient httpClient;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration callTimeout = Duration.ofSeconds(60);
        private Duration transferTimeout = Duration.ofMinutes(10);
        private Duration streamReadTimeout = Duration.ofSeconds(150);
        private Duration turnTimeout = Duration.ofMinutes(15);
        private Duration reconnectDelay = Duration.ofSeconds(2);
        private Clock clock = Clock.systemUTC();
        private Duration staleCheckAfter = StaleConnections.RECENT;
        private long maxDownloadBytes = DEFAULT_MAX_DOWNLOAD_BYTES;

        private Builder(NemoSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /** Share this client's connection pool; its owner closes it. */
        public Builder httpClient(OkHttpClient shared) {
            this.httpClient = Objects.requireNonNull(shared, "shared");
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive(d, "connectTimeout");
            return this;
        }

        /** Whole-call limit of plain JSON calls (default 60 s). */
        public Builder callTimeout(Duration d) {
            this.callTimeout = positive(d, "callTimeout");
            return this;
        }

        /** Whole-call limit of uploads and downloads (default 10 minutes). */
        public Builder transferTimeout(Duration d) {
            this.transferTimeout = positive(d, "transferTimeout");
            return this;
        }

        /**
         * Largest video downloaded: the largest upload limit of the chat platforms in use (a bigger one could not be
         * sent anyway); the download stops reading past it. Default {@link #DEFAULT_MAX_DOWNLOAD_BYTES}.
         */
        public Builder maxDownloadBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxDownloadBytes must be positive, was " + bytes);
            }
            this.maxDownloadBytes = bytes;
            return this;
        }

        /** Longest silence inside a stream before it counts as dropped (default 150 s; heartbeats come sooner). */
        public Builder streamReadTimeout(Duration d) {
            this.streamReadTimeout = positive(d, "streamReadTimeout");
            return this;
        }

        /** Cap on one turn, reconnects included (default 15 minutes, the contract's). */
        public Builder turnTimeout(Duration d) {
            this.turnTimeout = positive(d, "turnTimeout");
            return this;
        }

        /** Wait before reconnecting a dropped stream (default and contract: 2 s; shorter only for tests). */
        public Builder reconnectDelay(Duration d) {
            Objects.requireNonNull(d, "reconnectDelay");
            if (d.isNegative()) {
                throw new IllegalArgumentException("reconnectDelay must not be negative, was " + d);
            }
            this.reconnectDelay = d;
            return this;
        }

        /**
         * How long a kept-alive connection may have been idle before a turn, upload or session request looks
         * whether the server has closed it ({@link StaleConnections}); zero looks every time.
         */
        Builder staleCheckAfter(Duration d) {
            Objects.requireNonNull(d, "staleCheckAfter");
            if (d.isNegative()) {
                throw new IllegalArgumentException("staleCheckAfter must not be negative, was " + d);
            }
            this.staleCheckAfter = d;
            return this;
        }

        /** Clock for token expiry, Retry-After dates and connections' idle time. */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        public NemoClient build() {
            return new NemoClient(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }
    }

    // ---------------------------------------------------------------- requests: the one place for headers

    /** Who a request says it is. */
    private sealed interface Auth {
        record Bearer(Secret token) implements Auth {
        }

        record ClientId(String id) implements Auth {
        }

        /** Another host: nothing of ours goes there. */
        record Nobody() implements Auth {
        }
    }

    private Request.Builder request(HttpUrl url, Auth auth) {
        Request.Builder b = new Request.Builder().url(url);
        switch (auth) {
            case Auth.Bearer(Secret token) -> b.header("Authorization", "Bearer " + token.reveal());
            case Auth.ClientId(String id) -> b.header("X-Client-Id", id);
            case Auth.Nobody() -> {
                return b;
            }
        }
        return b.header("X-Skill-Source", NemoSettings.SKILL_SOURCE)
                .header("X-Skill-Version", settings.skillVersion())
                .header("X-Skill-Platform", settings.skillPlatform());
    }

    private HttpUrl url(String path, String... segments) {
        HttpUrl.Builder b = base.newBuilder().addPathSegments(path);
        for (String s : segments) {
            b.addPathSegment(s);
        }
        return b.build();
    }

    private static String what(Request r) {
        return r.method() + " " + r.url().encodedPath();
    }

    private static Auth bearer(Secret token) {
        return new Auth.Bearer(Objects.requireNonNull(token, "token"));
    }

    // ---------------------------------------------------------------- plain calls

    @Override
    public TokenGrant anonymousToken(String clientId) {
        requireText(clientId, "clientId");
        Request r = request(url("api/auth/anonymous-token"), new Auth.ClientId(clientId)).post(Bodies.empty()).build();
        JsonNode data = data(callJson(api, r));
        String token = data.path("token").asText("");
        if (token.isBlank()) {
            throw failures.badResponse(what(r), 200, "no data.token in the answer");
        }
        Instant expires = expiry(data).orElseGet(() -> clock.instant().plus(TOKEN_LIFETIME));
        return new TokenGrant(Secret.of(token), data.path("credits").asInt(0), expires);
    }

    @Override
    public SessionInfo createSession(Secret token, String language) {
        requireText(language, "language");
        ObjectNode body = mapper.createObjectNode().put("task_name", "project").put("language", language);
        Request r = request(url("api/tasks/me/with-session/nemo_agent"), bearer(token)).post(json(body)).build();
        JsonNode data = data(callJson(api, r));
        String taskId = data.path("task_id").asText("");
        String sessionId = data.path("session_id").asText("");
        if (taskId.isBlank() || sessionId.isBlank()) {
            throw failures.badResponse(what(r), 200, "no data.task_id or data.session_id in the answer");
        }
        return new SessionInfo(taskId, sessionId, optText(data.path("bind_id")));
    }

    @Override
    public UploadResult upload(Secret token, String sessionId, String fileName, String contentType, Path file) {
        Objects.requireNonNull(file, "file");
        RequestBody part;
        try {
            part = Bodies.file(file, mediaType(contentType));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the file to upload", e);
        }
        return uploadPart(token, sessionId, fileName, part);
    }

    @Override
    public UploadResult upload(Secret token, String sessionId, String fileName, String contentType, InputStream in,
                               long size) {
        Objects.requireNonNull(in, "in");
        return uploadPart(token, sessionId, fileName, Bodies.stream(in, mediaType(contentType), size));
    }

    private UploadResult uploadPart(Secret token, String sessionId, String fileName, RequestBody part) {
        requireText(sessionId, "sessionId");
        requireText(fileName, "fileName");
        MultipartBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart("files", fileName, part).build();
        Request r = request(url("api/upload-video/nemo_agent/me", sessionId), bearer(token)).post(body).build();
        return uploadResult(data(callJson(transfer, r)), fileName);
    }

    @Override
    public UploadResult uploadUrl(Secret token, String sessionId, URI url) {
        requireText(sessionId, "sessionId");
        Objects.requireNonNull(url, "url");
        ObjectNode body = mapper.createObjectNode().put("source_type", "url");
        body.putArray("urls").add(url.toString());
        Request r = request(url("api/upload-video/nemo_agent/me", sessionId), bearer(token)).post(json(body)).build();
        return uploadResult(data(callJson(api, r)), url.toString());
    }

    private static UploadResult uploadResult(JsonNode data, String sent) {
        List<String> names = new ArrayList<>();
        for (JsonNode f : data.path("files")) {
            String name = f.isObject() ? firstText(f, "name", "id", "url") : f.asText("");
            if (!name.isBlank()) {
                names.add(name);
            }
        }
        return new UploadResult(names.isEmpty() ? List.of(sent) : names);
    }

    @Override
    public Credits credits(Secret token) {
        Request r = request(url("api/credits/balance/simple"), bearer(token)).get().build();
        JsonNode data = data(callJson(api, r));
        if (!data.path("available").isNumber()) {
            throw failures.badResponse(what(r), 200, "no data.available in the answer");
        }
        long available = data.path("available").asLong();
        long frozen = data.path("frozen").asLong(0);
        long total = data.path("total").isNumber() ? data.path("total").asLong() : available + frozen;
        return new Credits(available, frozen, total);
    }

    @Override
    public SessionState state(Secret token, String sessionId) {
        requireText(sessionId, "sessionId");
        Request r = request(url("api/state/nemo_agent/me", sessionId, "latest"), bearer(token)).get().build();
        JsonNode data = data(callJson(api, r));
        JsonNode state = data.path("state");
        return new SessionState(state.isObject() ? state : mapper.createObjectNode(), optText(data.path("bind_id")));
    }

    @Override
    public RenderJob submitRender(Secret token, String sessionId, String id, JsonNode draft) {
        requireText(sessionId, "sessionId");
        requireText(id, "id");
        Objects.requireNonNull(draft, "draft");
        ObjectNode body = mapper.createObjectNode().put("id", id).put("sessionId", sessionId);
        body.set("draft", draft);
        body.putObject("output").put("format", "mp4").put("quality", "high");
        Request r = request(url("api/render/proxy/lambda"), bearer(token)).post(json(body)).build();
        return renderJob(r, callJson(api, r), id);
    }

    @Override
    public RenderJob renderStatus(Secret token, String id) {
        requireText(id, "id");
        Request r = request(url("api/render/proxy/lambda", id), bearer(token)).get().build();
        return renderJob(r, callJson(api, r), id);
    }

    /** The status may be top-level (as published) or inside {@code data}: both are read, top-level first. */
    private RenderJob renderJob(Request r, JsonNode root, String id) {
        JsonNode data = root.path("data");
        String status = firstText(root, data, "status");
        RenderJob.Status s = switch (status.toLowerCase(Locale.ROOT)) {
            case "", "pending", "queued", "submitted" -> RenderJob.Status.PENDING;
            case "processing", "running", "rendering", "in_progress" -> RenderJob.Status.PROCESSING;
            case "completed", "complete", "done", "succeeded", "success" -> RenderJob.Status.COMPLETED;
            case "failed", "error", "cancelled", "canceled" -> RenderJob.Status.FAILED;
            default -> throw failures.badResponse(what(r), 200, "unknown render status '" + Failures.clip(status) + "'");
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
        // the id is ours (the contract's render_<ts>): the answer's is not used, in a URL or a file name
        return new RenderJob(id, s, progress, outputUrl,
                error.map(e -> Failures.clip(Failures.redact(e))));
    }

    // ---------------------------------------------------------------- download

    @Override
    public long download(Secret token, RenderJob job, Path target) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(target, "target");
        NemoException first = null;
        if (job.outputUrl().isPresent()) {
            HttpUrl direct = base.resolve(job.outputUrl().get().toString());
            if (direct == null) {
                throw new DownloadRefused("output.url is not an http(s) URL");
            }
            refuseIfNotAllowed(direct);
            try {
                return fetchVideo(direct, token, target);
            } catch (NemoException e) {
                log.warn("render {}: output.url failed ({}), trying the download endpoint", job.id(),
                        e.getClass().getSimpleName());
                first = e;
            }
        }
        try {
            return fetchVideo(url("api/render/proxy", job.id(), "download"), token, target);
        } catch (NemoException e) {
            if (first != null) {
                e.addSuppressed(first);
            }
            throw e;
        }
    }

    private void refuseIfNotAllowed(HttpUrl url) {
        Optional<String> why = guard.refusal(url);
        if (why.isPresent()) {
            throw new DownloadRefused(why.get());
        }
    }

    static boolean sameOrigin(HttpUrl a, HttpUrl b) {
        return a.scheme().equals(b.scheme()) && a.host().equalsIgnoreCase(b.host()) && a.port() == b.port();
    }

    /** GETs the video at {@code url}, following up to {@link #MAX_REDIRECTS} redirects, each checked by the guard. */
    private long fetchVideo(HttpUrl url, Secret token, Path target) {
        for (int hop = 0; ; hop++) {
            // our token goes only to our API's own origin; a CDN or bucket gets a bare GET
            Auth auth = sameOrigin(url, base) ? bearer(token) : new Auth.Nobody();
            Request r = request(url, auth).get().build();
            // a foreign URL may carry a signature in its query: the message names the host only
            String what = auth instanceof Auth.Nobody ? "GET " + url.host() : what(r);
            Response response;
            Call[] call = new Call[1];
            try {
                response = send(downloads, r, c -> call[0] = c);
            } catch (IOException e) {
                for (Throwable t = e; t != null; t = t.getCause()) {
                    if (t instanceof DownloadGuard.AddressRefused refused) {
                        throw new DownloadRefused(refused.getMessage());
                    }
                }
                throw failures.io(what, e);
            }
            try (response) {
                if (response.isRedirect()) {
                    String location = response.header("Location");
                    HttpUrl next = location == null ? null : url.resolve(location);
                    if (next == null || hop >= MAX_REDIRECTS) {
                        throw failure(what, response, next == null ? "a redirect without a usable Location"
                                : "more than " + MAX_REDIRECTS + " redirects");
                    }
                    refuseIfNotAllowed(next);
                    url = next;
                    continue;
                }
                try {
                    return save(response, what, target);
                } catch (DownloadRefused e) {
                    // closing an answer read only in part would first read on to keep the connection: drop it now
                    call[0].cancel();
                    throw e;
                }
            }
        }
    }

    private long save(Response response, String what, Path target) {
        MediaType type = response.body().contentType();
        if (!response.isSuccessful() || isJson(type)) {
            throw failure(what, response, "expected the video, got a JSON answer");
        }
        long announced = response.body().contentLength();
        if (announced > maxDownloadBytes) {
            throw new DownloadRefused("the video is announced as " + announced + " bytes, over the limit of "
                    + maxDownloadBytes);
        }
        Path dir = target.toAbsolutePath().getParent();
        Path part = (dir == null ? Path.of(".") : dir).resolve(target.getFileName() + ".part");
        long written = 0;
        boolean moved = false;
        try {
            BufferedSource source = response.body().source();
            Buffer chunk = new Buffer();
            // the first bytes, to tell an MP4 or MOV from anything else before more is written
            Buffer head = new Buffer();
            boolean checked = false;
            Files.deleteIfExists(part);
            try (OutputStream out = Files.newOutputStream(Files.createFile(part, PrivateFiles.ownerOnlyFile(part)))) {
                long n;
                while ((n = readChunk(source, chunk, what)) != -1) {
                    written += n;
                    if (written > maxDownloadBytes) {
                        // stop reading: closing the answer unread drops its connection
                        throw new DownloadRefused("the video is larger than the limit of " + maxDownloadBytes
                                + " bytes");
                    }
                    if (!checked) {
                        chunk.copyTo(head, 0, Math.min(FileType.HEAD_BYTES - head.size(), chunk.size()));
                        if (head.size() >= FileType.HEAD_BYTES) {
                            requireVideo(head);
                            checked = true;
                        }
                    }
                    chunk.writeTo(out);
                }
            }
            if (!checked) {
                requireVideo(head);
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the video to " + target.getFileName(), e);
        } finally {
            if (!moved) {
                deleteQuietly(part);
            }
        }
        return written;
    }

    /** Refuses what does not start as an MP4 or MOV (an ftyp box, or a QuickTime atom). */
    private static void requireVideo(Buffer head) {
        byte[] h = head.snapshot().toByteArray();
        Optional<FileType> type = FileType.sniff(h, h.length);
        if (type.isEmpty() || (type.get() != FileType.MP4 && type.get() != FileType.MOV)) {
            throw new DownloadRefused("the answer is not an MP4 or MOV video ("
                    + type.map(FileType::extension).or(() -> FileType.describeOther(h, h.length))
                    .orElse(h.length == 0 ? "empty" : "unknown bytes") + ")");
        }
    }

    private long readChunk(BufferedSource source, Buffer into, String what) {
        try {
            return source.read(into, 64 * 1024);
        } catch (IOException e) {
            throw failures.io(what, e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.debug("could not delete {}", p.getFileName());
        }
    }

    // ---------------------------------------------------------------- run_sse

    @Override
    public TurnEnd runTurn(Secret token, String sessionId, String text, TurnListener listener,
                           Cancellation cancellation) {
        requireText(sessionId, "sessionId");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(cancellation, "cancellation");
        ObjectNode body = mapper.createObjectNode().put("app_name", "nemo_agent").put("user_id", "me")
                .put("session_id", sessionId);
        body.putObject("new_message").putArray("parts").addObject().put("text", text);
        byte[] bytes = bytes(body);
        OkHttpClient client = streams[Math.floorMod(sessionId.hashCode(), streams.length)];
        return new Turn(client, token, bytes, listener, cancellation).run();
    }

    /** One {@code /run_sse} turn: the first connection and its reconnects. Used by one thread. */
    private final class Turn implements SseReader.Callback {
        private final OkHttpClient client;
        private final Secret token;
        private final byte[] body;
        private final TurnListener listener;
        private final Cancellation cancellation;
        private final long deadline;
        private String lastEventId;
        private long retryMillis;
        private boolean stop;
        private boolean progressed;

        Turn(OkHttpClient client, Secret token, byte[] body, TurnListener listener, Cancellation cancellation) {
            this.client = client;
            this.token = token;
            this.body = body;
            this.listener = listener;
            this.cancellation = cancellation;
            this.deadline = System.nanoTime() + turnTimeout.toNanos();
        }

        TurnEnd run() {
            int failed = 0;
            boolean resuming = false;
            while (true) {
                if (cancellation.isCancelled()) {
                    return TurnEnd.CANCELLED;
                }
                TurnEnd end = connect(resuming);
                if (end != null) {
                    return end;
                }
                // dropped before a clean end
                if (lastEventId == null) {
                    // nothing to resume from: sending the message again would start (and charge) the turn twice
                    log.info("run_sse dropped before any event id; not resending");
                    return TurnEnd.STREAM_LOST;
                }
                failed = progressed ? 1 : failed + 1;
                if (failed > MAX_RECONNECTS) {
                    return TurnEnd.STREAM_LOST;
                }
                listener.onReconnecting(failed);
                TurnEnd waited = pause(Duration.ofMillis(Math.max(reconnectDelay.toMillis(), retryMillis)));
                if (waited != null) {
                    return waited;
                }
                resuming = true;
            }
        }

        /** @return how the turn ended, or null if the stream dropped (or a reconnect failed) */
        private TurnEnd connect(boolean resuming) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return TurnEnd.CALL_TIMEOUT;
            }
            Request.Builder rb = request(url("run_sse"), bearer(token))
                    .header("Accept", "text/event-stream")
                    .post(Bodies.json(body));
            if (resuming) {
                rb.header("Last-Event-ID", lastEventId);
            }
            Request r = rb.build();
            Call[] call = new Call[1];
            progressed = false;
            Response response;
            try {
                // a turn that never reached the server (a stale pooled connection) is sent once more; one that may
                // have reached it never is
                response = send(client, r, c -> {
                    c.timeout().timeout(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    cancellation.onCancel(c::cancel);
                    call[0] = c;
                });
            } catch (IOException e) {
                TurnEnd end = endedBy();
                if (end != null) {
                    return end;
                }
                if (!resuming) {
                    if (!StaleConnections.sent(call[0].request())) {
                        throw failures.io(what(r), e); // it never reached the server: nothing runs, say so
                    }
                    // no answer, but the server may have the turn and be running it: a lost stream, not resent
                    log.info("run_sse: no answer ({}) to a turn the server may have received",
                            e.getClass().getSimpleName());
                    return null;
                }
                log.info("run_sse reconnect failed: {}", e.getClass().getSimpleName());
                return null;
            }
            try (response) {
                MediaType type = response.body().contentType();
                boolean eventStream = type != null && type.type().equals("text") && type.subtype().equals("event-stream");
                if (!response.isSuccessful() || !eventStream) {
                    NemoException e = failure(what(r), response, "expected an event stream, got a JSON answer");
                    if (!resuming) {
                        throw e;
                    }
                    log.info("run_sse reconnect refused: {}", e.getMessage());
                    return null;
                }
                SseReader reader = new SseReader(response.body().source(), this);
                while (reader.processNext()) {
                    if (stop) {
                        call[0].cancel();
                        return TurnEnd.STOPPED;
                    }
                }
                return TurnEnd.COMPLETED;
            } catch (IOException e) {
                TurnEnd end = endedBy();
                if (end != null) {
                    return end;
                }
                log.info("run_sse stream dropped: {}", e.getClass().getSimpleName());
                return null;
            }
        }

        /** After an I/O failure: was it us (cancel) or the turn's cap? */
        private TurnEnd endedBy() {
            if (cancellation.isCancelled()) {
                return TurnEnd.CANCELLED;
            }
            // OkHttp's call time-out fires at the deadline; the slack covers the watchdog's scheduling
            if (System.nanoTime() - deadline >= -TimeUnit.MILLISECONDS.toNanos(100)) {
                return TurnEnd.CALL_TIMEOUT;
            }
            return null;
        }

        /** Waits before a reconnect; returns early (with why) on cancel or at the deadline. */
        private TurnEnd pause(Duration wait) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= wait.toNanos()) {
                return TurnEnd.CALL_TIMEOUT;
            }
            CountDownLatch cancelled = new CountDownLatch(1);
            cancellation.onCancel(cancelled::countDown);
            try {
                return cancelled.await(wait.toNanos(), TimeUnit.NANOSECONDS) ? TurnEnd.CANCELLED : null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return TurnEnd.CANCELLED;
            }
        }

        @Override
        public void onEvent(String id, String type, String data) {
            if (id != null) {
                lastEventId = id;
            }
            if ("heartbeat".equals(type) || data.isBlank()) {
                heartbeat();
                return;
            }
            Optional<AdkEvent> event = adkEvents.parse(data, id);
            if (event.isEmpty()) {
                log.warn("run_sse: skipped an event that is not an ADK event ({} chars)", data.length());
                return;
            }
            progressed = true;
            listener.onEvent(event.get());
        }

        @Override
        public void onComment(String comment) {
            heartbeat();
        }

        @Override
        public void onRetry(long millis) {
            retryMillis = Math.min(millis, Duration.ofMinutes(1).toMillis());
        }

        private void heartbeat() {
            if (!listener.onHeartbeat()) {
                stop = true;
            }
        }
    }

    // ---------------------------------------------------------------- execution and the one place for failures

    private Response execute(OkHttpClient client, Request r, String what) {
        try {
            return send(client, r, call -> {
            });
        } catch (IOException e) {
            throw failures.io(what, e);
        }
    }

    /**
     * Sends {@code r}, and a second time when the first attempt failed in a way that makes that safe (a stale pooled
     * connection, see {@link StaleConnections}): an idempotent read, or a request that never reached the server.
     *
     * @param prepare sets up each attempt's call (time-out, cancellation) before it runs
     * @throws IOException the last attempt's failure, with the first one's suppressed
     */
    private static Response send(OkHttpClient client, Request r, java.util.function.Consumer<Call> prepare)
            throws IOException {
        Request first = StaleConnections.attempt(r);
        Call call = client.newCall(first);
        prepare.accept(call);
        try {
            return call.execute();
        } catch (IOException e) {
            if (!StaleConnections.mayRetry(call, first, e)) {
                throw e;
            }
            log.info("{}: {}; sending it again once", what(r), e instanceof StaleConnections.StaleConnectionException
                    ? "the server had closed the pooled connection" : "connection failed (" + e.getClass().getSimpleName() + ")");
            Call again = client.newCall(StaleConnections.attempt(r));
            prepare.accept(again);
            try {
                return again.execute();
            } catch (IOException second) {
                second.addSuppressed(e);
                throw second;
            }
        }
    }

    /** Runs a JSON call: the parsed answer, or the mapped failure. */
    private JsonNode callJson(OkHttpClient client, Request r) {
        String what = what(r);
        Response response = execute(client, r, what);
        try (response) {
            int status = response.code();
            byte[] bytes = readBounded(response.body(), what, status);
            JsonNode root = parseJson(bytes);
            if (root == null || !root.isObject()) {
                throw response.isSuccessful()
                        ? failures.badResponse(what, status, "answer is not a JSON object (" + bytes.length + " bytes)")
                        : failures.status(what, status, null, response.header("Retry-After"));
            }
            int code = code(root);
            if (code != 0 || !response.isSuccessful()) {
                throw failures.envelope(what, status, code, root.path("message").asText(null), root.path("data"),
                        response.header("Retry-After"));
            }
            return root;
        }
    }

    /** The failure an unwanted answer stands for: an error envelope, an error status, or {@code problem}. */
    private NemoException failure(String what, Response response, String problem) {
        int status = response.code();
        MediaType type = response.body().contentType();
        if (isJson(type) || !response.isSuccessful()) {
            byte[] bytes;
            try {
                bytes = readBounded(response.body(), what, status);
            } catch (NemoException e) {
                return e;
            }
            JsonNode root = parseJson(bytes);
            if (root != null && root.isObject()) {
                int code = code(root);
                if (code != 0 || !response.isSuccessful()) {
                    return failures.envelope(what, status, code, root.path("message").asText(null),
                            root.path("data"), response.header("Retry-After"));
                }
                return failures.badResponse(what, status, problem);
            }
            if (!response.isSuccessful()) {
                return failures.status(what, status, null, response.header("Retry-After"));
            }
        }
        return failures.badResponse(what, status, "unexpected content type " + type);
    }

    private byte[] readBounded(ResponseBody body, String what, int status) {
        try {
            BufferedSource source = body.source();
            if (source.request(MAX_JSON_BYTES + 1)) {
                throw failures.badResponse(what, status, "answer larger than " + MAX_JSON_BYTES + " bytes");
            }
            return source.readByteArray();
        } catch (IOException e) {
            throw failures.io(what, e);
        }
    }

    private JsonNode parseJson(byte[] bytes) {
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
    private static int code(JsonNode root) {
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

    private static JsonNode data(JsonNode root) {
        JsonNode d = root.path("data");
        return d.isObject() ? d : root;
    }

    private static boolean isJson(MediaType type) {
        return type != null && (type.subtype().equals("json") || type.subtype().endsWith("+json"));
    }

    // ---------------------------------------------------------------- small helpers

    private RequestBody json(JsonNode node) {
        return Bodies.json(bytes(node));
    }

    private byte[] bytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static MediaType mediaType(String contentType) {
        MediaType t = contentType == null ? null : MediaType.parse(contentType);
        return t == null ? OCTET_STREAM : t;
    }

    private Optional<Instant> expiry(JsonNode data) {
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
            log.debug("token expiry not understood, assuming {}", TOKEN_LIFETIME);
        }
        return Optional.empty();
    }

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

    private static void requireText(String s, String name) {
        Objects.requireNonNull(s, name);
        if (s.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    /** Cancels every call under way; frees the connections if this client owns them. Idempotent. */
    @Override
    public void close() {
        api.dispatcher().cancelAll();
        api.dispatcher().executorService().shutdown();
        if (ownsHttp) {
            api.connectionPool().evictAll();
            for (OkHttpClient s : streams) {
                s.connectionPool().evictAll();
            }
        }
    }
}
