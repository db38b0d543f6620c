package dev.nemobot.core.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nemobot.config.NemoSettings;
import dev.nemobot.config.ProxySettings;
import dev.nemobot.config.Secret;
import dev.nemobot.core.net.Http2Support;
import dev.nemobot.core.net.ProxyRouting;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.tls.HandshakeCertificates;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The backend's HTTP side: the OkHttp clients and their time-outs, the one place that builds a request (with its
 * {@code Authorization: Bearer} or {@code X-Client-Id} and the three attribution headers; a request to another host
 * gets none of them), the one safe resend ({@link StaleConnections}), and the one place that maps a failed call to a
 * {@link NemoException} (through {@link NemoErrors}); messages never contain a token or a whole body. Thread-safe.
 */
final class NemoHttp {
    private static final Logger log = LoggerFactory.getLogger(NemoHttp.class);

    static final int STREAM_POOLS = 16;
    static final long MAX_JSON_BYTES = 8L * 1024 * 1024;
    /** Attempts of one request in all while an HTTP/2 server refuses its stream unprocessed ({@link #send}). */
    static final int MAX_REFUSED_ATTEMPTS = 4;

    private final NemoSettings settings;
    private final HttpUrl base;
    private final ProxySettings proxy;
    private final OkHttpClient root;
    private final OkHttpClient api;
    private final OkHttpClient transfer;
    /** The clients of {@code /run_sse}, by session, while the backend answers over HTTP/1.1: see the constructor. */
    private final OkHttpClient[] streams;
    /** Whether the last plain call's answer came over HTTP/2 (multiplexed): see {@link #stream}. */
    private volatile boolean multiplexed;
    private final boolean ownsHttp;
    private final NemoCodec codec;
    private final NemoErrors failures;

    /** Time-outs of the client's calls. */
    record Timeouts(Duration connect, Duration call, Duration transfer, Duration streamRead) {
    }

    /**
     * @param shared          a client whose pool (and interceptors) to share, or null for pools of our own
     * @param staleCheckAfter see {@link StaleConnections.Guard}
     */
    NemoHttp(NemoSettings settings, OkHttpClient shared, Timeouts timeouts, Clock clock, Duration staleCheckAfter,
             NemoCodec codec, ProxySettings proxy) {
        this.settings = settings;
        this.proxy = proxy;
        this.base = HttpUrl.get(settings.apiUrl().toString());
        this.codec = codec;
        this.failures = new NemoErrors(clock);
        this.ownsHttp = shared == null;

        // an asynchronous call runs on a virtual thread: OkHttp's own executor would start a platform thread for each
        // of up to 10 000 calls at once (the calls here are all synchronous today; this keeps it so bounded)
        Dispatcher dispatcher = new Dispatcher(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        // the defaults (64 in all, 5 per host) would queue every user's stream behind four others
        dispatcher.setMaxRequests(10_000);
        dispatcher.setMaxRequestsPerHost(10_000);
        OkHttpClient.Builder common = ProxyRouting.apply((shared == null
                // OkHttp keeps 5 idle connections by default: with thousands of users nearly every call would open
                // (and the backend accept) a new one
                ? new OkHttpClient.Builder().connectionPool(new ConnectionPool(256, 5, TimeUnit.MINUTES))
                : shared.newBuilder()), proxy)
                .dispatcher(dispatcher)
                // OkHttp 5's fast fallback connects on its TaskRunner, whose pool starts a platform thread ("OkHttp
                // connect …") for every connection being opened at once, without bound (docs/benchmark.md, threads
                // and descriptors). Without it a call connects on its own (virtual) thread, trying the backend's
                // addresses one after the other (the connect time-out each)
                .fastFallback(false)
                .addNetworkInterceptor(new StaleConnections.Guard(clock, staleCheckAfter))
                .connectTimeout(timeouts.connect());
        Http2Support.apply(common); // HTTP/1.1 only before Java 24
        settings.caFile().ifPresent(pem -> {
            // the backend's own CA besides the JDK's (never "trust all"): e.g. the simulator's self-signed certificate
            HandshakeCertificates trust = trusting(pem);
            common.sslSocketFactory(trust.sslSocketFactory(), trust.trustManager());
        });
        this.root = common.build();
        this.api = root.newBuilder()
                .readTimeout(timeouts.call()).writeTimeout(timeouts.call()).callTimeout(timeouts.call()).build();
        this.transfer = root.newBuilder()
                .readTimeout(Duration.ofSeconds(60)).writeTimeout(Duration.ofSeconds(60))
                .callTimeout(timeouts.transfer()).build();
        // the call time-out of a stream is set per call, to what is left of the turn's 15 minutes
        OkHttpClient streamRoot = root.newBuilder()
                .readTimeout(timeouts.streamRead()).writeTimeout(timeouts.call()).callTimeout(Duration.ZERO).build();
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

    /** The JDK's trusted CAs and every certificate in the PEM file {@code pem}. */
    static HandshakeCertificates trusting(Path pem) {
        HandshakeCertificates.Builder b = new HandshakeCertificates.Builder().addPlatformTrustedCertificates();
        int n = 0;
        try (InputStream in = Files.newInputStream(pem)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                b.addTrustedCertificate((X509Certificate) c);
                n++;
            }
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("NEMO_CA_FILE " + pem + ": not a readable PEM file of certificates ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        if (n == 0) {
            throw new IllegalArgumentException("NEMO_CA_FILE " + pem + ": no certificate in it");
        }
        return b.build();
    }

    /** Plain JSON calls. */
    OkHttpClient api() {
        return api;
    }

    /** Uploads and downloads: a longer whole-call limit. */
    OkHttpClient transfer() {
        return transfer;
    }

    /**
     * The {@code /run_sse} client of {@code sessionId}. Over HTTP/1.1 each stream holds a connection of its own for
     * the whole turn, so the streams are spread over pools of their own (see the constructor). Once the backend has
     * answered a plain call over HTTP/2 (OkHttp negotiates it over TLS) every stream goes to the first of those pools:
     * one connection carries thousands of streams, and each connection costs a reader thread, its polls and its TLS
     * records, so 16 connections only spread the same frames thinner (issue 24). Not the plain calls' pool: OkHttp
     * finds a finished call among all its connection's calls by walking them from the oldest, so a plain call
     * sharing a connection with thousands of open streams would walk them all when it ends.
     */
    OkHttpClient stream(String sessionId) {
        return multiplexed ? streams[0] : streams[Math.floorMod(sessionId.hashCode(), streams.length)];
    }

    /** Notes which protocol the backend answered a plain call with (see {@link #stream}). */
    private void noteProtocol(Response response) {
        boolean h2 = response.protocol() == Protocol.HTTP_2;
        if (h2 != multiplexed) {
            multiplexed = h2;
        }
    }

    /** The resolver the clients use, for a guard to wrap. */
    Dns dns() {
        return root.dns();
    }

    /** {@code guarded} for every host but the proxies' (see {@link ProxyRouting#exceptProxies}). */
    Dns exceptProxies(Dns guarded) {
        return ProxyRouting.exceptProxies(guarded, root.dns(), proxy);
    }

    HttpUrl base() {
        return base;
    }

    NemoErrors failures() {
        return failures;
    }

    // ---------------------------------------------------------------- requests: the one place for headers

    /** Who a request says it is. */
    sealed interface Auth {
        record Bearer(Secret token) implements Auth {
        }

        record ClientId(String id) implements Auth {
        }

        /** Another host: nothing of ours goes there. */
        record Nobody() implements Auth {
        }
    }

    static Auth bearer(Secret token) {
        return new Auth.Bearer(Objects.requireNonNull(token, "token"));
    }

    Request.Builder request(HttpUrl url, Auth auth) {
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

    HttpUrl url(String path, String... segments) {
        HttpUrl.Builder b = base.newBuilder().addPathSegments(path);
        for (String s : segments) {
            b.addPathSegment(s);
        }
        return b.build();
    }

    static String what(Request r) {
        return r.method() + " " + r.url().encodedPath();
    }

    // ---------------------------------------------------------------- execution and the one place for failures

    Response execute(OkHttpClient client, Request r, String what) {
        try {
            Response response = send(client, r, call -> {
            });
            noteProtocol(response);
            return response;
        } catch (IOException e) {
            throw failures.io(what, e);
        }
    }

    /**
     * Sends {@code r}, and a second time when the first attempt failed in a way that makes that safe (a stale pooled
     * connection, see {@link StaleConnections}): an idempotent read, or a request that never reached the server;
     * up to {@link #MAX_REFUSED_ATTEMPTS} times in all while an HTTP/2 server refuses it unprocessed.
     *
     * @param prepare sets up each attempt's call (time-out, cancellation) before it runs
     * @throws IOException the last attempt's failure, with the earlier ones' suppressed
     */
    static Response send(OkHttpClient client, Request r, Consumer<Call> prepare) throws IOException {
        return onOwnThread(() -> sendHere(client, r, prepare));
    }

    /** A call that may fail with an I/O error. */
    private interface Send {
        Response run() throws IOException;
    }

    /**
     * Runs {@code send} (the request, up to the answer's headers) on a short-lived virtual thread of its own while
     * the caller waits just above. A virtual thread keeps the stack chunks it grew for its deepest park for as long
     * as it lives, and waiting for an answer inside OkHttp's interceptor chain is the deepest the engine's threads
     * park (50-64 frames): the threads that then wait for minutes (a turn reading its stream at 37 frames, an export
     * sleeping between status polls at 15) kept chunks sized for it (issue 24, docs/benchmark.md). The logging
     * context goes along; an interrupt of the caller is passed on, as OkHttp would have seen it. A failure's stack
     * trace is the helper's (the caller's frames are not in it).
     */
    private static Response onOwnThread(Send send) throws IOException {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        FutureTask<Response> task = new FutureTask<>(() -> {
            if (mdc != null) {
                MDC.setContextMap(mdc);
            }
            return send.run();
        });
        Thread helper = Thread.ofVirtual().start(task);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    // the call sees the interrupt, as it would have on this thread, and ends (or has its answer)
                    interrupted = true;
                    helper.interrupt();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof IOException io) {
                        throw io;
                    }
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Response sendHere(OkHttpClient client, Request r, Consumer<Call> prepare) throws IOException {
        IOException earlier = null;
        for (int attempt = 1; ; attempt++) {
            Request sent = StaleConnections.attempt(r);
            Call call = client.newCall(sent);
            prepare.accept(call);
            try {
                return call.execute();
            } catch (IOException e) {
                if (earlier != null) {
                    // wrapped: an earlier attempt's refusal is not this one's (StaleConnections reads the suppressed)
                    e.addSuppressed(new EarlierAttempt(attempt - 1, earlier));
                }
                boolean refused = StaleConnections.refusedUnprocessed(e);
                // once after a stale connection; up to MAX_REFUSED_ATTEMPTS in all while the server refuses the
                // stream unprocessed (a burst past its limit of streams a connection: OkHttp then opens another)
                if (!StaleConnections.mayRetry(call, sent, e) || attempt >= (refused ? MAX_REFUSED_ATTEMPTS : 2)) {
                    throw e;
                }
                // DEBUG: a routine resend; what comes of it is the caller's to log (a backend that is down would
                // otherwise add a line to every call, a render's every status poll among them)
                log.debug("{}: {}; sending it again", what(r), refused ? "the server refused the stream unprocessed"
                        : e instanceof StaleConnections.StaleConnectionException
                        ? "the server had closed the pooled connection"
                        : "connection failed (" + e.getClass().getSimpleName() + ")");
                earlier = e;
            }
        }
    }

    /** How an earlier attempt of a call sent again failed, kept with the last attempt's failure. */
    static final class EarlierAttempt extends IOException {
        EarlierAttempt(int attempt, IOException cause) {
            super("attempt " + attempt + " failed", cause);
        }
    }

    /** Runs a JSON call: the parsed answer (an object whose envelope says success), or the mapped failure. */
    JsonNode callJson(OkHttpClient client, Request r) {
        String what = what(r);
        Response response = execute(client, r, what);
        try (response) {
            int status = response.code();
            byte[] bytes = readBounded(response.body(), what, status);
            JsonNode root = codec.tree(bytes);
            if (root == null || !root.isObject()) {
                throw response.isSuccessful()
                        ? failures.badResponse(what, status, "answer is not a JSON object (" + bytes.length + " bytes)")
                        : failures.status(what, status, null, response.header("Retry-After"));
            }
            int code = NemoCodec.code(root);
            if (code != 0 || !response.isSuccessful()) {
                throw failures.envelope(what, status, code, NemoCodec.message(root), NemoCodec.errorBindId(root),
                        response.header("Retry-After"));
            }
            return root;
        }
    }

    /** Decodes a successful answer; one the contract does not describe is a {@link NemoException.BadResponse}. */
    static <T> T decode(Request r, NemoErrors failures, java.util.function.Supplier<T> decoder) {
        try {
            return decoder.get();
        } catch (NemoCodec.Malformed e) {
            throw failures.badResponse(what(r), 200, e.getMessage());
        }
    }

    /** The failure an unwanted answer stands for: an error envelope, an error status, or {@code problem}. */
    NemoException failure(String what, Response response, String problem) {
        int status = response.code();
        MediaType type = response.body().contentType();
        if (isJson(type) || !response.isSuccessful()) {
            byte[] bytes;
            try {
                bytes = readBounded(response.body(), what, status);
            } catch (NemoException e) {
                return e;
            }
            JsonNode root = codec.tree(bytes);
            if (root != null && root.isObject()) {
                int code = NemoCodec.code(root);
                if (code != 0 || !response.isSuccessful()) {
                    return failures.envelope(what, status, code, NemoCodec.message(root), NemoCodec.errorBindId(root),
                            response.header("Retry-After"));
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

    static boolean isJson(MediaType type) {
        return type != null && (type.subtype().equals("json") || type.subtype().endsWith("+json"));
    }

    /** Cancels every call under way; frees the connections if this client owns them. Idempotent. */
    void close() {
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
