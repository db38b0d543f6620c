package dev.nemobot.core.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nemobot.config.MetricsSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A small HTTP endpoint on the JDK's server: {@code GET /metrics} (Prometheus text format) and {@code GET /health}:
 * 200 {@code {"status":"UP",...}} while the engine takes messages and every platform delivers them, 200
 * {@code DEGRADED} while one does not (its library reconnects by itself: not a reason to restart the process), 503
 * {@code DOWN} once the engine stops. No authentication:
 * it binds {@link MetricsSettings#host()}, loopback unless configured. Requests run on virtual threads. The caller
 * closes it; closing does not close the registry.
 */
public final class MetricsServer implements AutoCloseable {
    /** What {@code /health} reports: whether the engine takes messages, and each platform's {@code connected()}. */
    public record Health(boolean up, Map<String, Boolean> platforms, int activeTurns, int queuedMessages,
                         int rendersInFlight) {
        public Health {
            platforms = Map.copyOf(platforms);
        }

        String status() {
            return !up ? "DOWN" : platforms.containsValue(false) ? "DEGRADED" : "UP";
        }

        String json() {
            StringJoiner p = new StringJoiner(",");
            // platform names are the adapters' own ("telegram", "discord"): nothing to escape; sorted for a stable body
            new TreeMap<>(platforms).forEach((name, ok) -> p.add("\"" + name + "\":\"" + (ok ? "UP" : "DOWN") + "\""));
            return String.format("{\"status\":\"%s\",\"platforms\":{%s},\"activeTurns\":%d,\"queuedMessages\":%d,"
                    + "\"rendersInFlight\":%d}", status(), p, activeTurns, queuedMessages, rendersInFlight);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts the endpoint when {@code settings} name a port; empty when they do not.
     *
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static Optional<MetricsServer> start(MetricsSettings settings, PrometheusMeterRegistry registry,
                                                Supplier<Health> health) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(health, "health");
        if (settings.port().isEmpty()) {
            return Optional.empty();
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(settings.host()),
                    settings.port().getAsInt()), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the metrics endpoint to " + settings.host() + ":"
                    + settings.port().getAsInt(), e);
        }
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", ex -> {
            try (ex) {
                if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                    send(ex, 405, "text/plain", "method not allowed\n");
                    return;
                }
                switch (ex.getRequestURI().getPath()) {
                    case "/metrics" -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
                    case "/health" -> {
                        Health h = health.get();
                        send(ex, h.up() ? 200 : 503, "application/json", h.json());
                    }
                    default -> send(ex, 404, "text/plain", "not found: try /metrics or /health\n");
                }
            }
        });
        server.start();
        return Optional.of(new MetricsServer(server, executor));
    }

    /** The port bound (useful when the settings asked for 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
