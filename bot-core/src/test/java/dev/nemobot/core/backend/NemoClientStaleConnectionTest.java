package dev.nemobot.core.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.nemobot.config.NemoSettings;
import dev.nemobot.config.Secret;
import dev.nemobot.core.backend.IdleClosingServer.Answer;
import dev.nemobot.core.backend.IdleClosingServer.Seen;
import dev.nemobot.core.work.Cancellation;
import dev.nemobot.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server that closes kept-alive connections as soon as they are idle: the client's pooled connection is then dead
 * when the next request goes out on it. Reads are sent again once; a turn, an upload or a session request is sent
 * again only when it provably never reached the server; one that did is never sent twice.
 */
class NemoClientStaleConnectionTest {
    static final Secret TOKEN = Secret.of("nmv_usr_staletoken");
    static final Duration WAIT = Duration.ofSeconds(5);
    static final String CREDITS = "{\"code\":0,\"data\":{\"available\":7,\"frozen\":0,\"total\":7}}";
    static final String SESSION = "{\"code\":0,\"data\":{\"task_id\":\"t1\",\"session_id\":\"s1\"}}";
    static final String UPLOADED = "{\"code\":0,\"data\":{\"files\":[{\"name\":\"photo.png\"}]}}";
    static final String STREAM = "id: 1\ndata: {\"id\":\"e1\",\"author\":\"nemo_agent\",\"partial\":false,"
            + "\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hello there\"}]}}\n\n";

    IdleClosingServer server;
    NemoClient client;
    /** The client's clock: the guard looks at a connection only once it has been idle {@code RECENT} by it. */
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));

    void start(Function<Seen, Answer> answers) throws IOException {
        server = new IdleClosingServer(answers);
        client = NemoClient.builder(NemoSettings.at(server.url())).callTimeout(Duration.ofSeconds(5))
                .reconnectDelay(Duration.ZERO).clock(clock).build();
    }

    /** The contract's answers for the calls these tests make. */
    static Answer normal(Seen r) {
        if (r.path().startsWith("/api/credits")) {
            return Answer.json(CREDITS);
        }
        if (r.path().startsWith("/api/upload-video")) {
            return Answer.json(UPLOADED);
        }
        if (r.path().equals("/run_sse")) {
            return new Answer(200, "text/event-stream", STREAM);
        }
        return Answer.json(SESSION);
    }

    @AfterEach
    void stop() throws IOException {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** One call to pool a connection, then waits until the server has closed it, idle for longer than RECENT. */
    void leaveAStaleConnection() {
        leaveAClosedConnectionIdleFor(StaleConnections.RECENT.plusMillis(1));
    }

    void leaveAClosedConnectionIdleFor(Duration idle) {
        client.credits(TOKEN);
        await("the server to close the idle connection").atMost(WAIT)
                .until(() -> server.closedIdle() == server.seen().size());
        clock.advance(idle);
    }

    long requests(String method, String path) {
        return server.seen().stream().filter(s -> s.method().equals(method) && s.path().startsWith(path)).count();
    }

    @Test
    void aSessionRequestOnAConnectionTheServerClosedGoesOutOnceOnAFreshOne() throws IOException {
        start(NemoClientStaleConnectionTest::normal);
        leaveAStaleConnection();
        assertThat(client.createSession(TOKEN, "en").sessionId()).isEqualTo("s1");
        assertThat(requests("POST", "/api/tasks")).as("received exactly once").isEqualTo(1);
        assertThat(server.connections()).as("a fresh connection for it").isEqualTo(2);
    }

    @Test
    void aTurnOnAConnectionTheServerClosedIsSentOnceAndStreams() throws IOException {
        start(NemoClientStaleConnectionTest::normal);
        leaveAStaleConnection();
        RecordingListener listener = new RecordingListener();
        assertThat(client.runTurn(TOKEN, "s1", "hello", listener, new Cancellation())).isEqualTo(TurnEnd.COMPLETED);
        assertThat(listener.finalText()).isEqualTo("Hello there");
        assertThat(requests("POST", "/run_sse")).as("the turn reached the server once").isEqualTo(1);
    }

    @Test
    void anUploadOnAConnectionTheServerClosedIsSentOnce() throws IOException {
        start(NemoClientStaleConnectionTest::normal);
        leaveAStaleConnection();
        byte[] png = dev.nemobot.core.testing.TestChats.pngBytes(8, 8);
        UploadResult r = client.upload(TOKEN, "s1", "photo.png", "image/png", new ByteArrayInputStream(png),
                png.length);
        assertThat(r.files()).containsExactly("photo.png");
        assertThat(requests("POST", "/api/upload-video")).isEqualTo(1);
    }

    @Test
    void aReadOnAConnectionTheServerClosedIsAnswered() throws IOException {
        start(NemoClientStaleConnectionTest::normal);
        leaveAStaleConnection();
        assertThat(client.credits(TOKEN).available()).isEqualTo(7);
    }

    @Test
    void aReadThatGotNoAnswerIsSentOnceMoreButOnlyOnce() throws IOException {
        AtomicInteger drops = new AtomicInteger(Integer.MAX_VALUE);
        start(r -> drops.getAndDecrement() > 0 ? null : normal(r));
        assertThatThrownBy(() -> client.credits(TOKEN)).isInstanceOf(NemoException.Network.class);
        assertThat(requests("GET", "/api/credits")).as("one retry, not more").isEqualTo(2);

        drops.set(1);
        assertThat(client.credits(TOKEN).available()).isEqualTo(7);
        assertThat(requests("GET", "/api/credits")).isEqualTo(4);
    }

    @Test
    void aRequestThatReachedTheServerIsNeverSentAgain() throws IOException {
        start(r -> r.method().equals("POST") ? null : normal(r));
        assertThatThrownBy(() -> client.createSession(TOKEN, "en")).isInstanceOf(NemoException.Network.class);
        assertThat(requests("POST", "/api/tasks")).isEqualTo(1);

        assertThat(client.runTurn(TOKEN, "s1", "animate", new RecordingListener(), new Cancellation()))
                .as("the server may be running it: lost, not failed").isEqualTo(TurnEnd.STREAM_LOST);
        assertThat(requests("POST", "/run_sse")).as("a second turn would be charged twice").isEqualTo(1);

        byte[] png = dev.nemobot.core.testing.TestChats.pngBytes(8, 8);
        assertThatThrownBy(() -> client.upload(TOKEN, "s1", "photo.png", "image/png",
                new ByteArrayInputStream(png), png.length)).isInstanceOf(NemoException.Network.class);
        assertThat(requests("POST", "/api/upload-video")).isEqualTo(1);
    }

    @Test
    void aConnectionUsedWithinTheLastSecondIsNotLookedAtSoARequestOnItCanFailButIsNeverSentTwice()
            throws IOException {
        // the price of not making a timed read before every request: a server that closes a connection within a
        // second of its last exchange (none of the usual servers does) fails the request that goes out on it
        start(NemoClientStaleConnectionTest::normal);
        leaveAClosedConnectionIdleFor(StaleConnections.RECENT.minusMillis(1));
        assertThatThrownBy(() -> client.createSession(TOKEN, "en")).isInstanceOf(NemoException.Network.class);
        assertThat(requests("POST", "/api/tasks")).as("the server never had it; not sent again").isZero();
        clock.advance(StaleConnections.RECENT);
        assertThat(client.createSession(TOKEN, "en").sessionId()).as("the next goes out on a fresh connection")
                .isEqualTo("s1");
    }

    @Test
    void theGuardTellsAClosedConnectionFromAnIdleOpenOne() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             java.net.Socket open = new java.net.Socket(listener.getInetAddress(), listener.getLocalPort());
             java.net.Socket peer = listener.accept()) {
            open.setSoTimeout(1234);
            assertThat(StaleConnections.closedByPeer(open)).isFalse();
            assertThat(open.getSoTimeout()).as("the read time-out is restored").isEqualTo(1234);
            peer.close();
            await("the closed connection to be seen").atMost(WAIT).until(() -> {
                try {
                    return StaleConnections.closedByPeer(open);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
        }
    }

    @Test
    void messagesNameNoToken() throws IOException {
        start(r -> null);
        List<Runnable> calls = List.of(() -> client.credits(TOKEN), () -> client.createSession(TOKEN, "en"));
        for (Runnable call : calls) {
            assertThatThrownBy(call::run).isInstanceOf(NemoException.Network.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN.reveal()));
        }
    }
}
