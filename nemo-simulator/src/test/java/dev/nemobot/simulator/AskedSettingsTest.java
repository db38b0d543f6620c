package dev.nemobot.simulator;

import static org.awaitility.Awaitility.await;
import dev.nemobot.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The video settings a request asks for shape the render: ratio, length, quality; the timeline lists them. */
class AskedSettingsTest {
    private final MutableClock clock = new MutableClock();
    private NemoSimulator sim;
    private SimClient client;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    /** Generates from a 120x80 image with {@code prompt} and renders; the MP4 and the draft it came from. */
    private Mp4Check render(String language, String prompt, JsonNode[] draftOut) throws Exception {
        sim = NemoSimulator.start(SimulatorConfig.fast().withClock(clock).withRenderTime(Duration.ZERO));
        client = new SimClient(sim);
        String token = client.token();
        String sid = client.createSession(token, language).data().path("session_id").asText();
        assertThat(client.upload(token, sid, "photo.png", SimClient.png(120, 80)).code()).isZero();
        client.sse(token, sid, prompt);
        JsonNode draft = client.state(token, sid).data().path("state").path("draft");
        draftOut[0] = draft;
        assertThat(client.submitRender(token, sid, "render_1", draft, true).code()).isZero();
        await("render completed").atMost(Duration.ofSeconds(60)).until(() -> client
                .get("/api/render/proxy/lambda/render_1", token).json().path("status").asText().equals("completed"));
        String url = client.get("/api/render/proxy/lambda/render_1", token).json().path("output").path("url").asText();
        return Mp4Check.of(client.download(url, null));
    }

    private static JsonNode videoClip(JsonNode draft) {
        return draft.path("t").path(0).path("sg").path(0).path("m");
    }

    @Test
    void aPortraitEightSecondRequestRendersAPortraitEightSecondMp4() throws Exception {
        JsonNode[] draft = new JsonNode[1];
        Mp4Check mp4 = render("en", "a cat surfing\nSettings for this video: aspect ratio 9:16 (portrait), "
                + "8 seconds long, camera movement: zoom in, style: anime, seed 42.", draft);
        // the fast config's frame is 160x90: its short side, in portrait
        assertThat(mp4.width()).isEqualTo(90);
        assertThat(mp4.height()).isEqualTo(160);
        assertThat(mp4.seconds()).isCloseTo(8.0, within(0.01));
        JsonNode m = videoClip(draft[0]);
        assertThat(m.path("name").asText()).isEqualTo("photo.png animated (9:16, 8s, zoom in, anime, seed 42)");
        assertThat(m.path("aspect_ratio").asText()).isEqualTo("9:16");
        assertThat(draft[0].path("t").path(0).path("sg").path(0).path("d").asInt()).isEqualTo(8000);
    }

    @Test
    void theQualitySetsTheExportSizeInAnyLanguage() throws Exception {
        JsonNode[] draft = new JsonNode[1];
        Mp4Check mp4 = render("ja", "この画像を動画にしてください。\nこの動画の設定：アスペクト比 1:1（正方形）、540pで書き出し、シード 7。",
                draft);
        assertThat(mp4.width()).isEqualTo(540);
        assertThat(mp4.height()).isEqualTo(540);
        assertThat(videoClip(draft[0]).path("quality").asText()).isEqualTo("540p");
        assertThat(videoClip(draft[0]).path("seed").asLong()).isEqualTo(7);
    }

    @Test
    void sizes() {
        assertThat(Asked.of("x 16:9 1080p", 5).size(160, 90, null)).containsExactly(1920, 1080);
        assertThat(Asked.of("x 9:16 1080p", 5).size(160, 90, null)).containsExactly(1080, 1920);
        assertThat(Asked.of("x 720p", 5).size(160, 90, null)).as("the configured shape").containsExactly(1280, 720);
        assertThat(Asked.of("x (auto)", 5).size(160, 90, new int[] {300, 400})).as("the image's own")
                .containsExactly(90, 120);
        assertThat(Asked.of("animate this into a 5-second video", 5).size(640, 360, null)).containsExactly(640, 360);
        assertThat(Asked.of("animate this", 5).shown()).isEmpty();
        assertThat(RunSseEndpoint.lastSeconds("a 5-second video\nSettings: 8 seconds long")).contains(8);
    }
}
