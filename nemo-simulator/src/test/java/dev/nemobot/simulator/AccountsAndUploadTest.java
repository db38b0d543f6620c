package dev.nemobot.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nemobot.testing.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AccountsAndUploadTest {
    private final MutableClock clock = new MutableClock();
    private NemoSimulator sim;
    private SimClient client;

    private void start(SimulatorConfig config) {
        sim = NemoSimulator.start(config.withClock(clock));
        client = new SimClient(sim);
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void tokenIsIssuedOncePerClientWhileValidAndRenewedAfterExpiry() {
        start(SimulatorConfig.fast());
        String clientId = UUID.randomUUID().toString();
        SimClient.Answer first = client.tokenCall(clientId);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.code()).isZero();
        String token = first.data().path("token").asText();
        assertThat(token).startsWith("nmv_usr_");
        assertThat(first.data().path("credits").asInt()).isEqualTo(100);

        SimClient.Answer again = client.tokenCall(clientId);
        assertThat(again.code()).isEqualTo(429);

        // the clock passes 7 days: the token is dead, a new one comes for the same client
        clock.advance(Duration.ofDays(7));
        assertThat(client.credits(token).code()).isEqualTo(1001);
        SimClient.Answer renewed = client.tokenCall(clientId);
        assertThat(renewed.code()).isZero();
        String token2 = renewed.data().path("token").asText();
        assertThat(token2).isNotEqualTo(token);
        assertThat(client.credits(token2).code()).isZero();

        // expireToken: the next use answers 1001, and a new token can be fetched at once
        sim.faults().expireToken(token2);
        assertThat(client.credits(token2).code()).isEqualTo(1001);
        SimClient.Answer third = client.tokenCall(clientId);
        assertThat(third.code()).isZero();
        assertThat(client.credits(third.data().path("token").asText()).code()).isZero();
    }

    @Test
    void expireAllTokensKillsEveryIssuedToken() {
        start(SimulatorConfig.fast());
        String a = client.token();
        String b = client.token();
        sim.faults().expireAllTokens();
        assertThat(client.credits(a).code()).isEqualTo(1001);
        assertThat(client.credits(b).code()).isEqualTo(1001);
        assertThat(client.credits(client.token()).code()).isZero();
    }

    @Test
    void creditsAreKeptAcrossRenewal() throws Exception {
        start(SimulatorConfig.fast());
        String clientId = UUID.randomUUID().toString();
        String token = client.tokenCall(clientId).data().path("token").asText();
        String sid = client.session(token);
        assertThat(client.upload(token, sid, "cat.png", SimClient.png(64, 48)).code()).isZero();
        SimClient.Stream s = client.sse(token, sid, "animate this image");
        assertThat(s.events()).isNotEmpty();
        sim.faults().expireToken(token);
        String token2 = client.tokenCall(clientId).data().path("token").asText();
        assertThat(client.credits(token2).data().path("available").asInt()).isEqualTo(90);
        assertThat(sim.credits(token2)).isEqualTo(90);
        assertThat(sim.tokensIssued()).as("the renewal counts").isEqualTo(2);
        assertThat(sim.credits(token)).isEqualTo(90);
    }

    @Test
    void missingClientIdAndUnknownTokens() {
        start(SimulatorConfig.fast());
        assertThat(client.tokenCall(null).code()).isEqualTo(400);
        assertThat(client.credits(null).code()).isEqualTo(1001);
        assertThat(client.credits("nmv_usr_nope").code()).isEqualTo(1001);
        assertThatThrownBy(() -> sim.credits("nmv_usr_nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void newClientsPerIpAreLimited() {
        start(SimulatorConfig.fast().withTokensPerIp(2));
        assertThat(client.tokenCall("a").code()).isZero();
        assertThat(client.tokenCall("b").code()).isZero();
        assertThat(client.tokenCall("c").code()).isEqualTo(429);
        // a week later the window has moved on
        clock.advance(Duration.ofDays(7).plusSeconds(1));
        assertThat(client.tokenCall("c").code()).isZero();
    }

    @Test
    void sessionCarriesIdsAndStateCarriesBindId() {
        start(SimulatorConfig.fast());
        String token = client.token();
        SimClient.Answer s = client.createSession(token, "zh");
        assertThat(s.code()).isZero();
        assertThat(s.data().path("task_id").asText()).isNotBlank();
        assertThat(s.data().path("bind_id").asText()).startsWith("bind_");
        String sid = s.data().path("session_id").asText();
        SimClient.Answer state = client.state(token, sid);
        assertThat(state.code()).isZero();
        assertThat(state.data().path("bind_id").asText()).isEqualTo(s.data().path("bind_id").asText());
        assertThat(state.data().path("state").path("draft").path("t").isArray()).isTrue();
        assertThat(state.data().path("state").has("video_infos")).isTrue();
        assertThat(state.data().path("state").has("canvas_config")).isTrue();
        assertThat(state.data().path("state").has("generated_media")).isTrue();

        sim.faults().loseSession(sid);
        assertThat(client.state(token, sid).code()).isEqualTo(1002);
        assertThat(client.state(token, sid).code()).isEqualTo(1002);
        assertThat(client.state(token, "sess_unknown").code()).isEqualTo(1002);
    }

    @Test
    void pngUploadIsAcceptedAndListedInState() {
        start(SimulatorConfig.fast());
        String token = client.token();
        String sid = client.session(token);
        SimClient.Answer a = client.upload(token, sid, "photo.png", SimClient.png(64, 48));
        assertThat(a.code()).isZero();
        assertThat(a.data().path("files").path(0).path("name").asText()).isEqualTo("photo.png");
        assertThat(a.data().path("files").path(0).path("url").asText()).startsWith(sim.baseUrl().toString());
        assertThat(client.state(token, sid).data().path("state").path("video_infos").path(0).path("name").asText())
                .isEqualTo("photo.png");
    }

    @Test
    void urlUploadIsRecordedNotFetched() {
        start(SimulatorConfig.fast());
        String token = client.token();
        String sid = client.session(token);
        SimClient.Answer a = client.call(client.req("/api/upload-video/nemo_agent/me/" + sid, token)
                .post(RequestBody.create("{\"urls\":[\"https://example.invalid/a/cat.jpg\"],\"source_type\":\"url\"}",
                        SimClient.JSON)).build());
        assertThat(a.code()).isZero();
        assertThat(a.data().path("files").path(0).path("url").asText()).isEqualTo("https://example.invalid/a/cat.jpg");
        assertThat(a.data().path("files").path(0).path("name").asText()).isEqualTo("cat.jpg");
    }

    @Test
    void typeIsJudgedByMagicBytesNotByName() {
        start(SimulatorConfig.fast());
        String token = client.token();
        String sid = client.session(token);
        SimClient.Answer fake = client.upload(token, sid, "photo.png", "just some text, not a png".getBytes());
        assertThat(fake.code()).isEqualTo(4001);
        assertThat(fake.data().path("accepted").toString()).contains("png", "mp4");
        assertThat(client.upload(token, sid, "notes.txt", "hello".getBytes()).code()).isEqualTo(4001);
        byte[] jpegHead = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'};
        assertThat(client.upload(token, sid, "photo.jpg", jpegHead).code()).isZero();
        assertThat(client.upload(token, sid, "photo.gif", jpegHead).code()).isEqualTo(4001);

        sim.faults().errorStyle(ErrorStyle.HTTP_STATUS);
        SimClient.Answer styled = client.upload(token, sid, "photo.png", "nope".getBytes());
        assertThat(styled.status()).isEqualTo(415);
        assertThat(styled.code()).isEqualTo(4001);
    }

    @Test
    void overTwentyMegabytesIs4002() {
        start(SimulatorConfig.fast());
        String token = client.token();
        String sid = client.session(token);
        // streamed from a small chunk: the test never holds the 20 MB itself
        SimClient.Answer big = client.upload(token, sid, "big.png", streamedPng(20L * 1024 * 1024 + 1));
        assertThat(big.code()).isEqualTo(4002);
        SimClient.Answer exact = client.upload(token, sid, "exact.png", streamedPng(20L * 1024 * 1024));
        assertThat(exact.code()).isZero();
        // the recorded body of the upload is cut at 1 MB
        assertThat(sim.requests().getLast().body()).hasSize(RecordedRequest.MAX_BODY);
    }

    private static RequestBody streamedPng(long size) {
        return new RequestBody() {
            @Override
            public MediaType contentType() {
                return MediaType.get("image/png");
            }

            @Override
            public long contentLength() {
                return size;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                byte[] chunk = new byte[64 * 1024];
                byte[] magic = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
                long left = size;
                boolean first = true;
                while (left > 0) {
                    if (first) {
                        System.arraycopy(magic, 0, chunk, 0, magic.length);
                    } else if (chunk[0] != 0) {
                        Arrays.fill(chunk, 0, magic.length, (byte) 0);
                    }
                    int n = (int) Math.min(chunk.length, left);
                    sink.write(chunk, 0, n);
                    left -= n;
                    first = false;
                }
            }
        };
    }

    @Test
    void requestsAreRecordedWithCaseInsensitiveHeaders() {
        start(SimulatorConfig.fast());
        String token = client.token();
        client.credits(token);
        RecordedRequest last = sim.requests().getLast();
        assertThat(last.method()).isEqualTo("GET");
        assertThat(last.path()).isEqualTo("/api/credits/balance/simple");
        assertThat(last.headers().get("authorization")).containsExactly("Bearer " + token);
        assertThat(last.header("X-SKILL-SOURCE")).contains("pixverse-ai-image-to-video");
        assertThat(last.toString()).doesNotContain(token);
        sim.clearRequests();
        assertThat(sim.requests()).isEmpty();
    }
}
