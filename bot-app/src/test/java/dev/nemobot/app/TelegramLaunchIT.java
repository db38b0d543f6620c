package dev.nemobot.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.testing.TestChats;
import dev.nemobot.simulator.NemoSimulator;
import dev.nemobot.simulator.RecordedRequest;
import dev.nemobot.simulator.SimulatorConfig;
import dev.nemobot.telegram.FakeBotApi;
import dev.nemobot.telegram.FakeBotApi.Call;
import dev.nemobot.telegram.FakeBotApi.Chat;
import dev.nemobot.telegram.FakeBotApi.Person;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launched bot-app.jar against a fake Bot API and the simulator, both on 127.0.0.1: a captioned photo comes back
 * as an MP4 through sendVideo, /credits and 积分 answer the user's balance, an expired backend token is renewed without
 * the user noticing, and SIGTERM stops it cleanly.
 */
class TelegramLaunchIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private NemoSimulator simulator;
    private FakeBotApi telegram;
    private LaunchedBot bot;

    @AfterEach
    void tearDown() throws Exception {
        if (bot != null) {
            bot.close();
        }
        if (telegram != null) {
            telegram.close();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void theLaunchedJarTurnsACaptionedPhotoIntoAVideoAndAnswersCreditsAcrossATokenRenewal() throws Exception {
        simulator = NemoSimulator.start(SimulatorConfig.fast());
        telegram = new FakeBotApi();
        bot = LaunchedBot.start(dir, Map.of(
                "TELEGRAM_BOT_TOKEN", FakeBotApi.TOKEN,
                "TELEGRAM_API_URL", telegram.url(),
                "NEMO_API_URL", simulator.baseUrl().toString(),
                "NEMO_RENDER_POLL_SECONDS", "1",
                "BOT_DATA_DIR", dir.resolve("data").toString()));
        try {
            telegram.await("getupdates", c -> true, WAIT);
            Person alice = new Person(4242, "Alice", "en");
            Chat chat = new Chat(4242);

            telegram.photo(alice, chat, "animate this image into a 5-second video with smooth motion",
                    jpeg(320, 180));
            Call video = telegram.await("sendvideo", c -> true, WAIT);
            byte[] mp4 = video.parts().get(video.param("video").substring("attach://".length())).bytes();
            assertThat(new String(mp4, 4, 4, StandardCharsets.US_ASCII)).isEqualTo("ftyp");
            assertThat(video.param("supports_streaming")).isEqualTo("true");

            String token = tokenOfTheUser();
            long balance = simulator.credits(token);
            assertThat(balance).isLessThan(100); // the generation was charged
            awaitReplyContaining(alice, chat, "/credits", String.valueOf(balance));
            awaitReplyContaining(alice, chat, "积分", String.valueOf(balance));

            simulator.faults().expireAllTokens();
            int before = telegram.calls("sendmessage").size();
            awaitReplyContaining(alice, chat, "/credits", String.valueOf(balance));
            List<String> clientIds = simulator.requests().stream()
                    .filter(r -> r.path().equals("/api/auth/anonymous-token"))
                    .map(r -> r.header("X-Client-Id").orElse("?")).toList();
            assertThat(clientIds).hasSize(2).as("renewed with the same client id").containsOnly(clientIds.get(0));
            assertThat(telegram.calls("sendmessage").subList(before, telegram.calls("sendmessage").size()))
                    .extracting(c -> c.param("text"))
                    .noneMatch(t -> t.toLowerCase().contains("error") || t.toLowerCase().contains("token"));

            assertThat(bot.stop(Duration.ofSeconds(30))).isIn(0, 143);
            assertThat(bot.output()).doesNotContain(FakeBotApi.TOKEN).doesNotContain(token);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\n--- bot output ---\n" + bot.output()
                    + "\n--- telegram calls ---\n" + telegram.summary(), e);
        }
    }

    /** Telegram sends photos as JPEG. */
    private static byte[] jpeg(int w, int h) throws java.io.IOException {
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(TestChats.pngBytes(w, h)));
        java.awt.image.BufferedImage rgb = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(img, 0, 0, null);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(rgb, "jpg", out);
        return out.toByteArray();
    }

    private void awaitReplyContaining(Person from, Chat chat, String text, String expected) {
        int seen = telegram.calls("sendmessage").size();
        telegram.text(from, chat, text);
        telegram.await("sendmessage", c -> telegram.calls("sendmessage").indexOf(c) >= seen
                && c.param("text") != null && c.param("text").contains(expected), WAIT);
    }

    /** The backend token the bot uses for this (only) user, read from what the simulator saw. */
    private String tokenOfTheUser() {
        Optional<String> auth = simulator.requests().stream()
                .filter(r -> r.path().startsWith("/api/credits") || r.path().startsWith("/api/state"))
                .map(r -> r.header("Authorization").orElse(""))
                .filter(h -> h.startsWith("Bearer "))
                .reduce((a, b) -> b);
        return auth.orElseGet(() -> simulator.requests().stream().map(RecordedRequest::toString).toList().toString())
                .substring("Bearer ".length());
    }
}
