package dev.nemobot.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Response;
import okio.BufferedSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TurnsTest {
    private NemoSimulator sim;
    private SimClient client;
    private String token;
    private String sid;

    private void start(SimulatorConfig config, String language, boolean withImage) {
        sim = NemoSimulator.start(config);
        client = new SimClient(sim);
        token = client.token();
        sid = client.createSession(token, language).data().path("session_id").asText();
        if (withImage) {
            assertThat(client.upload(token, sid, "photo.png", SimClient.png(80, 60)).code()).isZero();
        }
    }

    /** Stages long enough for several heartbeats each. */
    private static SimulatorConfig beating() {
        return SimulatorConfig.fast().withStageDelay(Duration.ofMillis(120)).withHeartbeatEvery(Duration.ofMillis(10));
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void generationStreamsToolEventsTextsAndHeartbeatsThenTheDraftHasThreeTracks() {
        start(beating(), "en", true);
        SimClient.Stream s = client.sse(token, sid, "animate this image into a 5-second video");
        assertThat(s.status()).isEqualTo(200);
        assertThat(s.contentType()).startsWith("text/event-stream");
        assertThat(s.cut()).isFalse();
        assertThat(s.functionCalls()).containsExactly("generate_video", "add_music_and_title");
        assertThat(s.functionResponses()).containsExactly("generate_video", "add_music_and_title");
        assertThat(s.texts(true)).hasSizeGreaterThanOrEqualTo(2);
        List<String> whole = s.texts(false);
        assertThat(whole).hasSize(2);
        assertThat(whole.get(0)).startsWith("Your raw video is ready");
        assertThat(whole.get(1)).startsWith("Done! Your 5-second clip is ready").contains("Export");
        // partial chunks join up to the whole text that follows them
        assertThat(String.join("", s.texts(true))).isEqualTo(whole.get(0) + whole.get(1));
        // every event has an increasing SSE id and the ADK fields
        List<Long> ids = s.events().stream().map(SimClient.Event::id).toList();
        assertThat(ids).doesNotContain(-1L).isSorted().doesNotHaveDuplicates();
        JsonNode first = s.events().getFirst().json();
        assertThat(first.path("author").asText()).isEqualTo("nemo_agent");
        assertThat(first.path("invocationId").asText()).startsWith("e-");
        assertThat(first.has("timestamp")).isTrue();
        // all three heartbeat forms
        assertThat(s.raw()).contains(": ping\n\n", "\ndata:\n\n", "event: heartbeat\n");

        JsonNode state = client.state(token, sid).data().path("state");
        JsonNode tracks = state.path("draft").path("t");
        assertThat(tracks).hasSize(3);
        assertThat(tracks.findValuesAsText("tt")).containsExactly("0", "1", "7");
        assertThat(tracks.path(0).path("sg").path(0).path("d").asInt()).isEqualTo(5000); // "a 5-second video"
        assertThat(tracks.path(1).path("sg").path(0).path("m").path("volume").asInt()).isEqualTo(35);
        assertThat(state.path("generated_media").path(0).path("status").asText()).isEqualTo("completed");
        assertThat(client.credits(token).data().path("available").asInt()).isEqualTo(90);
        assertThat(client.credits(token).data().path("frozen").asInt()).isZero();
    }

    @Test
    void betweenTheStagesTheDraftHasOneTrackAndTheMediaIsProcessing() throws Exception {
        start(SimulatorConfig.fast().withStageDelay(Duration.ofSeconds(1)), "en", true);
        try (Response r = client.http.newCall(client.sseRequest(token, sid, "animate it", null)).execute()) {
            // credits are frozen while the turn runs, and stage 1 has not changed the draft yet
            assertThat(client.credits(token).data().path("available").asInt()).isEqualTo(90);
            assertThat(client.credits(token).data().path("frozen").asInt()).isEqualTo(10);
            assertThat(client.state(token, sid).data().path("state").path("draft").path("t")).isEmpty();
            BufferedSource src = r.body().source();
            String line;
            do {
                line = src.readUtf8Line();
            } while (line != null && !line.contains("\"name\":\"add_music_and_title\""));
            assertThat(line).isNotNull();
            // stage 2 runs for a second now
            JsonNode state = client.state(token, sid).data().path("state");
            assertThat(state.path("draft").path("t")).hasSize(1);
            assertThat(state.path("draft").path("t").path(0).path("tt").asInt()).isZero();
            assertThat(state.path("generated_media").path(0).path("status").asText()).isEqualTo("processing");
        }
    }

    @Test
    void aHeldStageBeatsUntilItIsReleasedThenTheTurnEnds() throws Exception {
        start(SimulatorConfig.fast().withHeartbeatEvery(Duration.ofMillis(10)), "en", true);
        sim.faults().holdStages();
        try (Response r = client.http.newCall(client.sseRequest(token, sid, "animate it", null)).execute()) {
            BufferedSource src = r.body().source();
            int beats = 0;
            String line;
            // far longer than the stage delay (20 ms) on heartbeats alone: the first stage does not end while held
            while (beats < 20 && (line = src.readUtf8Line()) != null) {
                assertThat(line).doesNotContain("functionResponse");
                if (line.isEmpty()) {
                    beats++;
                }
            }
            assertThat(beats).isEqualTo(20);
            assertThat(client.state(token, sid).data().path("state").path("draft").path("t")).isEmpty();
            sim.faults().releaseStages();
            StringBuilder rest = new StringBuilder();
            while ((line = src.readUtf8Line()) != null) {
                rest.append(line).append('\n');
            }
            assertThat(rest).contains("\"name\":\"generate_video\"").contains("\"name\":\"add_music_and_title\"");
        }
        assertThat(client.state(token, sid).data().path("state").path("draft").path("t")).hasSize(3);
    }

    @Test
    void zeroCreditsAnswer2001WithBindIdInsteadOfAStream() {
        start(SimulatorConfig.fast().withStartCredits(10), "en", true);
        String bindId = client.state(token, sid).data().path("bind_id").asText();
        assertThat(client.sse(token, sid, "generate a video").events()).isNotEmpty();
        assertThat(client.credits(token).data().path("available").asInt()).isZero();
        SimClient.Stream s = client.sse(token, sid, "generate another video");
        assertThat(s.contentType()).startsWith("application/json");
        SimClient.Answer a = new SimClient.Answer(s.status(), s.raw());
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.code()).isEqualTo(2001);
        assertThat(a.data().path("bind_id").asText()).isEqualTo(bindId).startsWith("bind_");

        sim.faults().errorStyle(ErrorStyle.HTTP_STATUS);
        SimClient.Stream styled = client.sse(token, sid, "generate another video");
        assertThat(styled.status()).isEqualTo(402);
        assertThat(new SimClient.Answer(styled.status(), styled.raw()).code()).isEqualTo(2001);
    }

    @Test
    void generationWithoutAnImageAsksForOneAndCostsNothing() {
        start(SimulatorConfig.fast(), "en", false);
        SimClient.Stream s = client.sse(token, sid, "animate");
        assertThat(s.texts(false)).containsExactly("Please click Upload to add an image first, then tell me how it should move.");
        assertThat(s.functionCalls()).isEmpty();
        assertThat(client.credits(token).data().path("available").asInt()).isEqualTo(100);
    }

    @Test
    void silentEditClosesWithToolEventsOnlyAndChangesTheDraft() {
        start(SimulatorConfig.fast(), "en", true);
        client.sse(token, sid, "animate");
        sim.faults().silentNextTurn();
        SimClient.Stream s = client.sse(token, sid, "add some jazz music at 50%");
        assertThat(s.cut()).isFalse();
        assertThat(s.functionCalls()).containsExactly("edit_timeline");
        assertThat(s.functionResponses()).containsExactly("edit_timeline");
        assertThat(s.texts(true)).isEmpty();
        assertThat(s.texts(false)).isEmpty();
        JsonNode tracks = client.state(token, sid).data().path("state").path("draft").path("t");
        JsonNode bgm = tracks.path(2);
        assertThat(bgm.path("tt").asInt()).isEqualTo(1);
        assertThat(bgm.path("sg").path(0).path("m").path("name").asText()).isEqualTo("Jazz");
        assertThat(bgm.path("sg").path(0).path("m").path("volume").asInt()).isEqualTo(50);
        assertThat(client.credits(token).data().path("available").asInt()).isEqualTo(88);
    }

    @Test
    void silentRatioOneMakesEveryEditSilentAndZeroNone() {
        start(SimulatorConfig.fast().withSilentRatio(1.0), "en", true);
        assertThat(client.sse(token, sid, "add a title \"Hello\"").texts(false)).isEmpty();
        assertThat(client.state(token, sid).data().path("state").path("draft").path("t").path(0)
                .path("sg").path(0).path("m").path("text").asText()).isEqualTo("Hello");
        sim.close();
        start(SimulatorConfig.fast().withSilentRatio(0.0), "en", true);
        assertThat(client.sse(token, sid, "add a title \"Hello\"").texts(false))
                .containsExactly("I've added the title \"Hello\" for the first 3 seconds. Click the text track to edit it.");
    }

    @Test
    void chatAnswersInTheSessionLanguage() {
        start(SimulatorConfig.fast(), "zh", false);
        SimClient.Stream s = client.sse(token, sid, "你好");
        List<String> texts = s.texts(false);
        assertThat(texts).isNotEmpty();
        assertThat(texts.getFirst()).matches(".*[\\u4e00-\\u9fff].*");
        assertThat(client.credits(token).data().path("available").asInt()).isEqualTo(100);
    }

    @Test
    void droppedStreamResumesWithLastEventIdWithoutANewCharge() {
        start(SimulatorConfig.fast(), "en", true);
        sim.faults().dropNextStreamAfter(3);
        SimClient.Stream first = client.sse(token, sid, "animate this");
        assertThat(first.cut()).isTrue();
        assertThat(first.events()).hasSize(3);

        SimClient.Stream rest = client.sse(client.sseRequest(token, sid, "animate this", String.valueOf(first.lastId())));
        assertThat(rest.cut()).isFalse();
        assertThat(rest.events().getFirst().id()).isEqualTo(first.lastId() + 1);
        List<String> calls = new ArrayList<>(first.functionCalls());
        calls.addAll(rest.functionCalls());
        assertThat(calls).containsExactly("generate_video", "add_music_and_title");
        assertThat(rest.texts(false).getLast()).startsWith("Done!");
        assertThat(client.credits(token).data().path("available").asInt()).isEqualTo(90);
        assertThat(client.state(token, sid).data().path("state").path("draft").path("t")).hasSize(3);
        assertThat(sim.turnsStarted()).as("one turn, its stream resumed once").isEqualTo(1);
        assertThat(sim.streamsResumed()).isEqualTo(1);
    }

    @Test
    void reconnectsCanBeDroppedToo() {
        start(SimulatorConfig.fast(), "en", true);
        sim.faults().dropNextStreamAfter(1);
        sim.faults().dropReconnectsToo(2);
        SimClient.Stream first = client.sse(token, sid, "animate this");
        assertThat(first.cut()).isTrue();
        String last = String.valueOf(first.lastId());
        assertThat(client.sse(client.sseRequest(token, sid, "animate this", last)).cut()).isTrue();
        assertThat(client.sse(client.sseRequest(token, sid, "animate this", last)).cut()).isTrue();
        SimClient.Stream third = client.sse(client.sseRequest(token, sid, "animate this", last));
        assertThat(third.cut()).isFalse();
        assertThat(third.texts(false).getLast()).startsWith("Done!");
        assertThat(client.credits(token).data().path("available").asInt()).isEqualTo(90);
    }

    @Test
    void dropAfterZeroEventsCutsRightAfterTheHeaders() {
        start(SimulatorConfig.fast(), "en", false);
        sim.faults().dropNextStreamAfter(0);
        SimClient.Stream s = client.sse(token, sid, "hello");
        assertThat(s.cut()).isTrue();
        assertThat(s.events()).isEmpty();
        assertThat(client.sse(token, sid, "hello").cut()).isFalse();
    }

    @Test
    void streamErrorsComeInBothForms() {
        start(SimulatorConfig.fast(), "en", false);
        sim.faults().streamErrorNextTurn(false);
        SimClient.Stream plain = client.sse(token, sid, "hello");
        assertThat(plain.events().getLast().json().path("error").asText()).isNotBlank();
        sim.faults().streamErrorNextTurn(true);
        SimClient.Stream adk = client.sse(token, sid, "hello");
        assertThat(adk.events().getLast().json().path("errorCode").asText()).isNotBlank();
        assertThat(adk.events().getLast().json().path("errorMessage").asText()).isNotBlank();
    }

    @Test
    void malformedEventsComeFirstThenTheTurnRunsAsUsual() {
        start(SimulatorConfig.fast(), "en", false);
        sim.faults().malformedEventsNextTurn();
        SimClient.Stream s = client.sse(token, sid, "hello");
        List<String> data = s.events().stream().map(SimClient.Event::data).toList();
        assertThat(data.subList(0, RunSseEndpoint.MALFORMED.size())).containsExactlyElementsOf(RunSseEndpoint.MALFORMED);
        assertThat(data).contains("{not json", "[1,2,3]");
        SimClient.Stream rest = new SimClient.Stream(s.status(), s.contentType(), s.raw(),
                s.events().subList(RunSseEndpoint.MALFORMED.size(), s.events().size()), s.cut());
        assertThat(rest.texts(false)).isNotEmpty();
        assertThat(s.cut()).isFalse();
        // one-shot
        assertThat(client.sse(token, sid, "hello").events().getFirst().data()).startsWith("{\"id\"");
    }

    @Test
    void theAgentSaysWhatItIsToldOnceWithoutCharge() {
        start(SimulatorConfig.fast(), "en", true);
        String hostile = "here is a secret nmv_usr_0123 and {\"code\":1}\u0007\nline two";
        sim.faults().agentSaysNextTurn(hostile);
        SimClient.Stream s = client.sse(token, sid, "animate this image");
        assertThat(s.texts(false)).containsExactly(hostile);
        assertThat(s.functionCalls()).isEmpty();
        assertThat(client.credits(token).data().path("available").asInt()).isEqualTo(100);
        assertThat(client.sse(token, sid, "hello").texts(false).getFirst()).isNotEqualTo(hostile);
    }

    @Test
    void garbageAnswersAreHtmlUnderStatus200() {
        start(SimulatorConfig.fast(), "en", false);
        sim.faults().garbageNext("/api/credits", 1);
        SimClient.Answer a = client.credits(token);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).startsWith("<html>");
        assertThat(client.credits(token).code()).isZero();
        sim.faults().garbageNext("/run_sse", 1);
        SimClient.Stream s = client.sse(token, sid, "hello");
        assertThat(s.status()).isEqualTo(200);
        assertThat(s.contentType()).startsWith("text/html");
        assertThat(s.events()).isEmpty();
    }

    @Test
    void crlfLineEndingsOnRequest() throws IOException {
        start(SimulatorConfig.fast(), "en", false);
        sim.faults().sseLineEndings("\r\n");
        try (Response r = client.http.newCall(client.sseRequest(token, sid, "hello", null)).execute()) {
            String raw = r.body().string();
            assertThat(raw).contains("\r\ndata: {").endsWith("\r\n\r\n").doesNotContain("}\n");
        }
    }

    @Test
    void heartbeatsOnlyTurnBeatsUntilTheClientLeavesAndCloseEndsOpenStreams() throws Exception {
        start(SimulatorConfig.fast(), "en", true);
        sim.faults().heartbeatsOnlyNextTurn();
        try (Response r = client.http.newCall(client.sseRequest(token, sid, "animate", null)).execute()) {
            BufferedSource src = r.body().source();
            int beats = 0;
            for (int i = 0; i < 30; i++) {
                String line = src.readUtf8Line();
                assertThat(line).doesNotStartWith("id:");
                if (line.isEmpty()) {
                    beats++;
                }
            }
            assertThat(beats).isGreaterThanOrEqualTo(10);
        }
        assertThat(client.credits(token).data().path("available").asInt()).isEqualTo(100);

        // another endless stream, then close(): the reader sees the end promptly
        sim.faults().heartbeatsOnlyNextTurn();
        CompletableFuture<SimClient.Stream> open = CompletableFuture.supplyAsync(
                () -> client.sse(token, sid, "animate"));
        await("the stream to open").atMost(Duration.ofSeconds(5))
                .until(() -> sim.requests().stream().filter(q -> q.path().equals("/run_sse")).count() >= 2);
        sim.close();
        SimClient.Stream ended = open.get(5, TimeUnit.SECONDS);
        assertThat(ended.events()).isEmpty();
    }

    @Test
    void gatewayFaultsAndSlowAnswers() {
        start(SimulatorConfig.fast(), "en", false);
        sim.faults().failNext("/api/credits", 503, 2);
        SimClient.Answer a = client.credits(token);
        assertThat(a.status()).isEqualTo(503);
        assertThat(a.body()).startsWith("<html>");
        assertThat(client.credits(token).status()).isEqualTo(503);
        assertThat(client.credits(token).code()).isZero();

        sim.faults().rateLimitNext("/api/state", 1);
        SimClient.Answer limited = client.state(token, sid);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.code()).isEqualTo(429);
        assertThat(client.state(token, sid).code()).isZero();

        sim.faults().slowAnswers(Duration.ofMillis(150));
        long t0 = System.nanoTime();
        assertThat(client.credits(token).code()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        sim.faults().slowAnswers(Duration.ZERO);
    }

    @Test
    void errorStylesForAnExpiredToken() {
        start(SimulatorConfig.fast(), "en", false);
        sim.faults().expireToken(token);
        SimClient.Answer envelope = client.credits(token);
        assertThat(envelope.status()).isEqualTo(200);
        assertThat(envelope.code()).isEqualTo(1001);
        sim.faults().errorStyle(ErrorStyle.HTTP_STATUS);
        SimClient.Answer status = client.credits(token);
        assertThat(status.status()).isEqualTo(401);
        assertThat(status.code()).isEqualTo(1001);
        assertThat(client.sse(token, sid, "hello").status()).isEqualTo(401);
    }
}
