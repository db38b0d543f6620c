package dev.nemobot.core;

import static dev.nemobot.core.testing.TestChats.dm;
import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.config.LimitSettings;
import dev.nemobot.config.Settings;
import dev.nemobot.core.backend.NemoClient;
import dev.nemobot.core.chat.Attachment;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.chat.Incoming;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.Frames;
import dev.nemobot.core.testing.Frames.Hue;
import dev.nemobot.core.testing.RecordingPlatform;
import dev.nemobot.core.testing.RecordingPlatform.Sent;
import dev.nemobot.simulator.SimulatorConfig;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Several images with one request (a Discord message with several images, a Telegram album as the adapter hands it
 * over): each its own take, one acknowledgement, the videos in the order sent, each answering the request with its
 * own buttons; the daily budget counts each take, and a batch it cannot pay for whole is refused before anything
 * reaches the backend. The engine, the real client and nemo-simulator.
 */
class BatchFlowTest {
    static final Duration WAIT = Duration.ofSeconds(90);
    static final String ANIMATE = "animate this image into a 5-second video with smooth motion";

    /** An operator's token shared by every user, and a daily budget of {@code credits} at 10 a generation. */
    private static UnaryOperator<Settings> budget(int credits) {
        return s -> {
            try (NemoClient c = NemoClient.builder(s.nemo()).build()) {
                return s.withNemo(s.nemo().withToken(c.anonymousToken("operator").token()))
                        .withLimits(LimitSettings.defaults().withDailyCredits(credits).withCreditEstimates(10, 2));
            }
        };
    }

    static Attachment image(Hue hue) {
        byte[] png = Frames.png(hue);
        return new Attachment(hue.name().toLowerCase(Locale.ROOT) + ".png", "image/png", png.length,
                () -> new ByteArrayInputStream(png));
    }

    static Incoming batch(ChatUser u, String caption, Hue... hues) {
        List<Attachment> files = java.util.Arrays.stream(hues).map(BatchFlowTest::image).toList();
        return new Incoming("batch-" + System.nanoTime(), u, dm(u), caption, files).answering("req-" + u.id());
    }

    @Test
    void threeImagesAreThreeTakesWithOneAcknowledgementAndTheirVideosInTheOrderSent() {
        try (EngineFixture f = EngineFixture.start(SimulatorConfig.fast(), budget(100), b -> b)) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            ChatUser ann = user("telegram", "1", Locale.ENGLISH);
            in.accept(batch(ann, ANIMATE, Hue.RED, Hue.GREEN, Hue.BLUE));

            p.await(s -> videos(p).size() == 3, WAIT, "three videos");
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            List<Sent.Video> videos = videos(p);
            assertThat(videos.stream().map(v -> Frames.hue(v.file())).toList()).as("in the order sent")
                    .containsExactly(Hue.RED, Hue.GREEN, Hue.BLUE);
            assertThat(videos).allSatisfy(v -> {
                assertThat(v.replyTo().request()).as("each answers the request").isEqualTo("req-1");
                assertThat(v.resultId()).isPresent();
            });
            assertThat(videos.stream().map(v -> v.resultId().orElseThrow()).distinct())
                    .as("each video's buttons act on its own result").hasSize(3);
            List<Sent.Text> acks = p.sent().stream().filter(s -> s instanceof Sent.Text t
                    && t.text().startsWith("3 images: 3 takes, in order.")).map(s -> (Sent.Text) s).toList();
            assertThat(acks).as("one acknowledgement").hasSize(1);
            assertThat(p.texts()).anyMatch(t -> t.contains("Take 2 of 3:"))
                    .anyMatch(t -> t.startsWith("3 images: all 3 takes have run, in order."));
            assertThat(Checks.turnsSent(f.simulator())).as("a turn per take").hasSize(3)
                    .allMatch(t -> t.contains(ANIMATE));

            in.accept(text(ann, "/credits"));
            p.awaitText(t -> t.contains("Your daily budget: 70 of 100 credits left today"), WAIT);
            Checks.nothingLeaked(p, f.simulator());
        }
    }

    @Test
    void aBatchTheBudgetCannotPayForWholeIsRefusedWithNothingSpent() {
        try (EngineFixture f = EngineFixture.start(SimulatorConfig.fast(), budget(20), b -> b)) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            ChatUser bo = user("telegram", "2", Locale.ENGLISH);
            in.accept(batch(bo, ANIMATE, Hue.RED, Hue.GREEN, Hue.BLUE));

            String refusal = p.awaitText(t -> t.contains("These 3 images are 3 takes"), WAIT).shownText();
            assertThat(refusal).contains("today's budget of 20 credits pays for only 2 of them")
                    .contains("Nothing was started").contains("00:00 UTC");
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(Checks.count(f.simulator(), "POST", "/api/upload-video")).as("no image uploaded").isZero();
            assertThat(Checks.turnsSent(f.simulator())).as("no turn").isEmpty();
            in.accept(text(bo, "/credits"));
            p.awaitText(t -> t.contains("Your daily budget: 20 of 20 credits left today"), WAIT);
        }
    }

    @Test
    void aBatchLargerThanTheQueueHasRoomForIsRefusedWholeSayingHowManyFit() {
        try (EngineFixture f = EngineFixture.start(SimulatorConfig.fast(),
                s -> s.withLimits(LimitSettings.defaults().withQueuedMessages(1)), b -> b)) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            ChatUser cy = user("telegram", "3", Locale.ENGLISH);
            in.accept(batch(cy, ANIMATE, Hue.RED, Hue.GREEN, Hue.BLUE));

            String refusal = p.awaitText(t -> t.contains("These 3 images are 3 takes"), WAIT).shownText();
            assertThat(refusal).contains("your queue has room for only 2 of them now").contains("Nothing was kept");
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(Checks.count(f.simulator(), "POST", "/api/upload-video")).as("no image uploaded").isZero();
            assertThat(Checks.turnsSent(f.simulator())).as("no turn").isEmpty();
        }
    }

    private static List<Sent.Video> videos(RecordingPlatform p) {
        return p.sent().stream().filter(s -> s instanceof Sent.Video).map(s -> (Sent.Video) s).toList();
    }
}
