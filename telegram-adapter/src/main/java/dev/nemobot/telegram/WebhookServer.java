package dev.nemobot.telegram;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nemobot.config.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Receives Telegram's webhook deliveries on the JDK's HTTP server, one virtual thread per request. A delivery is a
 * POST on {@code path} carrying the {@code secret_token} in {@value #SECRET_HEADER} and one update as JSON; it is
 * parsed into TelegramBots' {@link Update} and handed to {@code intake} (which returns at once), then answered 200
 * with an empty body. Everything else is refused before the body is read: another path 404, another method 405, a
 * wrong or missing secret 401; then a body over {@link #MAX_BODY} bytes 413, one that is not an update 400. Telegram
 * retries a delivery that was not answered 2xx. At most {@link #MAX_IN_FLIGHT} requests are served at once; more are
 * answered 503 (Telegram retries them). Nothing logged holds the secret, the path or the body.
 *
 * <p>Thread-safe. Whoever starts it closes it; closing stops listening at once (a proxy then sends deliveries to
 * another instance, or Telegram retries them).
 */
final class WebhookServer implements AutoCloseable {
    static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
    static final int MAX_BODY = 1024 * 1024;
    static final int MAX_IN_FLIGHT = 256;
    private static final Logger log = LoggerFactory.getLogger(WebhookServer.class);

    private final HttpServer server;
    private final ExecutorService requests;
    private final String path;
    private final byte[] secret;
    private final Consumer<Update> intake;
    private final ObjectMapper json = new ObjectMapper()
            // a field Telegram adds later must not turn every delivery into a 400
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

    private WebhookServer(HttpServer server, ExecutorService requests, String path, Secret secret,
                          Consumer<Update> intake) {
        this.server = server;
        this.requests = requests;
        this.path = path;
        this.secret = secret.reveal().getBytes(StandardCharsets.UTF_8);
        this.intake = intake;
    }

    /**
     * Binds {@code host:port} (port 0 takes a free one) and starts serving.
     *
     * @throws UncheckedIOException when the address cannot be bound (the message names it, never the path)
     */
    static WebhookServer start(String host, int port, String path, Secret secret, Consumer<Update> intake) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(intake, "intake");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 128);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + " (TELEGRAM_WEBHOOK_LISTEN): "
                    + e.getMessage(), e);
        }
        ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(requests);
        WebhookServer webhook = new WebhookServer(server, requests, path, secret, intake);
        server.createContext("/", webhook::serve);
        server.start();
        return webhook;
    }

    /** The address bound: with port 0 asked, the port actually taken. */
    InetSocketAddress address() {
        return server.getAddress();
    }

    private void serve(HttpExchange ex) {
        try (ex) {
            if (!inFlight.tryAcquire()) {
                respond(ex, 503);
                return;
            }
            try {
                respond(ex, handle(ex));
            } finally {
                inFlight.release();
            }
        } catch (IOException | RuntimeException e) {
            // a client gone mid-request, or a bug: either way this request only
            log.warn("telegram: webhook request failed: {}", e.toString());
        }
    }

    private int handle(HttpExchange ex) throws IOException {
        if (!ex.getRequestURI().getRawPath().equals(path)) {
            return 404;
        }
        if (!ex.getRequestMethod().equals("POST")) {
            ex.getResponseHeaders().set("Allow", "POST");
            return 405;
        }
        String given = ex.getRequestHeaders().getFirst(SECRET_HEADER);
        if (given == null || !MessageDigest.isEqual(secret, given.getBytes(StandardCharsets.UTF_8))) {
            log.warn("telegram: webhook request from {} {} the secret token, ignored", remote(ex),
                    given == null ? "without" : "with a wrong value of");
            return 401;
        }
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null && tooLong(length)) {
            log.warn("telegram: webhook request of {} bytes refused (at most {})", length, MAX_BODY);
            return 413;
        }
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
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

    private static boolean tooLong(String length) {
        try {
            return Long.parseLong(length.strip()) > MAX_BODY;
        } catch (NumberFormatException e) {
            return false; // the read below is bounded anyway
        }
    }

    private static String remote(HttpExchange ex) {
        InetSocketAddress a = ex.getRemoteAddress();
        return a == null || a.getAddress() == null ? "?" : a.getAddress().getHostAddress();
    }

    private static void respond(HttpExchange ex, int status) throws IOException {
        ex.sendResponseHeaders(status, -1);
    }

    @Override
    public void close() {
        // a second for requests in flight, whose updates are handed over already, to get their 200 out
        server.stop(1);
        requests.shutdownNow();
    }
}
