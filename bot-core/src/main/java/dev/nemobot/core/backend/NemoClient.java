package dev.nemobot.core.backend;

import dev.nemobot.config.NemoSettings;
import dev.nemobot.config.ProxySettings;
import dev.nemobot.config.Secret;
import dev.nemobot.core.work.Cancellation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * The real {@link NemoBackend}: NemoVideo's HTTP API through OkHttp. A thin façade over its parts:
 * {@link NemoHttp} (clients, headers, resends, error mapping), {@link NemoCodec} (JSON to and from this package's
 * records), {@link ResumableTurn} (the {@code /run_sse} call and its resumes) and {@link RenderDownloader}.
 *
 * <p>Thread-safe; one instance serves every user. Calls block the calling thread (run them on virtual threads) and
 * are not limited in number: the client's own {@link Dispatcher} allows 10 000 calls per host, and blocking calls are
 * never queued by OkHttp anyway, so 50 users streaming at once get 50 streams. A call opens its connection on its
 * own thread (OkHttp's fast fallback, which connects on a platform thread of an unbounded pool, is off), so calls on
 * virtual threads cost no platform thread however many connect at once.
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
    static final long MAX_JSON_BYTES = NemoHttp.MAX_JSON_BYTES;
    /** The largest file any platform takes (a self-hosted Telegram Bot API server: 2 000 MB). */
    public static final long DEFAULT_MAX_DOWNLOAD_BYTES = 2000L * 1000 * 1000;
    private static final Duration TOKEN_LIFETIME = Duration.ofDays(7);
    private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");

    private final NemoHttp http;
    private final NemoCodec codec = new NemoCodec();
    private final RenderDownloader downloader;
    private final ResumableTurn.Timing turnTiming;
    private final Clock clock;

    private NemoClient(Builder b) {
        this.clock = b.clock;
        this.http = new NemoHttp(b.settings, b.httpClient,
                new NemoHttp.Timeouts(b.connectTimeout, b.callTimeout, b.transferTimeout, b.streamReadTimeout),
                b.clock, b.staleCheckAfter, codec, b.proxy);
        this.downloader = new RenderDownloader(http, b.settings.downloadHosts(), b.maxDownloadBytes);
        this.turnTiming = new ResumableTurn.Timing(b.reconnectDelay, b.turnTimeout, b.ticker);
    }

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
        private LongSupplier ticker = System::nanoTime;
        private long maxDownloadBytes = DEFAULT_MAX_DOWNLOAD_BYTES;
        private ProxySettings proxy = ProxySettings.none();

        private Builder(NemoSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /** Share this client's connection pool; its owner closes it. */
        public Builder httpClient(OkHttpClient shared) {
            this.httpClient = Objects.requireNonNull(shared, "shared");
            return this;
        }

        /** The proxy every call and download goes through (default none: direct). */
        public Builder proxy(ProxySettings p) {
            this.proxy = Objects.requireNonNull(p, "proxy");
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
         * Largest video ever downloaded, whatever a download asks for: the largest upload limit of the chat platforms
         * in use (a bigger one could not be sent anyway). Default {@link #DEFAULT_MAX_DOWNLOAD_BYTES}.
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

        /**
         * Monotonic nanoseconds for a turn's cap (default {@link System#nanoTime()}): OkHttp measures the call
         * time-out the cap becomes on the same clock, so only tests that also drive that should change it.
         */
        Builder ticker(LongSupplier t) {
            this.ticker = Objects.requireNonNull(t, "ticker");
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


    // ---------------------------------------------------------------- plain calls

    @Override
    public TokenGrant anonymousToken(String clientId) {
        requireText(clientId, "clientId");
        Request r = http.request(http.url("api/auth/anonymous-token"), new NemoHttp.Auth.ClientId(clientId))
                .post(RequestBodies.empty()).build();
        var root = http.callJson(http.api(), r);
        return decode(r, () -> codec.tokenGrant(root, clock.instant().plus(TOKEN_LIFETIME)));
    }

    @Override
    public SessionInfo createSession(Secret token, String language) {
        requireText(language, "language");
        Request r = http.request(http.url("api/tasks/me/with-session/nemo_agent"), NemoHttp.bearer(token))
                .post(RequestBodies.json(codec.sessionBody(language))).build();
        var root = http.callJson(http.api(), r);
        return decode(r, () -> codec.sessionInfo(root));
    }

    @Override
    public UploadResult upload(Secret token, String sessionId, String fileName, String contentType, Path file) {
        Objects.requireNonNull(file, "file");
        RequestBody part;
        try {
            part = RequestBodies.file(file, mediaType(contentType));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the file to upload", e);
        }
        return uploadPart(token, sessionId, fileName, part);
    }

    @Override
    public UploadResult upload(Secret token, String sessionId, String fileName, String contentType, InputStream in,
                               long size) {
        Objects.requireNonNull(in, "in");
        return uploadPart(token, sessionId, fileName, RequestBodies.stream(in, mediaType(contentType), size));
    }

    private UploadResult uploadPart(Secret token, String sessionId, String fileName, RequestBody part) {
        requireText(sessionId, "sessionId");
        requireText(fileName, "fileName");
        MultipartBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart("files", fileName, part).build();
        Request r = http.request(http.url("api/upload-video/nemo_agent/me", sessionId), NemoHttp.bearer(token))
                .post(body).build();
        return codec.uploadResult(http.callJson(http.transfer(), r), fileName);
    }

    @Override
    public UploadResult uploadUrl(Secret token, String sessionId, URI url) {
        requireText(sessionId, "sessionId");
        Objects.requireNonNull(url, "url");
        Request r = http.request(http.url("api/upload-video/nemo_agent/me", sessionId), NemoHttp.bearer(token))
                .post(RequestBodies.json(codec.uploadUrlBody(url))).build();
        return codec.uploadResult(http.callJson(http.api(), r), url.toString());
    }

    @Override
    public Credits credits(Secret token) {
        Request r = http.request(http.url("api/credits/balance/simple"), NemoHttp.bearer(token)).get().build();
        var root = http.callJson(http.api(), r);
        return decode(r, () -> codec.credits(root));
    }

    @Override
    public SessionState state(Secret token, String sessionId) {
        requireText(sessionId, "sessionId");
        Request r = http.request(http.url("api/state/nemo_agent/me", sessionId, "latest"), NemoHttp.bearer(token))
                .get().build();
        return codec.sessionState(http.callJson(http.api(), r));
    }

    @Override
    public RenderJob submitRender(Secret token, String sessionId, String id, Draft draft) {
        requireText(sessionId, "sessionId");
        requireText(id, "id");
        Objects.requireNonNull(draft, "draft");
        Request r = http.request(http.url("api/render/proxy/lambda"), NemoHttp.bearer(token))
                .post(RequestBodies.json(codec.renderBody(id, sessionId, draft))).build();
        var root = http.callJson(http.api(), r);
        return decode(r, () -> codec.renderJob(root, id));
    }

    @Override
    public RenderJob renderStatus(Secret token, String id) {
        requireText(id, "id");
        Request r = http.request(http.url("api/render/proxy/lambda", id), NemoHttp.bearer(token)).get().build();
        var root = http.callJson(http.api(), r);
        return decode(r, () -> codec.renderJob(root, id));
    }

    @Override
    public long download(Secret token, RenderJob job, Path target, long maxBytes) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(target, "target");
        return downloader.download(token, job, target, maxBytes);
    }

    @Override
    public TurnEnd runTurn(Secret token, String sessionId, String text, TurnListener listener,
                           Cancellation cancellation) {
        requireText(sessionId, "sessionId");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(cancellation, "cancellation");
        return new ResumableTurn(http, codec, turnTiming,
                new ResumableTurn.Message(token, sessionId, codec.turnBody(sessionId, text)), listener, cancellation).run();
    }

    // ---------------------------------------------------------------- small helpers

    private <T> T decode(Request r, java.util.function.Supplier<T> decoder) {
        return NemoHttp.decode(r, http.failures(), decoder);
    }

    private static MediaType mediaType(String contentType) {
        MediaType t = contentType == null ? null : MediaType.parse(contentType);
        return t == null ? OCTET_STREAM : t;
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
        http.close();
    }
}
