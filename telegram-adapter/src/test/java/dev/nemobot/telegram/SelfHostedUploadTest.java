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
        if (h != null) { // the client-only test starts no bot, and may log nothing
            LogCapture.assertNoTokenLogged();
        }
    }

    @Test
    void anUploadAnsweredAfterTheTimeoutIsSentOnceAndTheUserGetsTheLinkAndWhy() throws IOException {
        fixture = EngineFixture.start();
        h = Harness.withUploadTimeout(fixture.engine(), 2_000_000_000L, UPLOAD_TIMEOUT);
        // a large video: the server takes longer than the bot waits every time (before: uploaded, and posted, 3 times)
        h.api.failNext("sendVideo", 3, new FakeBotApi.Failure.LateAnswer(LATE));
        h.api.photo(ANNA, ANNA_DM, "animate this image into a 5-second video with smooth motion", jpeg());
        // the link ends the render's progress message (one message per request)
        FakeBotApi.Call link = h.api.await("editMessageText", c -> c.param("chat_id").equals("1001")
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

    @Test
    void onlyAFailureBeforeTheBodyWentOutMayBeRetried() throws IOException {
        // the upload client the bot builds, on its own: a refused connection sent nothing; a late answer came after all
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Path mp4 = Files.write(dir.resolve("v.mp4"), PlatformTest.fakeMp4(50_000));
        okhttp3.OkHttpClient http = TelegramBot.uploadHttp(new okhttp3.OkHttpClient.Builder()
                .addInterceptor(new BotApi.Answers()).build(), UPLOAD_TIMEOUT);
        Tuning tuning = Tuning.defaults();
        try (FakeBotApi api = new FakeBotApi()) {
            BotApi refused = botApi(http, closedPort, tuning);
            BotApiException.Unavailable nothingSent = catchThrowableOfType(BotApiException.Unavailable.class,
                    () -> refused.sendVideo(video(mp4)));
            assertThat(nothingSent).isNotNull();
            assertThat(nothingSent.afterSending()).as("a refused connection sent nothing").isFalse();

            api.failNext("sendVideo", 1, new FakeBotApi.Failure.LateAnswer(LATE));
            BotApi late = botApi(http, java.net.URI.create(api.url()).getPort(), tuning);
            BotApiException.Unavailable sent = catchThrowableOfType(BotApiException.Unavailable.class,
                    () -> late.sendVideo(video(mp4)));
            assertThat(sent).isNotNull();
            assertThat(sent.afterSending()).as("timed out after the upload").isTrue();
            assertThat(sent.getMessage()).contains("after the upload was sent");
            assertThat(api.calls("sendVideo")).as("OkHttp did not send it again by itself").hasSize(1);
        }
    }

    private static BotApi botApi(okhttp3.OkHttpClient http, int port, Tuning tuning) {
        return new BotApi(new org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient(http, FakeBotApi.TOKEN,
                new org.telegram.telegrambots.meta.TelegramUrl("http", "127.0.0.1", port, false)), tuning);
    }

    private static org.telegram.telegrambots.meta.api.methods.send.SendVideo video(Path mp4) {
        return org.telegram.telegrambots.meta.api.methods.send.SendVideo.builder().chatId("1001")
                .video(new org.telegram.telegrambots.meta.api.objects.InputFile(mp4.toFile(), "video.mp4")).build();
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
