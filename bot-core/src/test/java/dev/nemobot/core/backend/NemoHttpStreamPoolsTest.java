package dev.nemobot.core.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nemobot.config.NemoSettings;
import dev.nemobot.config.ProxySettings;
import dev.nemobot.core.net.Http2Support;
import dev.nemobot.simulator.NemoSimulator;
import dev.nemobot.simulator.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which pool a {@code /run_sse} stream goes to: over HTTP/1.1 (a connection per stream) the streams are spread over
 * {@link NemoHttp#STREAM_POOLS} pools of their own; once the backend has answered over HTTP/2 they all share one
 * pool (one multiplexed connection and its one reader thread rather than 16), still apart from the plain calls'.
 * Before Java 24 the clients offer HTTP/1.1 only.
 */
class NemoHttpStreamPoolsTest {
    private static final NemoHttp.Timeouts TIMEOUTS = new NemoHttp.Timeouts(Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(30));

    @TempDir
    Path dir;

    private static NemoHttp http(NemoSettings settings) {
        return http(settings, null);
    }

    /** @param shared a client whose pool to share, or null for NemoHttp's own pools */
    private static NemoHttp http(NemoSettings settings, OkHttpClient shared) {
        return new NemoHttp(settings, shared, TIMEOUTS, Clock.systemUTC(), Duration.ofSeconds(1), new NemoCodec(),
                ProxySettings.none());
    }

    /** The distinct stream clients of 200 sessions. */
    private static Set<OkHttpClient> streamClients(NemoHttp http) {
        Set<OkHttpClient> clients = Collections.newSetFromMap(new IdentityHashMap<>());
        IntStream.range(0, 200).forEach(i -> clients.add(http.stream(UUID.randomUUID().toString())));
        return clients;
    }

    /** A plain call (an anonymous token), as every user's first contact makes. */
    private static void plainCall(NemoHttp http) {
        http.callJson(http.api(), http.request(http.url("api/auth/anonymous-token"),
                new NemoHttp.Auth.ClientId(UUID.randomUUID().toString())).post(RequestBodies.empty())
                .build());
    }

    @Test
    void overHttp2EveryStreamSharesOnePoolApartFromThePlainCalls() throws Exception {
        assumeTrue(Runtime.version().feature() >= 24, "HTTP/2 is offered to the backend on Java 24+ only");
        try (NemoSimulator sim = NemoSimulator.startTls(SimulatorConfig.fast())) {
            Path pem = Files.writeString(dir.resolve("ca.pem"), sim.certificatePem().orElseThrow());
            NemoHttp http = http(NemoSettings.at(sim.baseUrl()).withCaFile(pem));
            try {
                assertThat(streamClients(http)).as("before the backend has answered").hasSize(NemoHttp.STREAM_POOLS);
                plainCall(http);
                Set<OkHttpClient> streams = streamClients(http);
                assertThat(streams).as("once it has answered over HTTP/2").hasSize(1);
                assertThat(streams.iterator().next().connectionPool()).isNotSameAs(http.api().connectionPool());
            } finally {
                http.close();
            }
        }
    }

    /** The clients as {@link Http2Support} makes them on Java 21 (whatever this runtime) speak HTTP/1.1 to it. */
    @Test
    void onJava21To23TheBackendIsSpokenToOverHttp11EvenWhereItOffersHttp2() throws Exception {
        OkHttpClient asOnJava21 = Http2Support.apply(new OkHttpClient.Builder(), 21).build();
        try (NemoSimulator sim = NemoSimulator.startTls(SimulatorConfig.fast())) {
            Path pem = Files.writeString(dir.resolve("ca.pem"), sim.certificatePem().orElseThrow());
            NemoHttp http = http(NemoSettings.at(sim.baseUrl()).withCaFile(pem), asOnJava21);
            try {
                plainCall(http);
                try (Response r = http.api().newCall(http.request(http.url("api/auth/anonymous-token"),
                        new NemoHttp.Auth.ClientId(UUID.randomUUID().toString())).post(RequestBodies.empty())
                        .build()).execute()) {
                    assertThat(r.protocol()).isEqualTo(Protocol.HTTP_1_1);
                }
                assertThat(sim.requests()).hasSize(2)
                        .allSatisfy(q -> assertThat(q.protocol()).isEqualTo("HTTP/1.1"));
            } finally {
                http.close();
                asOnJava21.connectionPool().evictAll();
            }
        }
    }

    @Test
    void overHttp11TheStreamsKeepTheirPools() {
        try (NemoSimulator sim = NemoSimulator.start(SimulatorConfig.fast())) {
            NemoHttp http = http(NemoSettings.at(sim.baseUrl()));
            try {
                plainCall(http);
                assertThat(streamClients(http)).hasSize(NemoHttp.STREAM_POOLS);
            } finally {
                http.close();
            }
        }
    }
}
