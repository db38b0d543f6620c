package dev.nemobot.core.backend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nemobot.config.NemoSettings;
import dev.nemobot.config.Secret;
import dev.nemobot.core.work.Cancellation;
import dev.nemobot.testing.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /run_sse} transport behaviour against MockWebServer, where each byte and each drop is under the test's
 * control: heartbeats, drops and resume with {@code Last-Event-ID}, giving up, stopping, cancelling, the cap.
 */
class NemoClientStreamTest {
    static final Secret TOKEN = Secret.of("nmv_usr_streamtoken");

    MockWebServer server;
    NemoClient client;
    final CountDownLatch release = new CountDownLatch(1);
    final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
        client = builder().build();
    }

    NemoClient.Builder builder() {
        return NemoClient.builder(NemoSettings.at(URI.create(server.url("/").toString())))
                .reconnectDelay(Duration.ZERO).callTimeout(Duration.ofSeconds(5))
                .streamReadTimeout(Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        release.countDown();
        threads.shutdownNow();
        client.close();
        server.close();
    }

    static String event(int id, String text, boolean partial) {
        return "id: " + id + "\ndata: {\"id\":\"e" + id + "\",\"author\":\"nemo_agent\",\"partial\":" + partial
                + ",\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"" + text + "\"}]}}\n\n";
    }

    static MockResponse stream(String body) {
        return new MockResponse.Builder().addHeader("Content-Type", "text/event-stream").body(body).build();
    }

    /** Sends {@code body}, then breaks the connection (no clean end of the stream). */
    static MockResponse streamThenDrop(String body) {
        // MockWebServer applies the effect once half the announced body is out: pad to twice the length
        String padded = body + " ".repeat(Math.max(body.length(), 1));
        return new MockResponse.Builder().addHeader("Content-Type", "text/event-stream").body(padded)
                .onResponseBody(new SocketEffect.CloseSocket()).build();
    }

    /** Sends {@code body}, then keeps the stream open without a byte until the test ends. */
    MockResponse streamThenWait(String body) {
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new MockResponse.Builder().addHeader("Content-Type", "text/event-stream").body(new MockResponseBody() {
            @Override
            public long getContentLength() {
                return -1;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.write(bytes).flush();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }).build();
    }

    @Test
    void aTurnStreamsEventsAndHeartbeatsUntilTheStreamCloses() throws Exception {
        server.enqueue(stream(event(1, "Hel", true) + ": ping\n\n" + "data:\n\n" + "event: heartbeat\n\n"
                + event(2, "Hello", false)));
        RecordingListener listener = new RecordingListener();

        TurnEnd end = client.runTurn(TOKEN, "sess-1", "hi there", listener, new Cancellation());

        assertThat(end).isEqualTo(TurnEnd.COMPLETED);
        assertThat(listener.events).extracting(AdkEvent::text).containsExactly("Hel", "Hello");
        assertThat(listener.finalText()).isEqualTo("Hello");
        assertThat(listener.heartbeats).hasValue(3);
        assertThat(listener.reconnects).isEmpty();

        RecordedRequest r = server.takeRequest();
        assertThat(r.getUrl().encodedPath()).isEqualTo("/run_sse");
        assertThat(r.getHeaders().get("Accept")).isEqualTo("text/event-stream");
        assertThat(r.getHeaders().get("Last-Event-ID")).isNull();
        JsonNode body = new ObjectMapper().readTree(r.getBody().utf8());
        assertThat(body.path("app_name").asText()).isEqualTo("nemo_agent");
        assertThat(body.path("user_id").asText()).isEqualTo("me");
        assertThat(body.path("session_id").asText()).isEqualTo("sess-1");
        assertThat(body.path("new_message").path("parts").get(0).path("text").asText()).isEqualTo("hi there");
    }

    @Test
    void errorEventsInTheStreamGoToTheListener() {
        server.enqueue(stream("id: 1\ndata: {\"error\":\"overloaded\"}\n\nid: 2\ndata: {\"errorCode\":\"E1\","
                + "\"errorMessage\":\"bad\"}\n\n"));
        RecordingListener listener = new RecordingListener();
        assertThat(client.runTurn(TOKEN, "s", "hi", listener, new Cancellation())).isEqualTo(TurnEnd.COMPLETED);
        assertThat(listener.events).allMatch(AdkEvent::isError);
        assertThat(listener.events).extracting(e -> e.errorMessage().orElseThrow()).containsExactly("overloaded", "bad");
    }

    @Test
    void aDroppedStreamResumesFromTheLastEventId() throws Exception {
        server.enqueue(streamThenDrop(event(1, "one", false) + event(2, "two", false)));
        server.enqueue(stream(event(3, "three", false)));
        RecordingListener listener = new RecordingListener();

        TurnEnd end = client.runTurn(TOKEN, "s", "animate", listener, new Cancellation());

        assertThat(end).isEqualTo(TurnEnd.COMPLETED);
        assertThat(listener.events).extracting(AdkEvent::text).containsExactly("one", "two", "three");
        assertThat(listener.reconnects).containsExactly(1);
        assertThat(server.takeRequest().getHeaders().get("Last-Event-ID")).isNull();
        RecordedRequest resume = server.takeRequest();
        assertThat(resume.getHeaders().get("Last-Event-ID")).isEqualTo("2");
        assertThat(resume.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN.reveal());
    }

    @Test
    void threeFailedReconnectsLoseTheStream() throws Exception {
        server.enqueue(streamThenDrop(event(1, "one", false)));
        server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
        server.enqueue(new MockResponse.Builder().code(503).build());
        server.enqueue(streamThenDrop(": ping\n\n"));
        RecordingListener listener = new RecordingListener();

        TurnEnd end = client.runTurn(TOKEN, "s", "animate", listener, new Cancellation());

        assertThat(end).isEqualTo(TurnEnd.STREAM_LOST);
        assertThat(listener.reconnects).containsExactly(1, 2, 3);
        assertThat(server.getRequestCount()).isEqualTo(4);
        server.takeRequest();
        for (int i = 0; i < 3; i++) {
            assertThat(server.takeRequest().getHeaders().get("Last-Event-ID")).isEqualTo("1");
        }
    }

    @Test
    void aReconnectThatMakesProgressEarnsFreshTries() {
        server.enqueue(streamThenDrop(event(1, "a", false)));
        server.enqueue(new MockResponse.Builder().code(502).build());
        server.enqueue(streamThenDrop(event(2, "b", false)));
        server.enqueue(stream(event(3, "c", false)));
        RecordingListener listener = new RecordingListener();

        assertThat(client.runTurn(TOKEN, "s", "x", listener, new Cancellation())).isEqualTo(TurnEnd.COMPLETED);
        assertThat(listener.reconnects).containsExactly(1, 2, 1);
        assertThat(listener.events).extracting(AdkEvent::text).containsExactly("a", "b", "c");
    }

    @Test
    void aDropBeforeAnyEventIdIsNotResentBecauseThatWouldChargeTwice() {
        server.enqueue(streamThenDrop(": ping\n\n"));
        RecordingListener listener = new RecordingListener();
        assertThat(client.runTurn(TOKEN, "s", "animate", listener, new Cancellation())).isEqualTo(TurnEnd.STREAM_LOST);
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(listener.reconnects).isEmpty();
    }

    @Test
    void theReconnectDelayIsObserved() {
        try (NemoClient patient = builder().reconnectDelay(Duration.ofMillis(300)).build()) {
            server.enqueue(streamThenDrop(event(1, "a", false)));
            server.enqueue(stream(event(2, "b", false)));
            long t0 = System.nanoTime();
            assertThat(patient.runTurn(TOKEN, "s", "x", new RecordingListener(), new Cancellation()))
                    .isEqualTo(TurnEnd.COMPLETED);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void aListenerThatStopsWaitingEndsTheTurn() {
        server.enqueue(streamThenWait(event(1, "working", false) + ": ping\n\n: ping\n\n: ping\n\n"));
        RecordingListener listener = new RecordingListener(n -> n < 2);
        assertThat(client.runTurn(TOKEN, "s", "x", listener, new Cancellation())).isEqualTo(TurnEnd.STOPPED);
        assertThat(listener.heartbeats).hasValue(2);
    }

    @Test
    void cancellingFromAnotherThreadEndsTheTurnPromptly() throws Exception {
        server.enqueue(streamThenWait(event(1, "working", false)));
        RecordingListener listener = new RecordingListener();
        Cancellation cancellation = new Cancellation();
        Future<TurnEnd> turn = threads.submit(() -> client.runTurn(TOKEN, "s", "x", listener, cancellation));

        assertThat(listener.firstEvent.await(5, TimeUnit.SECONDS)).isTrue();
        cancellation.cancel();

        assertThat(turn.get(5, TimeUnit.SECONDS)).isEqualTo(TurnEnd.CANCELLED);
    }

    @Test
    void aCancelledTurnIsNeverSent() {
        Cancellation cancellation = new Cancellation();
        cancellation.cancel();
        assertThat(client.runTurn(TOKEN, "s", "x", new RecordingListener(), cancellation)).isEqualTo(TurnEnd.CANCELLED);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void theTurnCapEndsAStreamThatNeverFinishes() {
        try (NemoClient capped = builder().turnTimeout(Duration.ofMillis(400)).build()) {
            server.enqueue(streamThenWait(event(1, "working", false) + ": ping\n\n"));
            RecordingListener listener = new RecordingListener();
            assertThat(capped.runTurn(TOKEN, "s", "x", listener, new Cancellation())).isEqualTo(TurnEnd.CALL_TIMEOUT);
            assertThat(listener.events).hasSize(1);
        }
    }

    /** The cap is read on the injected ticker, not the machine's: a turn whose cap has passed is not resumed. */
    @Test
    void theTurnCapIsMeasuredOnTheInjectedTicker() {
        MutableClock clock = new MutableClock();
        try (NemoClient ticking = builder().ticker(clock::nanos).build()) {
            server.enqueue(streamThenDrop(event(1, "a", false)));
            server.enqueue(stream(event(2, "b", false)));
            RecordingListener listener = new RecordingListener();
            TurnListener late = new TurnListener() {
                @Override
                public void onEvent(AdkEvent event) {
                    listener.onEvent(event);
                    clock.advance(Duration.ofMinutes(16)); // past the 15-minute cap, at once
                }

                @Override
                public boolean onHeartbeat() {
                    return listener.onHeartbeat();
                }

                @Override
                public void onReconnecting(int attempt) {
                    listener.onReconnecting(attempt);
                }
            };
            assertThat(ticking.runTurn(TOKEN, "s", "x", late, new Cancellation())).isEqualTo(TurnEnd.CALL_TIMEOUT);
            assertThat(listener.events).extracting(AdkEvent::text).containsExactly("a");
            assertThat(server.getRequestCount()).isEqualTo(1);
        }
    }

    @Test
    void aStalledStreamCountsAsDroppedAndIsResumed() {
        try (NemoClient impatient = builder().streamReadTimeout(Duration.ofMillis(300)).build()) {
            server.enqueue(streamThenWait(event(5, "a", false)));
            server.enqueue(stream(event(6, "b", false)));
            RecordingListener listener = new RecordingListener();
            assertThat(impatient.runTurn(TOKEN, "s", "x", listener, new Cancellation())).isEqualTo(TurnEnd.COMPLETED);
            assertThat(listener.reconnects).containsExactly(1);
        }
    }
}
