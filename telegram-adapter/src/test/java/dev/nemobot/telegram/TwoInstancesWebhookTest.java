package dev.nemobot.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.Engine;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.TestChats;
import dev.nemobot.simulator.NemoSimulator;
import dev.nemobot.core.backend.NemoClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Two bot instances (the real TelegramBots client in webhook mode, each with its own engine) behind one bot token,
 * sharing one store, as behind a load balancer: an update delivered to both (a re-delivery after a time-out, a proxy
 * retrying elsewhere) is handled once.
 */
class TwoInstancesWebhookTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ANIMATE = "animate this image into a 5-second video with smooth motion";
    private static final FakeBotApi.Person ANNA = new FakeBotApi.Person(1001, "Anna", "en");

    @Test
    void anUpdateDeliveredToBothInstancesIsFetchedUploadedTurnedAndRenderedOnce() throws Exception {
        try (EngineFixture a = EngineFixture.start();
             NemoClient clientB = NemoClient.builder(a.settings().nemo()).reconnectDelay(Duration.ofMillis(20)).build();
             Engine b = Engine.builder().settings(a.settings()).backend(clientB).timings(EngineFixture.TEST_TIMINGS)
                     .build();
             FakeBotApi api = new FakeBotApi();
             Harness botA = Harness.webhookOn(api, a.engine(), 50_000_000);
             Harness botB = Harness.webhookOn(api, b, 50_000_000)) {
            int update = api.photo(ANNA, new FakeBotApi.Chat(1001), ANIMATE, TestChats.pngBytes(320, 200));
            byte[] body = api.updateJson(update).getBytes(StandardCharsets.UTF_8);
            assertThat(api.post(botA.webhookEndpoint(), Harness.WEBHOOK_SECRET, body)).isEqualTo(200);
            assertThat(api.post(botB.webhookEndpoint(), Harness.WEBHOOK_SECRET, body)).isEqualTo(200);

            api.await("sendVideo", c -> true, WAIT);
            assertThat(a.engine().awaitIdle(WAIT)).isTrue();
            assertThat(b.awaitIdle(WAIT)).isTrue();
            NemoSimulator sim = a.simulator();
            assertThat(api.calls("getFile")).as("getFile").hasSize(1);
            assertThat(sim.requests()).filteredOn(r -> r.path().startsWith("/api/upload-video/")).as("uploads").hasSize(1);
            assertThat(sim.requests()).filteredOn(r -> r.path().equals("/run_sse")
                    && r.header("Last-Event-ID").isEmpty()).as("SSE turns").hasSize(1);
            assertThat(sim.requests()).filteredOn(r -> r.method().equals("POST")
                    && r.path().equals("/api/render/proxy/lambda")).as("renders").hasSize(1);
            assertThat(api.calls("sendVideo")).as("videos").hasSize(1);
        }
    }
}
