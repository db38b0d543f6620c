package dev.nemobot.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.config.MetricsSettings;
import dev.nemobot.core.metrics.MetricsServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The container's HEALTHCHECK against the bot's real /health endpoint. */
class HealthCheckTest {
    private final ByteArrayOutputStream said = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(said, true, StandardCharsets.UTF_8);

    @Test
    void healthyWhileUpOrDegradedUnhealthyOnceDown() {
        AtomicReference<MetricsServer.Health> health = new AtomicReference<>(
                new MetricsServer.Health(true, Map.of("telegram", true), 0, 0, 0));
        try (MetricsServer m = MetricsServer.start(new MetricsSettings(OptionalInt.of(0), "0.0.0.0"),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), health::get).orElseThrow()) {
            Map<String, String> env = Map.of("METRICS_PORT", Integer.toString(m.port()), "METRICS_HOST", "0.0.0.0");
            assertThat(HealthCheck.check(env, out)).isZero();
            health.set(new MetricsServer.Health(true, Map.of("telegram", false), 0, 0, 0));
            assertThat(HealthCheck.check(env, out)).as("DEGRADED: the platform reconnects by itself").isZero();
            health.set(new MetricsServer.Health(false, Map.of("telegram", true), 0, 0, 0));
            assertThat(HealthCheck.check(env, out)).as("DOWN: stopping").isEqualTo(1);
        }
        assertThat(said.toString(StandardCharsets.UTF_8)).contains("healthy: {\"status\":\"UP\"",
                "healthy: {\"status\":\"DEGRADED\"", "unhealthy: HTTP 503 {\"status\":\"DOWN\"");
    }

    @Test
    void unhealthyWithNoAnswerOrNoPort() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertThat(HealthCheck.check(Map.of("METRICS_PORT", Integer.toString(closed)), out)).isEqualTo(1);
        assertThat(HealthCheck.check(Map.of(), out)).isEqualTo(1);
        assertThat(said.toString(StandardCharsets.UTF_8)).contains("did not answer", "METRICS_PORT is not set");
    }
}
