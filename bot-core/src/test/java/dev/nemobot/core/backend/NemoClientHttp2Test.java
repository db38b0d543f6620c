package dev.nemobot.core.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nemobot.config.NemoSettings;
import dev.nemobot.config.Secret;
import dev.nemobot.core.work.Cancellation;
import dev.nemobot.simulator.NemoSimulator;
import dev.nemobot.simulator.SimulatorConfig;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against the simulator over TLS: with the simulator's certificate in {@code NEMO_CA_FILE} it negotiates
 * HTTP/2 and many turns at once share one connection; without it the certificate is refused.
 */
class NemoClientHttp2Test {
    static final int TURNS = 30;

    @TempDir
    Path dir;

    /** NemoClient offers HTTP/2 on Java 24+ only ({@link dev.nemobot.core.net.Http2Support}; the 21 case: NemoHttpStreamPoolsTest). */
    private static void assumeHttp2Runtime() {
        assumeTrue(Runtime.version().feature() >= 24, "HTTP/2 is offered to the backend on Java 24+ only");
    }

    private Path caFile(NemoSimulator sim) throws Exception {
        Path pem = dir.resolve("simulator-ca.pem");
        Files.writeString(pem, sim.certificatePem().orElseThrow());
        return pem;
    }

    /** {@link #TURNS} users (one after the other: a token, a session, an image), then a turn of each at once. */
    private void turnsAtOnce(NemoClient client) throws Exception {
        Path photo = dir.resolve("photo.png");
        Files.write(photo, NemoClientSimulatorTest.PNG);
        List<Secret> tokens = new ArrayList<>();
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < TURNS; i++) {
            Secret token = client.anonymousToken(UUID.randomUUID().toString()).token();
            String sid = client.createSession(token, "en").sessionId();
            client.upload(token, sid, "photo.png", "image/png", photo);
            tokens.add(token);
            sessions.add(sid);
        }
        List<Future<TurnEnd>> ends = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < TURNS; i++) {
                Secret token = tokens.get(i);
                String sid = sessions.get(i);
                ends.add(pool.submit(() -> client.runTurn(token, sid, "animate this image into a video",
                        new RecordingListener(), new Cancellation())));
            }
            for (Future<TurnEnd> end : ends) {
                assertThat(end.get()).isEqualTo(TurnEnd.COMPLETED);
            }
        }
    }

    @Test
    void turnsAtOnceGoOverHttp2OnOneConnection() throws Exception {
        assumeHttp2Runtime();
        Set<Protocol> protocols = ConcurrentHashMap.newKeySet();
        AtomicInteger connects = new AtomicInteger();
        // the listener rides on a shared client: NemoClient builds its clients (and their TLS) from it
        OkHttpClient shared = new OkHttpClient.Builder().eventListener(new EventListener() {
            @Override
            public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
                connects.incrementAndGet();
            }

            @Override
            public void responseHeadersEnd(Call call, Response response) {
                protocols.add(response.protocol());
            }
        }).build();
        SimulatorConfig config = SimulatorConfig.fast().withStageDelay(Duration.ofMillis(300))
                .withHeartbeatEvery(Duration.ofMillis(50));
        try (NemoSimulator sim = NemoSimulator.startTls(config);
             NemoClient client = NemoClient.create(NemoSettings.at(sim.baseUrl()).withCaFile(caFile(sim)), shared)) {
            turnsAtOnce(client);
            assertThat(sim.peakConcurrentTurns()).as("turns under way at once").isEqualTo(TURNS);
            assertThat(protocols).containsExactly(Protocol.HTTP_2);
            assertThat(sim.requests()).allSatisfy(r -> assertThat(r.protocol()).isEqualTo("HTTP/2.0"));
            assertThat(connects.get()).as("connections opened for %d turns and %d other calls", TURNS, 3 * TURNS)
                    .isEqualTo(1);
        } finally {
            shared.connectionPool().evictAll();
            shared.dispatcher().executorService().shutdown();
        }
    }

    /**
     * A real server lets one HTTP/2 connection carry 100-256 streams at once, not thousands: past that the client
     * must open more connections, and a stream the server refuses (sent before its limit was known) must be sent
     * again, though a turn's body is one-shot. Here 8 a connection, 30 turns at once.
     */
    @Test
    void turnsPastTheServersStreamLimitGoOverMoreConnections() throws Exception {
        assumeHttp2Runtime();
        AtomicInteger connects = new AtomicInteger();
        OkHttpClient shared = new OkHttpClient.Builder().eventListener(new EventListener() {
            @Override
            public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
                connects.incrementAndGet();
            }
        }).build();
        SimulatorConfig config = SimulatorConfig.fast().withStageDelay(Duration.ofMillis(300))
                .withHeartbeatEvery(Duration.ofMillis(50));
        int limit = 8;
        try (NemoSimulator sim = NemoSimulator.startTls(config, limit);
             NemoClient client = NemoClient.create(NemoSettings.at(sim.baseUrl()).withCaFile(caFile(sim)), shared)) {
            turnsAtOnce(client);
            assertThat(sim.peakConcurrentTurns()).as("turns under way at once").isEqualTo(TURNS);
            assertThat(sim.requests()).allSatisfy(r -> assertThat(r.protocol()).isEqualTo("HTTP/2.0"));
            assertThat(connects.get()).as("connections for %d turns at %d a connection", TURNS, limit)
                    .isGreaterThanOrEqualTo((TURNS + limit - 1) / limit);
        } finally {
            shared.connectionPool().evictAll();
            shared.dispatcher().executorService().shutdown();
        }
    }

    @Test
    void theClientsOwnPoolsSpeakHttp2Too() throws Exception {
        assumeHttp2Runtime();
        try (NemoSimulator sim = NemoSimulator.startTls(SimulatorConfig.fast());
             NemoClient client = NemoClient.create(NemoSettings.at(sim.baseUrl()).withCaFile(caFile(sim)))) {
            Secret token = client.anonymousToken(UUID.randomUUID().toString()).token();
            assertThat(client.credits(token).available()).isPositive();
            assertThat(sim.requests()).hasSize(2).allSatisfy(r -> assertThat(r.protocol()).isEqualTo("HTTP/2.0"));
        }
    }

    @Test
    void withoutTheCaFileTheSimulatorsCertificateIsRefused() {
        try (NemoSimulator sim = NemoSimulator.startTls(SimulatorConfig.fast());
             NemoClient client = NemoClient.create(NemoSettings.at(sim.baseUrl()))) {
            assertThatThrownBy(() -> client.anonymousToken(UUID.randomUUID().toString()))
                    .isInstanceOf(NemoException.class);
            assertThat(sim.requests()).isEmpty();
        }
    }

    @Test
    void aCaFileWithoutACertificateIsRefusedAtStart() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
        assertThatThrownBy(() -> NemoClient.create(NemoSettings.at(java.net.URI.create("https://127.0.0.1:1"))
                .withCaFile(empty)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NEMO_CA_FILE");
    }
}
