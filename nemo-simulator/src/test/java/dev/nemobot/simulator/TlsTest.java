package dev.nemobot.simulator;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLHandshakeException;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.Certificates;
import okhttp3.tls.HandshakeCertificates;
import org.junit.jupiter.api.Test;

/** The simulator over TLS: HTTP/2 by ALPN, many streams on one connection, trusted only by who is told to. */
class TlsTest {

    private static OkHttpClient trusting(NemoSimulator sim) {
        HandshakeCertificates trust = new HandshakeCertificates.Builder()
                .addTrustedCertificate(Certificates.decodeCertificatePem(sim.certificatePem().orElseThrow()))
                .build();
        return new OkHttpClient.Builder().sslSocketFactory(trust.sslSocketFactory(), trust.trustManager())
                .connectionPool(new ConnectionPool(5, 1, java.util.concurrent.TimeUnit.MINUTES)).build();
    }

    @Test
    void answersOverHttp2AndStreamsATurn() throws Exception {
        try (NemoSimulator sim = NemoSimulator.startTls(SimulatorConfig.fast())) {
            assertThat(sim.baseUrl().getScheme()).isEqualTo("https");
            OkHttpClient http = trusting(sim);
            try (Response r = http.newCall(new Request.Builder().url(sim.baseUrl() + "/api/auth/anonymous-token")
                    .post(okhttp3.RequestBody.create("{\"client_id\":\"tls-test\"}", SimClient.JSON)).build()).execute()) {
                assertThat(r.protocol()).isEqualTo(Protocol.HTTP_2);
                assertThat(r.code()).isEqualTo(200);
            }
            SimClient client = new SimClient(sim, http);
            String token = client.token();
            String sid = client.session(token);
            assertThat(client.upload(token, sid, "photo.png", SimClient.png(80, 60)).code()).isZero();
            SimClient.Stream s = client.sse(token, sid, "animate this image into a 5-second video");
            assertThat(s.cut()).isFalse();
            assertThat(s.functionCalls()).containsExactly("generate_video", "add_music_and_title");
            assertThat(sim.requests()).allSatisfy(q -> assertThat(q.protocol()).isEqualTo("HTTP/2.0"));
        }
    }

    @Test
    void manyStreamsAtOnceShareOneConnection() throws Exception {
        try (NemoSimulator sim = NemoSimulator.startTls(SimulatorConfig.fast()
                .withStageDelay(Duration.ofMillis(300)).withHeartbeatEvery(Duration.ofMillis(50)))) {
            OkHttpClient http = trusting(sim);
            SimClient client = new SimClient(sim, http);
            int n = 40;
            List<String[]> users = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String token = client.token();
                String sid = client.session(token);
                assertThat(client.upload(token, sid, "photo.png", SimClient.png(40, 30)).code()).isZero();
                users.add(new String[] {token, sid});
            }
            List<Future<SimClient.Stream>> streams = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (String[] u : users) {
                    streams.add(pool.submit(() -> client.sse(u[0], u[1], "animate this image")));
                }
                // all under way together (each lasts two 300 ms stages at least)
                await("40 streams under way").atMost(Duration.ofSeconds(60)).until(() -> sim.peakConcurrentTurns() >= n);
                for (Future<SimClient.Stream> f : streams) {
                    assertThat(f.get().cut()).isFalse();
                }
            }
            assertThat(sim.peakConcurrentTurns()).isEqualTo(n);
            assertThat(http.connectionPool().connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void aClientThatWasNotToldToTrustItIsRefused() {
        try (NemoSimulator sim = NemoSimulator.startTls(SimulatorConfig.fast())) {
            OkHttpClient http = new OkHttpClient();
            assertThatThrownBy(() -> http.newCall(new Request.Builder().url(sim.baseUrl() + "/api/credits").build())
                    .execute().close()).isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void plainStartStaysHttp11() throws Exception {
        try (NemoSimulator sim = NemoSimulator.start(SimulatorConfig.fast())) {
            assertThat(sim.certificatePem()).isEmpty();
            SimClient client = new SimClient(sim);
            client.token();
            assertThat(sim.requests()).allSatisfy(q -> assertThat(q.protocol()).isEqualTo("HTTP/1.1"));
        }
    }
}
