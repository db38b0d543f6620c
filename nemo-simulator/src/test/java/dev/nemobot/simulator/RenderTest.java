package dev.nemobot.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nemobot.testing.MutableClock;
import java.time.Duration;
import org.jcodec.common.Codec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RenderTest {
    private final MutableClock clock = new MutableClock();
    private NemoSimulator sim;
    private SimClient client;
    private String token;
    private String sid;

    private void start(boolean generate) {
        sim = NemoSimulator.start(SimulatorConfig.fast().withClock(clock).withRenderTime(Duration.ofSeconds(10)));
        client = new SimClient(sim);
        token = client.token();
        sid = client.session(token);
        if (generate) {
            assertThat(client.upload(token, sid, "photo.png", SimClient.png(120, 80)).code()).isZero();
            assertThat(client.sse(token, sid, "animate this").texts(false).getLast()).startsWith("Done!");
        }
    }

    private JsonNode draft() {
        return client.state(token, sid).data().path("state").path("draft");
    }

    private SimClient.Answer status(String id) {
        return client.get("/api/render/proxy/lambda/" + id, token);
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void renderGoesPendingProcessingCompletedAndTheMp4IsReal() throws Exception {
        start(true);
        SimClient.Answer submitted = client.submitRender(token, sid, "render_1", draft(), true);
        assertThat(submitted.code()).isZero();
        assertThat(submitted.data().path("id").asText()).isEqualTo("render_1");
        assertThat(submitted.data().path("status").asText()).isEqualTo("pending");
        assertThat(status("render_1").json().path("status").asText()).isEqualTo("pending");

        clock.advance(Duration.ofSeconds(4));
        SimClient.Answer processing = status("render_1");
        assertThat(processing.json().path("status").asText()).isEqualTo("processing");
        assertThat(processing.data().path("status").asText()).isEqualTo("processing");
        assertThat(processing.json().path("progress").asInt()).isEqualTo(40);

        clock.advance(Duration.ofSeconds(6));
        // completed once the clock says so and the encoder has finished
        await("render completed").atMost(Duration.ofSeconds(20))
                .until(() -> status("render_1").json().path("status").asText().equals("completed"));
        SimClient.Answer done = status("render_1");
        assertThat(done.data().path("progress").asInt()).isEqualTo(100);
        String url = done.json().path("output").path("url").asText();
        assertThat(url).isEqualTo(sim.baseUrl() + "/files/render_1.mp4");
        assertThat(done.data().path("output").path("url").asText()).isEqualTo(url);

        byte[] mp4 = client.download(url, null);
        byte[] fallback = client.download(sim.baseUrl() + "/api/render/proxy/render_1/download", token);
        assertThat(fallback).isEqualTo(mp4);
        Mp4Check check = Mp4Check.of(mp4);
        assertThat(check.videoTracks()).isEqualTo(1);
        assertThat(check.audioTracks()).isZero();
        assertThat(check.codec()).isEqualTo(Codec.H264);
        assertThat(check.seconds()).isCloseTo(2.0, within(0.01));
        assertThat(check.frames()).isEqualTo(16);
        assertThat(check.width()).isEqualTo(160);
        assertThat(check.height()).isEqualTo(90);

        // the fallback needs the token
        assertThat(client.get("/api/render/proxy/render_1/download", null).code()).isEqualTo(1001);
    }

    @Test
    void theFastConfigKeepsTheRequestedDuration() throws Exception {
        start(false);
        assertThat(client.upload(token, sid, "photo.png", SimClient.png(120, 80)).code()).isZero();
        assertThat(client.sse(token, sid, "animate this image into a 5-second video").texts(false).getLast())
                .startsWith("Done! Your 5-second clip");
        assertThat(client.submitRender(token, sid, "render_5", draft(), true).code()).isZero();
        clock.advance(Duration.ofSeconds(10));
        await("render completed").atMost(Duration.ofSeconds(20))
                .until(() -> status("render_5").json().path("status").asText().equals("completed"));
        Mp4Check check = Mp4Check.of(client.download(status("render_5").json().path("output").path("url").asText(),
                null));
        assertThat(check.seconds()).isCloseTo(5.0, within(0.01)); // asked for 5 s: 5 s, at the fast size and fps
        assertThat(check.frames()).isEqualTo(5 * 8);
        assertThat(check.width()).isEqualTo(160);
        assertThat(check.audioTracks()).isZero();
    }

    @Test
    void renderIsNotReadyBeforeItCompletes() {
        start(true);
        client.submitRender(token, sid, "render_2", draft(), true);
        assertThat(client.get("/files/render_2.mp4", null).status()).isEqualTo(404);
        assertThat(client.get("/api/render/proxy/render_2/download", token).code()).isEqualTo(404);
        assertThat(status("render_unknown").code()).isEqualTo(404);
    }

    @Test
    void exportWithoutAttributionHeadersIs402() {
        start(true);
        SimClient.Answer a = client.submitRender(token, sid, "render_3", draft(), false);
        assertThat(a.status()).isEqualTo(402);
        assertThat(a.code()).isEqualTo(402);
    }

    @Test
    void emptyDraftHasNothingToExport() {
        start(false);
        SimClient.Answer a = client.submitRender(token, sid, "render_4", draft(), true);
        assertThat(a.code()).isEqualTo(400);
        assertThat(a.json().path("message").asText()).contains("nothing to export");
    }

    @Test
    void failNextRenderEndsFailedOnceAndTheNextSucceeds() {
        start(true);
        sim.faults().failNextRender();
        client.submitRender(token, sid, "render_5", draft(), true);
        client.submitRender(token, sid, "render_6", draft(), true);
        clock.advance(Duration.ofSeconds(10));
        SimClient.Answer failed = status("render_5");
        assertThat(failed.json().path("status").asText()).isEqualTo("failed");
        assertThat(failed.json().path("error").asText()).isNotBlank();
        await("render_6 completed").atMost(Duration.ofSeconds(20))
                .until(() -> status("render_6").json().path("status").asText().equals("completed"));
    }

    @Test
    void renderJobsBelongToTheirAccount() {
        start(true);
        client.submitRender(token, sid, "render_7", draft(), true);
        String other = client.token();
        assertThat(client.get("/api/render/proxy/lambda/render_7", other).code()).isEqualTo(404);
        assertThat(client.submitRender(other, sid, "render_8", draft(), true).code()).isEqualTo(1002);
    }
}
