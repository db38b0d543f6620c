package dev.nemobot.simulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An embeddable NemoVideo backend ({@code shared/docs/nemovideo-api.md}) on the JDK's HTTP server: anonymous tokens,
 * sessions, uploads, credits, {@code /run_sse} turns as SSE, state, and exports that produce a real H.264 MP4.
 *
 * <p>Thread-safe. {@link #start} binds and serves at once; whoever starts it closes it ({@link #close} ends open
 * streams abruptly and stops all threads). Requests are handled on virtual threads, so many streams can be open
 * at once; video encoding runs on one platform thread.
 */
public final class NemoSimulator implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService requests;
    private final ExecutorService encoder;
    private final Env env;
    private final Router router;
    private final Accounts accounts;
    private final URI baseUrl;

    private NemoSimulator(SimulatorConfig config) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        this.requests = Executors.newVirtualThreadPerTaskExecutor();
        this.encoder = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "nemo-simulator-encoder");
            t.setDaemon(true);
            return t;
        });
        Faults faults = new Faults();
        this.env = new Env(config, faults, requests);
        this.accounts = new Accounts(env);
        VideoMaker videos = new VideoMaker(encoder);
        this.router = new Router(env, accounts, new Renders(env, videos), new TurnRunner(env, accounts, videos));
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(config.host()), config.port()), 4096); // a benchmark connects thousands at once
        } catch (IOException e) {
            requests.shutdownNow();
            encoder.shutdownNow();
            throw e;
        }
        server.setExecutor(requests);
        server.createContext("/", router);
        InetSocketAddress bound = server.getAddress();
        String host = bound.getAddress().isAnyLocalAddress() ? "127.0.0.1" : bound.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        this.baseUrl = URI.create("http://" + host + ":" + bound.getPort());
        env.baseUrl(baseUrl);
        server.start();
    }

    /**
     * Binds {@code config.host():config.port()} (port 0: a free one) and starts serving.
     *
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static NemoSimulator start(SimulatorConfig config) {
        Objects.requireNonNull(config, "config");
        try {
            return new NemoSimulator(config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind " + config.host() + ":" + config.port(), e);
        }
    }

    /** The address to call, e.g. {@code http://127.0.0.1:45678} (no trailing slash). */
    public URI baseUrl() {
        return baseUrl;
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

    /** Stops serving: open streams end abruptly, scripts stop, threads end. Idempotent. */
    @Override
    public void close() {
        if (env.isClosed()) {
            return;
        }
        env.close();
        server.stop(0);
        requests.shutdownNow();
        encoder.shutdownNow();
    }
}
