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
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launched bot-app.jar against a fake Bot API and the simulator, both on 127.0.0.1: a captioned photo comes back
 * as an MP4 through sendVideo, /credits and 积分 answer the user's balance, an expired backend token is renewed without
 * the user noticing, and SIGTERM stops it cleanly. Neither the bot token nor the backend token reaches its output.
 */
class TelegramLaunchIT {
    /** Per step; a step takes a few seconds at most even on a busy 2-core machine (JVM start included). */
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ANIMATE = "animate this image into a 5-second video with smooth motion";
    private static final Person ALICE = new Person(4242, "Alice", "en");
    private static final Chat ALICE_DM = new Chat(4242);

    @TempDir
    Path dir;

    private NemoSimulator simulator;
    private FakeBotApi telegram;
    private LaunchedBot bot;
    private String backendToken;
    private String renewedToken;

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (bot != null) {
                bot.close();
            }
        } finally {
            if (telegram != null) {
                telegram.close();
            }
            if (simulator != null) {
                simulator.close();
            }
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
            telegram.await("getUpdates", c -> true, WAIT);

            telegram.photo(ALICE, ALICE_DM, ANIMATE, jpeg(320, 180));
            Call video = telegram.await("sendVideo", c -> true, WAIT);
            assertThat(video.param("chat_id")).isEqualTo(String.valueOf(ALICE_DM.id()));
            byte[] mp4 = video.parts().get(video.param("video").substring("attach://".length())).bytes();
            assertThat(new String(mp4, 4, 4, StandardCharsets.US_ASCII)).as("an ftyp box first").isEqualTo("ftyp");

            backendToken = tokenOfTheUser();
            long balance = simulator.credits(backendToken);
            assertThat(balance).as("the generation was charged").isLessThan(100);
            String credits = reply("/credits");
            assertThat(credits).startsWith("Credits: " + balance + " available");
            assertThat(reply("积分")).contains(String.valueOf(balance));

            simulator.faults().expireToken(backendToken);
            long expired = System.nanoTime();
            assertThat(reply("/credits")).as("the same answer as before the expiry").isEqualTo(credits);
            renewedToken = tokenOfTheUser();
            assertThat(renewedToken.equals(backendToken)).as("a new backend token is in use").isFalse();
            List<String> clientIds = simulator.requests().stream()
                    .filter(r -> r.path().equals("/api/auth/anonymous-token"))
                    .map(r -> r.header("X-Client-Id").orElse("(none)")).toList();
            assertThat(clientIds).as("one sign-up, then one renewal with the same client id").hasSize(2)
                    .containsOnly(clientIds.getFirst());
            assertThat(simulator.requests().stream().filter(r -> r.path().startsWith("/api/tasks/me/with-session")))
                    .as("the project survived the renewal: no second session").hasSize(1);

            assertThat(bot.stop(WAIT)).isIn(0, 143);
            // after the exit nothing more can arrive: everything said after the expiry is that one answer
            assertThat(telegram.calls("sendMessage").stream().filter(c -> c.atNanos() > expired)
                    .map(c -> c.param("text")).toList()).as("what the user saw after the expiry").containsExactly(credits);
            assertThat(telegram.calls("editMessageText").stream().filter(c -> c.atNanos() > expired)).isEmpty();
            bot.assertOutputHoldsNone(secrets());
        } catch (AssertionError | RuntimeException e) {
            throw bot.failure(e, "telegram calls ---\n" + telegram.summary(), secrets());
        }
    }

    /** The bot token, its secret half alone, and the backend tokens seen so far. */
    private String[] secrets() {
        return Stream.of(FakeBotApi.TOKEN, FakeBotApi.TOKEN.substring(FakeBotApi.TOKEN.indexOf(':') + 1),
                backendToken, renewedToken).filter(Objects::nonNull).toArray(String[]::new);
    }

    /** Sends {@code text} as Alice and returns the first message the bot sends her after it. */
    private String reply(String text) {
        long sent = System.nanoTime();
        telegram.text(ALICE, ALICE_DM, text);
        return telegram.await("sendMessage", c -> c.atNanos() > sent
                && String.valueOf(ALICE_DM.id()).equals(c.param("chat_id")), WAIT).param("text");
    }

    /**
     * The backend token the bot used last for this (only) user, read from the simulator's record of its
     * authorised calls; it is never printed.
     */
    private String tokenOfTheUser() {
        return simulator.requests().stream()
                .filter(r -> r.path().startsWith("/api/credits") || r.path().startsWith("/api/state"))
                .map(r -> r.header("Authorization").orElse(""))
                .filter(h -> h.startsWith("Bearer "))
                .reduce((first, last) -> last)
                .map(h -> h.substring("Bearer ".length()))
                .orElseThrow(() -> new AssertionError("no authorised call reached the simulator: "
                        + simulator.requests().stream().map(RecordedRequest::toString).toList()));
    }

    /** Telegram stores photos as JPEG. */
    static byte[] jpeg(int w, int h) throws IOException {
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(TestChats.pngBytes(w, h)));
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(png, 0, 0, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(rgb, "jpg", out);
        return out.toByteArray();
    }
}
