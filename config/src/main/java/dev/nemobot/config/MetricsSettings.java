package dev.nemobot.config;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * The metrics and health endpoint.
 *
 * @param port {@code METRICS_PORT}: serve {@code /metrics} (Prometheus) and {@code /health} on this port; empty
 *             (the default) serves nothing
 * @param host {@code METRICS_HOST}: the address to bind, {@code 127.0.0.1} unless set (the endpoint has no
 *             authentication: expose it wider only behind a firewall)
 */
public record MetricsSettings(OptionalInt port, String host) {
    public MetricsSettings {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(host, "host");
        if (port.isPresent() && (port.getAsInt() < 0 || port.getAsInt() > 65535)) {
            throw new IllegalArgumentException("port must be within 0..65535, was " + port.getAsInt());
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("host is blank");
        }
    }

    public static MetricsSettings off() {
        return new MetricsSettings(OptionalInt.empty(), "127.0.0.1");
    }
}
