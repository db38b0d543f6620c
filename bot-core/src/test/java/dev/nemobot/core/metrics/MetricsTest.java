package dev.nemobot.core.metrics;

import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.config.MetricsSettings;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.RecordingPlatform;
import dev.nemobot.simulator.SimulatorConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ANIMATE = "animate this image into a 5-second video with smooth motion";
    private final ChatUser ann = user("telegram", "1", Locale.ENGLISH);
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(MetricsServer m, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aConversationShowsUpInThePrometheusScrapeWithoutAnyToken() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (EngineFixture f = EngineFixture.start(SimulatorConfig.fast(), b -> b.metrics(EngineMetrics.on(registry)));
             MetricsServer m = MetricsServer.start(new MetricsSettings(OptionalInt.of(0), "127.0.0.1"), registry,
                     f.engine()::health).orElseThrow()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            in.accept(file(ann, ANIMATE, png("photo.png")));
            p.awaitVideo(WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();

            HttpResponse<String> scrape = get(m, "/metrics");
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body())
                    .contains("nemobot_turns_active 0.0", "nemobot_messages_queued 0.0", "nemobot_renders_inflight 0.0")
                    .containsPattern("nemobot_backend_calls_seconds_count\\{call=\"run_sse\",outcome=\"ok\"} 1")
                    .containsPattern("nemobot_backend_calls_seconds_count\\{call=\"token\",outcome=\"ok\"} 1")
                    .containsPattern("nemobot_platform_sends_total\\{kind=\"video\",outcome=\"ok\",platform=\"telegram\"} 1")
                    .contains("nemobot_export_delivery_seconds_count 1")
                    .doesNotContain("nmv_usr_", "telegram:1", "photo.png");

            HttpResponse<String> health = get(m, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"UP\",\"platforms\":{\"telegram\":\"UP\"},"
                    + "\"activeTurns\":0,\"queuedMessages\":0,\"rendersInFlight\":0}");
            assertThat(scrape.body()).contains("nemobot_platform_connected{platform=\"telegram\"} 1.0");

            p.connected(false); // its gateway or update stream is down: the bot still runs, and says so
            health = get(m, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).startsWith("{\"status\":\"DEGRADED\",\"platforms\":{\"telegram\":\"DOWN\"}");
            assertThat(get(m, "/metrics").body()).contains("nemobot_platform_connected{platform=\"telegram\"} 0.0");
            p.connected(true);
            assertThat(get(m, "/health").body()).startsWith("{\"status\":\"UP\"");
            assertThat(get(m, "/nope").statusCode()).isEqualTo(404);
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.port() + "/metrics"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(405);

            f.engine().close();
            assertThat(get(m, "/health").statusCode()).as("down once the engine stops").isEqualTo(503);
        }
    }

    @Test
    void aListenerOfBackendCallsIsToldOfEachCallOnceBesideTheMeters() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (EngineFixture f = EngineFixture.start(SimulatorConfig.fast(), b -> b.metrics(EngineMetrics.on(registry))
                .backendCalls((call, startNanos, nanos, result, failure) -> told.add(call)))) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            in.accept(file(ann, ANIMATE, png("photo.png")));
            p.awaitVideo(WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();

            assertThat(told).containsOnlyOnce("token", "session", "upload", "run_sse", "render_submit", "download");
            // the meters count the same calls: one metering decorator, each call timed once
            String scrape = registry.scrape();
            for (String call : List.of("state", "render_status")) {
                assertThat(scrape).containsPattern("(?m)^nemobot_backend_calls_seconds_count\\{call=\"" + call
                        + "\",outcome=\"ok\"} " + told.stream().filter(call::equals).count() + "(\\.0)?$");
            }
        }
    }

    @Test
    void backendErrorsAreCountedByCallKindAndCode() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (EngineFixture f = EngineFixture.start(SimulatorConfig.fast(), b -> b.metrics(EngineMetrics.on(registry)))) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            in.accept(text(ann, "/start"));
            p.awaitText(t -> t.contains("Ready"), WAIT);
            f.simulator().faults().failNext("/api/credits", 503, 10);
            in.accept(text(ann, "/credits"));
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(registry.scrape()).containsPattern(
                    "nemobot_backend_errors_total\\{call=\"credits\",code=\"\\d+\",error=\"server_error\"} [1-9]");
        }
    }

    @Test
    void refusalsAreCountedByReason() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (EngineFixture f = EngineFixture.start(SimulatorConfig.fast(),
                s -> s.withLimits(s.limits().withQueuedMessages(3)), b -> b.metrics(EngineMetrics.on(registry)))) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            f.simulator().faults().holdStages(); // the running request runs until the line is full
            in.accept(file(ann, ANIMATE, png("photo.png")));
            in.accept(text(ann, "x".repeat(5000)));
            for (int i = 1; i <= 4; i++) { // 3 wait in line behind the running request, the 4th is refused
                in.accept(text(ann, "change " + i));
            }
            p.awaitText(t -> t.contains("so I did not keep this message"), WAIT);
            f.simulator().faults().releaseStages();
            p.awaitVideo(WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(registry.scrape())
                    .containsPattern("nemobot_refusals_total\\{reason=\"too_long\"} 1")
                    .containsPattern("nemobot_refusals_total\\{reason=\"queue_full\"} 1");
        }
    }

    @Test
    void noPortNoServer() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        assertThat(MetricsServer.start(MetricsSettings.off(), registry,
                () -> new MetricsServer.Health(true, java.util.Map.of(), 0, 0, 0))).isEmpty();
    }
}
