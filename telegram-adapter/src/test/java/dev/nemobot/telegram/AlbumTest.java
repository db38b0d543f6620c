package dev.nemobot.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nemobot.core.chat.Incoming;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.Frames;
import dev.nemobot.core.testing.Frames.Hue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Telegram albums with the real TelegramBots client against the fake Bot API: an album comes as one update per photo
 * (sharing a media_group_id, the caption on one of them), and is one request: one acknowledgement, a take per photo,
 * the videos in the order sent, each quoting the captioned photo. Delivered in one poll, split over two polls, by
 * webhook, and two people's albums interleaved in a busy group.
 */
class AlbumTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FakeBotApi.Person ANNA = new FakeBotApi.Person(1001, "Anna", "en");
    private static final FakeBotApi.Person BO = new FakeBotApi.Person(1003, "Bo", "en");
    private static final FakeBotApi.Chat GROUP = new FakeBotApi.Chat(-100777);
    private static final String ANIMATE = "@" + FakeBotApi.BOT_USERNAME
            + " animate this image into a 5-second video with smooth motion";
    private static final List<byte[]> RGB = List.of(Frames.png(Hue.RED), Frames.png(Hue.GREEN), Frames.png(Hue.BLUE));

    private EngineFixture fixture;
    private Harness h;

    @AfterEach
    void stop() {
        Harness.close(h, fixture, WAIT);
        LogCapture.assertNoTokenLogged();
    }

    @Test
    void anAlbumOfThreeInOnePollIsOneAcknowledgementAndThreeVideosInOrder() {
        fixture = EngineFixture.start();
        h = Harness.start(fixture.engine(), 50_000_000);
        List<ObjectNode> album = h.api.album(ANNA, GROUP, "13579", 1, ANIMATE, RGB);
        h.api.queueAll(album);
        threeVideosInOrder(album.get(1).path("message_id").asInt());
    }

    @Test
    void anAlbumSplitOverTwoPollsWithItsCaptionInTheSecondIsStillOne() {
        fixture = EngineFixture.start();
        h = Harness.start(fixture.engine(), 50_000_000);
        List<ObjectNode> album = h.api.album(ANNA, GROUP, "24680", 1, ANIMATE, RGB);
        int first = h.api.queueAll(List.of(album.get(2), album.get(0))); // out of order, the captioned one later
        await("the first poll's updates confirmed").atMost(WAIT).until(() -> h.api.confirmed(first));
        h.api.queueAll(List.of(album.get(1)));
        threeVideosInOrder(album.get(1).path("message_id").asInt());
    }

    private void threeVideosInOrder(int captioned) {
        await("three videos").atMost(WAIT).until(() -> h.api.calls("sendVideo").size() >= 3);
        assertThat(fixture.engine().awaitIdle(WAIT)).isTrue();
        List<FakeBotApi.Call> videos = h.api.calls("sendVideo");
        assertThat(videos).hasSize(3);
        assertThat(videos.stream().map(v -> Frames.hue(bytes(v))).toList()).as("in the order sent")
                .containsExactly(Hue.RED, Hue.GREEN, Hue.BLUE);
        assertThat(videos).allSatisfy(v -> {
            assertThat(object(v, "reply_parameters").path("message_id").asInt()).as("quoting the request")
                    .isEqualTo(captioned);
            assertThat(v.param("reply_markup")).as("its own buttons").contains("again");
        });
        assertThat(videos.stream().map(v -> v.param("reply_markup")).distinct()).as("each on its own result")
                .hasSize(3);
        assertThat(h.api.calls("sendMessage").stream().map(c -> c.param("text"))
                .filter(t -> t.contains("3 images: 3 takes, in order.")).toList()).as("one acknowledgement")
                .hasSize(1);
        assertThat(h.api.calls("getFile")).as("each photo fetched once").hasSize(3);
    }

    @Test
    void anAlbumByWebhookIsOneMessage() {
        RecordingEngine engine = new RecordingEngine();
        h = Harness.webhook(engine, 50_000_000, true);
        List<ObjectNode> album = h.api.album(ANNA, GROUP, "777", 2, ANIMATE, RGB);
        h.api.queueAll(List.of(album.get(2), album.get(0), album.get(1)));
        Incoming m = engine.await(i -> i.attachments().size() == 3, WAIT);
        assertThat(m.text()).isEqualTo("animate this image into a 5-second video with smooth motion");
        assertThat(m.request()).isEqualTo(String.valueOf(album.get(2).path("message_id").asInt()));
        assertThat(engine.received()).hasSize(1);
    }

    @Test
    void twoPeoplesAlbumsInterleavedInABusyGroupStayEachTheirOwn() {
        RecordingEngine engine = new RecordingEngine();
        h = Harness.start(engine, 50_000_000);
        List<ObjectNode> anna = h.api.album(ANNA, GROUP, "a1", 0, ANIMATE, RGB);
        List<ObjectNode> bo = h.api.album(BO, GROUP, "b1", 1, "@" + FakeBotApi.BOT_USERNAME + " make them dance",
                RGB.subList(0, 2));
        h.api.queueAll(List.of(anna.get(0), bo.get(0), anna.get(1), bo.get(1), anna.get(2)));
        await("two albums").atMost(WAIT).until(() -> engine.received().size() >= 2);
        Incoming a = engine.received().stream().filter(m -> m.user().id().equals("1001")).findFirst().orElseThrow();
        Incoming b = engine.received().stream().filter(m -> m.user().id().equals("1003")).findFirst().orElseThrow();
        assertThat(a.attachments()).hasSize(3);
        assertThat(a.text()).isEqualTo("animate this image into a 5-second video with smooth motion");
        assertThat(a.request()).isEqualTo(String.valueOf(anna.get(0).path("message_id").asInt()));
        assertThat(b.attachments()).hasSize(2);
        assertThat(b.text()).isEqualTo("make them dance");
        assertThat(b.request()).isEqualTo(String.valueOf(bo.get(1).path("message_id").asInt()));
        assertThat(engine.received()).hasSize(2);
        assertThat(engine.threads()).as("handed on off the poll thread").noneMatch(t -> t.equals("telegram-poll"));
    }

    private static byte[] bytes(FakeBotApi.Call video) {
        return video.parts().get(video.param("video").substring("attach://".length())).bytes();
    }

    private static JsonNode object(FakeBotApi.Call call, String name) {
        JsonNode n = call.params().get(name);
        if (n == null || n.isNull()) {
            return JSON.createObjectNode();
        }
        try {
            return n.isTextual() ? JSON.readTree(n.asText()) : n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
