package dev.nemobot.core.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nemobot.config.NemoSettings;
import dev.nemobot.config.Secret;
import dev.nemobot.core.work.Cancellation;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.Protocol;
import okhttp3.internal.http2.ErrorCode;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An HTTP/2 server refuses a stream it has not processed ({@code REFUSED_STREAM}, RFC 9113 8.7), as real servers do
 * past their limit of streams a connection (100-256): the request is sent again, a turn and a session request too,
 * though their bodies are one-shot, up to {@link NemoHttp#MAX_REFUSED_ATTEMPTS} times, but not an upload from a
 * caller's stream (it may be partly read: the failure says it was unprocessed, and the engine opens the file again,
 * BackendFaultSpec); a stream reset any other way after the request went out is never sent again. (Under load:
 * BenchSmokeTest, a simulator allowing 4 streams.)
 */
class NemoClientRefusedStreamTest {
    static final Secret TOKEN = Secret.of("nmv_usr_refusedtoken");
    static final String SESSION = "{\"code\":0,\"data\":{\"task_id\":\"t1\",\"session_id\":\"s1\"}}";
    static final String UPLOADED = "{\"code\":0,\"data\":{\"files\":[{\"name\":\"photo.png\"}]}}";
    static final String STREAM = "id: 1\ndata: {\"id\":\"e1\",\"author\":\"nemo_agent\",\"partial\":false,"
            + "\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hello there\"}]}}\n\n";

    @TempDir
    Path dir;
    MockWebServer server;
    NemoClient client;

    @BeforeEach
    void start() throws IOException {
        assumeTrue(Runtime.version().feature() >= 24, "HTTP/2 is offered to the backend on Java 24+ only");
        HeldCertificate certificate = new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1")
                .addSubjectAlternativeName("localhost").build();
        server = new MockWebServer();
        server.useHttps(new HandshakeCertificates.Builder().heldCertificate(certificate).build().sslSocketFactory());
        server.setProtocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        Path pem = Files.writeString(dir.resolve("ca.pem"), certificate.certificatePem());
        client = NemoClient.builder(NemoSettings.at(URI.create("https://127.0.0.1:" + server.getPort() + "/"))
                        .withCaFile(pem))
                .reconnectDelay(Duration.ZERO).callTimeout(Duration.ofSeconds(5))
                .streamReadTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /**
     * The requests the server has seen, once it has seen at least {@code expected}: it counts a refused stream on its
     * own thread, which may not have got there when the client has its answer. Called once the client is done, so
     * no request is still to come.
     */
    int requestsSeen(int expected) {
        await().atMost(Duration.ofSeconds(5)).until(() -> server.getRequestCount() >= expected);
        return server.getRequestCount();
    }

    static MockResponse refused() {
        return new MockResponse.Builder()
                .onRequestStart(new SocketEffect.CloseStream(ErrorCode.REFUSED_STREAM.getHttpCode())).build();
    }

    static MockResponse json(String body) {
        return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build();
    }

    @Test
    void aTurnTheServerRefusedUnprocessedIsSentAgain() throws Exception {
        server.enqueue(refused());
        server.enqueue(refused());
        server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream").body(STREAM).build());
        RecordingListener listener = new RecordingListener();

        TurnEnd end = client.runTurn(TOKEN, "s1", "animate this image", listener, new Cancellation());

        assertThat(end).isEqualTo(TurnEnd.COMPLETED);
        assertThat(listener.finalText()).isEqualTo("Hello there");
        assertThat(requestsSeen(3)).isEqualTo(3);
        RecordedRequest last = null;
        for (int i = 0; i < 3; i++) {
            // (MockWebServer records a refused stream before reading its headers: no path, no headers)
            last = server.takeRequest();
            assertThat(last.getHeaders().get("Last-Event-ID")).as("a first send each time, not a resume").isNull();
        }
        assertThat(last.getUrl().encodedPath()).isEqualTo("/run_sse");
        assertThat(last.getHandshake()).as("over TLS").isNotNull();
    }

    @Test
    void aSessionRequestTheServerRefusedUnprocessedIsSentAgain() {
        server.enqueue(refused());
        server.enqueue(json(SESSION));

        assertThat(client.createSession(TOKEN, "en").sessionId()).isEqualTo("s1");
        assertThat(requestsSeen(2)).isEqualTo(2);
    }

    @Test
    void anUploadFromAFileTheServerRefusedIsSentAgainWhole() throws Exception {
        byte[] photo = new byte[200_000]; // past the stream's first window: some of it may have gone out refused
        new java.util.Random(7).nextBytes(photo);
        Path file = Files.write(dir.resolve("photo.png"), photo);
        server.enqueue(refused());
        server.enqueue(json(UPLOADED));

        client.upload(TOKEN, "s1", "photo.png", "image/png", file);

        assertThat(requestsSeen(2)).isEqualTo(2);
        server.takeRequest();
        assertThat(server.takeRequest().getBody().size()).as("the whole file, in its multipart envelope")
                .isGreaterThan(photo.length);
    }

    @Test
    void anUploadFromACallersStreamTheServerRefusedIsLeftToTheCallerToOpenAgain() {
        // the refused attempt may have read the stream's first kilobytes: what is left would arrive cut short (or,
        // its length announced, fail the check); the failure says it was refused unprocessed, for the stream's owner
        for (long announced : new long[] {-1, 200_000}) {
            server.enqueue(refused());
            server.enqueue(json(UPLOADED));
            int before = server.getRequestCount();

            assertThatThrownBy(() -> client.upload(TOKEN, "s1", "photo.png", "image/png",
                    new java.io.ByteArrayInputStream(new byte[200_000]), announced))
                    .isInstanceOfSatisfying(NemoException.Network.class,
                            e -> assertThat(e.unprocessed()).as("safe to send again: %s", e.getCause()).isTrue())
                    .hasMessageContaining("REFUSED_STREAM");
            assertThat(requestsSeen(before + 1)).isEqualTo(before + 1);
            // the queued answer is the next upload's
            client.upload(TOKEN, "s1", "photo.png", "image/png", new java.io.ByteArrayInputStream(new byte[10]), 10);
        }
    }

    @Test
    void aServerThatKeepsRefusingIsToldAsAFailureAfterAFewAttempts() {
        for (int i = 0; i < NemoHttp.MAX_REFUSED_ATTEMPTS + 2; i++) {
            server.enqueue(refused());
        }

        assertThatThrownBy(() -> client.runTurn(TOKEN, "s1", "animate this image", new RecordingListener(),
                new Cancellation())).isInstanceOf(NemoException.Network.class)
                .hasMessageContaining("run_sse").hasMessageContaining("REFUSED_STREAM")
                .isInstanceOfSatisfying(NemoException.Network.class, e -> assertThat(e.unprocessed()).isTrue());
        assertThat(requestsSeen(NemoHttp.MAX_REFUSED_ATTEMPTS)).isEqualTo(NemoHttp.MAX_REFUSED_ATTEMPTS);
    }

    @Test
    void aTurnWhoseStreamWasResetAnotherWayIsNotSentAgain() {
        // the server took the request (its body read) and then reset the stream: it may be running the turn
        server.enqueue(new MockResponse.Builder()
                .onResponseStart(new SocketEffect.CloseStream(ErrorCode.INTERNAL_ERROR.getHttpCode())).build());
        server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream").body(STREAM).build());

        client.runTurn(TOKEN, "s1", "animate this image", new RecordingListener(), new Cancellation());

        int seen = requestsSeen(1);
        assertThat(seen).as("no second send without Last-Event-ID").isLessThanOrEqualTo(2);
        // a second request, if any, can only be a resume of the same turn
        assertThat(seen == 1 || secondIsAResume()).isTrue();
    }

    private boolean secondIsAResume() {
        try {
            server.takeRequest();
            return server.takeRequest().getHeaders().get("Last-Event-ID") != null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
