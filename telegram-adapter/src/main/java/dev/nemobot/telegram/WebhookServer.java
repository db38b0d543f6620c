package dev.nemobot.telegram;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nemobot.config.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Receives Telegram's webhook deliveries on Jetty, one virtual thread per request. A delivery is a POST on
 * {@code path} carrying the {@code secret_token} in {@value #SECRET_HEADER} and one update as JSON; it is parsed into
 * TelegramBots' {@link Update} and handed to {@code intake} (which returns at once), then answered 200 with an empty
 * body. Everything else is refused before the body is read: another path 404, another method 405, a wrong or missing
 * secret 401; then a body over {@link #MAX_BODY} bytes 413, one that is not an update 400. Telegram retries a
 * delivery that was not answered 2xx. At most {@link #MAX_IN_FLIGHT} requests are served at once; more are answered
 * 503 (Telegram retries them). Nothing logged holds the secret, the path or the body.
 *
 * <p>Bounded against slow or idle clients ({@link SlowClients}): a connection has {@link Limits#requestTimeout()} to
 * send a whole request, headers and body, however it trickles them, and one that sends nothing for
 * {@link Limits#readTimeout()} is closed; past {@link Limits#maxConnections()} open at once, the one waiting longest
 * for its request is closed to make room, so that a real delivery is taken at once. Requests without the right secret
 * are logged at most once a minute per source address, with a count.
 *
 * <p>Thread-safe. Whoever starts it closes it. {@link #drain()} (at the start of a shutdown) makes every further
 * delivery a 503, so that Telegram re-delivers it to another instance instead of it being taken and dropped by an
 * engine that is stopping; closing stops listening.
 */
final class WebhookServer implements AutoCloseable {
    static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
    static final int MAX_BODY = 1024 * 1024;
    static final int MAX_IN_FLIGHT = 256;
    static final Duration WARN_EVERY = Duration.ofMinutes(1);
    /** Sources whose refusals are counted apart; past that, they share one count. */
    private static final int MAX_SOURCES = 1024;
    private static final Logger log = LoggerFactory.getLogger(WebhookServer.class);

    /**
     * @param readTimeout    how long a connection may send nothing (while its headers or body are awaited, or idle
     *                       between requests) before it is closed
     * @param requestTimeout how long a connection has to send a whole request (headers and body), from its opening
     *                       or the answer to its previous request, before it is closed
     * @param maxConnections the most connections open at once; past it, the one waiting longest for its request is
     *                       closed to make room
     */
    record Limits(Duration readTimeout, Duration requestTimeout, int maxConnections) {
        static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), Duration.ofSeconds(10), 512);

        Limits {
            requirePositive(readTimeout, "readTimeout");
            requirePositive(requestTimeout, "requestTimeout");
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
            }
        }

        /** A request as long as the read timeout. */
        Limits(Duration readTimeout, int maxConnections) {
            this(readTimeout, readTimeout, maxConnections);
        }

        private static void requirePositive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
        }
    }

    /** Refusals from one source since its last WARN line. */
    private static final class Refusals {
        long since;
        int count;
    }

    private final Server server;
    private final ServerConnector connector;
    private final String path;
    private final byte[] secret;
    private final Consumer<Update> intake;
    private final LongSupplier nanoClock;
    private final SlowClients slowClients;
    private final ObjectMapper json = new ObjectMapper()
            // a field Telegram adds later must not turn every delivery into a 400
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final Map<String, Refusals> refusals = new ConcurrentHashMap<>();
    private volatile boolean draining;

    private WebhookServer(Server server, ServerConnector connector, String path, Secret secret,
                          Consumer<Update> intake, LongSupplier nanoClock, SlowClients slowClients) {
        this.server = server;
        this.slowClients = slowClients;
        this.connector = connector;
        this.path = path;
        this.secret = secret.reveal().getBytes(StandardCharsets.UTF_8);
        this.intake = intake;
        this.nanoClock = nanoClock;
    }

    /** How many connections the server has opened so far (accepted and set up). */
    long connectionsOpened() {
        return slowClients.opened();
    }

    /**
     * Binds {@code host:port} (port 0 takes a free one) and starts serving, with the default limits.
     *
     * @throws UncheckedIOException when the address cannot be bound (the message names it, never the path)
     */
    static WebhookServer start(String host, int port, String path, Secret secret, Consumer<Update> intake) {
        return start(host, port, path, secret, intake, Limits.DEFAULT, System::nanoTime);
    }

    static WebhookServer start(String host, int port, String path, Secret secret, Consumer<Update> intake,
                               Limits limits, LongSupplier nanoClock) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(intake, "intake");
        Objects.requireNonNull(limits, "limits");
        VirtualThreadPool threads = new VirtualThreadPool();
        threads.setName("telegram-webhook");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setAcceptQueueSize(512);
        connector.setIdleTimeout(limits.readTimeout().toMillis());
        SlowClients slowClients = new SlowClients(limits.requestTimeout(), limits.maxConnections(),
                System::nanoTime); // real time: a test's clock for the refusal lines must not close connections
        connector.addBean(slowClients);
        server.addConnector(connector);
        // SlowClients keeps the count near maxConnections by closing the slowest; this is a backstop for descriptors
        // (past it Jetty stops accepting until one closes): room too for the requests being answered
        server.addBean(new NetworkConnectionLimit(limits.maxConnections() + MAX_IN_FLIGHT + 64, connector));
        WebhookServer webhook = new WebhookServer(server, connector, path, secret, intake, nanoClock, slowClients);
        server.setHandler(new Handler.Abstract(Handler.Abstract.InvocationType.BLOCKING) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                webhook.serve(request, response, callback);
                return true;
            }
        });
        try {
            server.start();
            slowClients.sweepOn(connector.getScheduler());
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // it did not start: nothing to stop
            }
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            String why = cause.getCause() != null ? cause.getCause().getMessage() : cause.getMessage();
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + " (TELEGRAM_WEBHOOK_LISTEN): "
                    + why, cause instanceof IOException io ? io : new IOException(why, cause));
        }
        return webhook;
    }

    /** The address bound: with port 0 asked, the port actually taken. */
    InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost(), connector.getLocalPort());
    }

    /** From now on every request is answered 503: the instance is stopping. Idempotent. */
    void drain() {
        draining = true;
    }

    private void serve(Request request, Response response, Callback callback) {
        Connection connection = request.getConnectionMetaData().getConnection();
        int status;
        if (draining) {
            status = 503;
        } else if (!inFlight.tryAcquire()) {
            status = 503;
        } else {
            try {
                status = handle(request, response, connection);
            } catch (IOException | RuntimeException e) {
                if (connection.getEndPoint().isOpen()) {
                    // a bug, or a failure while the client is still there: this request only
                    log.warn("telegram: webhook request failed: {}", e.toString());
                } else {
                    // the client went away mid-request, or SlowClients closed it (counted there)
                    log.debug("telegram: webhook connection closed mid-request: {}", e.toString());
                }
                callback.failed(e);
                return;
            } finally {
                inFlight.release();
            }
        }
        slowClients.answered(connection);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
        callback.succeeded();
    }

    private int handle(Request request, Response response, Connection connection) throws IOException {
        if (!request.getHttpURI().getPath().equals(path)) {
            return 404;
        }
        if (!request.getMethod().equals("POST")) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            return 405;
        }
        String given = request.getHeaders().get(SECRET_HEADER);
        if (given == null || !MessageDigest.isEqual(secret, given.getBytes(StandardCharsets.UTF_8))) {
            refused(Request.getRemoteAddr(request), given == null);
            return 401;
        }
        long length = request.getLength();
        if (length > MAX_BODY) {
            log.warn("telegram: webhook request of {} bytes refused (at most {})", length, MAX_BODY);
            return 413;
        }
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        slowClients.requestRead(connection);
        if (body.length > MAX_BODY) {
            log.warn("telegram: webhook request over {} bytes refused", MAX_BODY);
            return 413;
        }
        Update update;
        try {
            update = json.readValue(body, Update.class);
        } catch (JacksonException e) {
            // the location only: the text would repeat the body
            JsonLocation at = e.getLocation();
            log.warn("telegram: webhook body is not an update ({}{}), refused", e.getClass().getSimpleName(),
                    at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr());
            return 400;
        }
        if (update == null || update.getUpdateId() == null) {
            log.warn("telegram: webhook body has no update_id, refused");
            return 400;
        }
        intake.accept(update);
        return 200;
    }

    /** One WARN line per source per {@link #WARN_EVERY}, counting the refusals in between. */
    private void refused(String source, boolean missing) {
        String key = source == null ? "?" : source;
        if (!refusals.containsKey(key) && refusals.size() >= MAX_SOURCES) {
            key = "other sources";
        }
        long now = nanoClock.getAsLong();
        int[] count = {-1};
        refusals.compute(key, (k, r) -> {
            if (r == null) {
                r = new Refusals();
                r.since = now;
                count[0] = 0;
                return r;
            }
            r.count++;
            if (now - r.since >= WARN_EVERY.toNanos()) {
                count[0] = r.count;
                r.since = now;
                r.count = 0;
            }
            return r;
        });
        if (count[0] == 0) {
            log.warn("telegram: webhook request from {} {} the secret token, ignored (more from there are counted "
                    + "for a minute)", key, missing ? "without" : "with a wrong value of");
        } else if (count[0] > 0) {
            log.warn("telegram: {} webhook requests from {} without the right secret token in the last {} s, ignored",
                    count[0], key, WARN_EVERY.toSeconds());
        }
    }

    @Override
    public void close() {
        draining = true;
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("telegram: stopping the webhook server failed: {}", e.toString());
        }
    }
}
