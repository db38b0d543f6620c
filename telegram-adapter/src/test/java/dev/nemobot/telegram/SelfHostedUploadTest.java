package dev.nemobot.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.VideoRejectedException;
import dev.nemobot.core.testing.EngineFixture;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A self-hosted Bot API server answers sendVideo only once it has re-uploaded the video to Telegram, which for a large
 * video takes longer than the bot waits: the video was posted though the bot saw a time-out. Such an upload, and any
 * other that fails once its body went out, is never sent again; the user gets the link and is told the video may
 * still appear. (Before: sent three times, each one posted.)
 */
class SelfHostedUploadTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** How long the bot waits for sendVideo's answer here; the fake answers later. */
    private static final Duration UPLOAD_TIMEOUT = Duration.ofMillis(400);
    private static final Duration LATE = Duration.ofSeconds(2);
    private static final FakeBotApi.Person ANNA = new FakeBotApi.Person(1001, "Anna", "en");
    private static final FakeBotApi.Chat ANNA_DM = new FakeBotApi.Chat(1001);
    private static final Conversation DM = new Conversation("telegram", "1001", false);
    private static final ChatUser ANNA_USER = new ChatUser("telegram", "1001", "Anna", Locale.ENGLISH);

    @TempDir
    Path dir;
    private EngineFixture fixture;
    private Harness h;

    @AfterEach
    void stop() {
        Harness.close(h, fixture, WAIT);
        LogCapture.assertNoTokenLogged();
    }

    @Test
    void anUploadAnsweredAfterTheTimeoutIsSentOnceAndTheUserGetsTheLinkAndWhy() throws IOException {
        fixture = EngineFixture.start();
        h = Harness.withUploadTimeout(fixture.engine(), 2_000_000_000L, UPLOAD_TIMEOUT);
        // a large video: the server takes longer than the bot waits every time (before: uploaded, and posted, 3 times)
        h.api.failNext("sendVideo", 3, new FakeBotApi.Failure.LateAnswer(LATE));
        h.api.photo(ANNA, ANNA_DM, "animate this image into a 5-second video with smooth motion", jpeg());
        FakeBotApi.Call link = h.api.await("sendMessage", c -> c.param("chat_id").equals("1001")
                && c.param("text").contains("did not confirm the video upload in time"), WAIT);
        assertThat(fixture.engine().awaitIdle(WAIT)).isTrue();
        assertThat(link.param("text")).contains("may still appear").contains("http");
        assertThat(h.api.calls("sendVideo")).as("the video is uploaded once, never again").hasSize(1);
    }

    @Test
    void noUploadThatMayHaveArrivedIsRetried() throws IOException {
        RecordingEngine engine = new RecordingEngine();
        h = Harness.withUploadTimeout(engine, 100_000_000, UPLOAD_TIMEOUT);
        Path mp4 = Files.write(dir.resolve("v.mp4"), PlatformTest.fakeMp4(200_000));
        List<FakeBotApi.Failure> afterTheBody = List.of(
                new FakeBotApi.Failure.LateAnswer(LATE),        // read time-out: the server has it, and posts it
                new FakeBotApi.Failure.Disconnect(),            // the connection lost after the body arrived
                new FakeBotApi.Failure.ServerError(),           // an error answered after the upload
                new FakeBotApi.Failure.Garbage(502, "<html><title>502 Bad Gateway</title></html>"));
        int sent = 0;
        for (FakeBotApi.Failure failure : afterTheBody) {
            h.api.failNext("sendVideo", 1, failure);
            VideoRejectedException e = catchThrowableOfType(VideoRejectedException.class,
                    () -> engine.platform().sendVideo(DM, ANNA_USER, mp4, "here", List.of()));
            sent++;
            assertThat(e).as("%s", failure).isNotNull();
            assertThat(e.mayStillAppear()).as("%s", failure).isTrue();
            assertThat(e.tooLarge()).isFalse();
            assertThat(h.api.calls("sendVideo")).as("%s: sent once", failure).hasSize(sent);
        }
    }

    @Test
    void aFloodLimitIsStillWaitedOutAndTheVideoSent() throws IOException {
        RecordingEngine engine = new RecordingEngine();
        h = Harness.withUploadTimeout(engine, 100_000_000, UPLOAD_TIMEOUT);
        Path mp4 = Files.write(dir.resolve("v.mp4"), PlatformTest.fakeMp4(2_000));
        // a 429 is answered instead of posting: sending again is safe
        h.api.failNext("sendVideo", 1, new FakeBotApi.Failure.TooManyRequests(1));
        engine.platform().sendVideo(DM, ANNA_USER, mp4, "here", List.of());
        assertThat(h.api.calls("sendVideo")).hasSize(2);
    }

    private static byte[] jpeg() throws IOException {
        BufferedImage img = new BufferedImage(320, 200, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(30, 120, 200));
        g.fillRect(0, 0, 320, 200);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }
}
