package dev.nemobot.app;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The container's {@code HEALTHCHECK}: {@code java -cp bot-app.jar dev.nemobot.app.HealthCheck} asks this machine's
 * bot for {@code /health} on {@code METRICS_PORT} (at {@code METRICS_HOST}, or 127.0.0.1 when that is a wildcard)
 * and exits 0 when it answers 200 ({@code UP}, or {@code DEGRADED} while a platform reconnects by itself), 1
 * otherwise (503 {@code DOWN} while stopping, no answer in 5 s, no {@code METRICS_PORT}). It needs nothing but the
 * JRE the bot runs on: JRE images often have no curl or wget.
 */
public final class HealthCheck {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private HealthCheck() {
    }

    public static void main(String[] args) {
        System.exit(check(System.getenv(), System.out));
    }

    /** 0 when the bot's {@code /health} answers 200, else 1; says which on {@code out}. */
    static int check(Map<String, String> env, PrintStream out) {
        String port = env.getOrDefault("METRICS_PORT", "").strip();
        if (!port.matches("[0-9]{1,5}")) {
            out.println("unhealthy: METRICS_PORT is not set to a port, so the bot serves no /health");
            return 1;
        }
        String host = env.getOrDefault("METRICS_HOST", "").strip();
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "127.0.0.1";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        URI uri = URI.create("http://" + host + ":" + port + "/health");
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).proxy(HttpClient.Builder.NO_PROXY)
                .build()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            out.println((r.statusCode() == 200 ? "healthy: " : "unhealthy: HTTP " + r.statusCode() + " ") + r.body());
            return r.statusCode() == 200 ? 0 : 1;
        } catch (IOException e) {
            out.println("unhealthy: " + uri + " did not answer (" + e + ")");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
