package dev.nemobot.simulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embeddable NemoVideo backend ({@code shared/docs/nemovideo-api.md}) on the JDK's HTTP server: anonymous tokens,
 * sessions, uploads, credits, {@code /run_sse} turns as SSE, state, and exports that produce a real H.264 MP4.
 *
 * <p>Thread-safe. {@link #start} binds and serves at once; whoever starts it closes it ({@link #close} ends open
 * streams abruptly and stops all threads). Requests are handled on virtual threads, so many streams can be open
 * at once; video encoding runs on one platform thread. {@link #startTls} serves HTTPS instead (HTTP/2 and HTTP/1.1, a
 * self-signed certificate made at start), as the real backend does.
 */
public final class NemoSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NemoSimulator.class);
    private static final Duration REOPEN_CHECK = Duration.ofMillis(5);
    /**
     * Streams one HTTP/2 connection may carry at once unless told: far more than Jetty's default 128, so a
     * benchmark's thousands of answers can share one connection. Real servers say 100-256 (a client opens another
     * connection when a server's limit is reached): {@link #startTls(SimulatorConfig, int)}.
     */
    public static final int DEFAULT_MAX_STREAMS = 100_000;

    private final Object door = new Object();
    private HttpServer server; // guarded by door; replaced when an outage that refused connections ends
    private boolean shut; // guarded by door
    private final InetSocketAddress address;
    private final ExecutorService requests;
    private final ExecutorService encoder;
    private final Env env;
    private final RequestHandler router;
    private final RunSseEndpoint turns;
    private final Accounts accounts;
    private final URI baseUrl;
    /** Null: plain HTTP/1.1 on the JDK's server. */
    private final TlsListener tls;

    /** @param maxStreams with {@code tls}: the streams one HTTP/2 connection may carry at once */
    private NemoSimulator(SimulatorConfig config, boolean tls, int maxStreams) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        this.requests = Executors.newVirtualThreadPerTaskExecutor();
        this.encoder = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "nemo-simulator-encoder");
            t.setDaemon(true);
            return t;
        });
        Faults faults = new Faults(config.clock());
        this.env = new Env(config, faults, requests);
        this.accounts = new Accounts(env);
        VideoMaker videos = new VideoMaker(encoder);
        this.turns = new RunSseEndpoint(env, accounts, videos);
        this.router = new RequestHandler(env, accounts, new Renders(env, videos), turns);
        this.tls = tls ? new TlsListener(config.host(), maxStreams) : null;
        try {
            // a benchmark connects thousands at once
            this.server = bind(new InetSocketAddress(InetAddress.getByName(config.host()), config.port()));
        } catch (IOException e) {
            requests.shutdownNow();
            encoder.shutdownNow();
            throw e;
        }
        InetSocketAddress bound = server.getAddress();
        this.address = bound;
        String host = bound.getAddress().isAnyLocalAddress() ? "127.0.0.1" : bound.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        this.baseUrl = URI.create((tls ? "https://" : "http://") + host + ":" + bound.getPort());
        env.baseUrl(baseUrl);
        faults.onOutage(this::outageStarted);
        if (!tls) {
            server.start();
        }
    }

    private HttpServer bind(InetSocketAddress at) throws IOException {
        if (tls != null) {
            return tls.bind(at, 4096, router); // started already
        }
        HttpServer s = HttpServer.create(at, 4096);
        s.setExecutor(requests);
        s.createContext("/", router);
        return s;
    }

    /** An outage that refuses connections stops listening (cutting open streams) until its end, then listens again. */
    private void outageStarted(Outage how) {
        if (how != Outage.REFUSE) {
            return; // the router answers 503 and the streams cut themselves
        }
        synchronized (door) {
            if (shut || env.isClosed()) {
                return;
            }
            shut = true;
            server.stop(0);
        }
        LOG.info("outage: refusing connections");
        Thread.ofVirtual().name("nemo-simulator-outage").start(this::reopenWhenOver);
    }

    private void reopenWhenOver() {
        while (env.faults.outageNow().filter(o -> o == Outage.REFUSE).isPresent()) {
            if (!env.pause(REOPEN_CHECK)) {
                return;
            }
        }
        // the old socket's port is free again at once (the JDK binds with SO_REUSEADDR); a few tries cover a race
        for (int attempt = 0; ; attempt++) {
            synchronized (door) {
                if (env.isClosed()) {
                    return;
                }
                try {
                    server = bind(address);
                    if (tls == null) {
                        server.start();
                    }
                    shut = false;
                    LOG.info("outage over: listening again on {}", baseUrl);
                    return;
                } catch (IOException e) {
                    if (attempt >= 100) {
                        LOG.error("outage over, but {} cannot be bound again: {}", address, e.toString());
                        return;
                    }
                }
            }
            if (!env.pause(Duration.ofMillis(20))) {
                return;
            }
        }
    }

    /**
     * Binds {@code config.host():config.port()} (port 0: a free one) and starts serving.
     *
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static NemoSimulator start(SimulatorConfig config) {
        return start(config, false, DEFAULT_MAX_STREAMS);
    }

    /**
     * As {@link #start}, but serving HTTPS (HTTP/2 and HTTP/1.1 by ALPN) with a self-signed certificate made now for
     * 127.0.0.1 and localhost ({@link #certificatePem()}: what a client must trust); {@link #baseUrl()} is
     * {@code https://…}.
     */
    public static NemoSimulator startTls(SimulatorConfig config) {
        return startTls(config, DEFAULT_MAX_STREAMS);
    }

    /**
     * As {@link #startTls(SimulatorConfig)}, each HTTP/2 connection carrying at most {@code maxStreams} requests at
     * once (its {@code SETTINGS_MAX_CONCURRENT_STREAMS}; a stream past it is refused), as real servers limit them:
     * 128 for nginx and Jetty by default, 100 to 256 for the big front ends. The default is
     * {@link #DEFAULT_MAX_STREAMS}.
     */
    public static NemoSimulator startTls(SimulatorConfig config, int maxStreams) {
        return start(config, true, maxStreams);
    }

    private static NemoSimulator start(SimulatorConfig config, boolean tls, int maxStreams) {
        Objects.requireNonNull(config, "config");
        try {
            return new NemoSimulator(config, tls, maxStreams);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind " + config.host() + ":" + config.port(), e);
        }
    }

    /** The certificate a client must trust to call a {@link #startTls} simulator, PEM-encoded; empty for plain HTTP. */
    public Optional<String> certificatePem() {
        return Optional.ofNullable(tls).map(TlsListener::certificatePem);
    }

    /** The address to call, e.g. {@code http://127.0.0.1:45678} (no trailing slash). */
    public URI baseUrl() {
        return baseUrl;
    }

    /** The most {@code /run_sse} streams (turns) this simulator answered at once so far. */
    public int peakConcurrentTurns() {
        return turns.peakStreaming();
    }

    /** The turns a {@code /run_sse} request started so far (a resumed stream starts none). */
    public long turnsStarted() {
        return turns.turnsStarted();
    }

    /** The {@code /run_sse} requests so far that resumed a turn's answer stream with its Last-Event-ID. */
    public long streamsResumed() {
        return turns.streamsResumed();
    }

    /** The fault knobs of this simulator. */
    public Faults faults() {
        return env.faults;
    }

    /** Every request so far (the last 10,000), oldest first; a copy. Bodies are cut at 1 MB. */
    public List<RecordedRequest> requests() {
        return router.requests();
    }

    public void clearRequests() {
        router.clearRequests();
    }

    /**
     * The available credits of the account a token belongs to (expired tokens included).
     *
     * @throws IllegalArgumentException for a token this simulator never issued
     */
    public long credits(String token) {
        return accounts.available(token);
    }

    /**
     * How many anonymous tokens were issued so far, renewals included; a token whose answer never reached the client
     * (it had stopped waiting) counts too.
     */
    public int tokensIssued() {
        return accounts.issued();
    }

    /** Stops serving: open streams end abruptly, scripts stop, threads end. Idempotent. */
    @Override
    public void close() {
        if (env.isClosed()) {
            return;
        }
        env.close();
        synchronized (door) {
            if (!shut) {
                server.stop(0);
            }
            shut = true;
        }
        requests.shutdownNow();
        encoder.shutdownNow();
    }
}
