package dev.nemobot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nemobot.simulator.NemoSimulator;
import dev.nemobot.simulator.SimulatorConfig;
import dev.nemobot.telegram.FakeBotApi;
import dev.nemobot.telegram.FakeBotApi.Call;
import dev.nemobot.telegram.FakeBotApi.Chat;
import dev.nemobot.telegram.FakeBotApi.Person;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launched bot-app.jar in webhook mode, configured from the environment alone: it registers the webhook, takes
 * a captioned photo delivered to its webhook server (as a load balancer would forward Telegram's POST) and sends the
 * MP4 back, never polls, and on SIGTERM stops without deleting the webhook other instances would still serve.
 */
class TelegramWebhookLaunchIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PUBLIC_URL = "https://bot.example.com/telegram/k3v9";
    private static final String SECRET = "launch_webhook-Secret_4f1c9e0d";
    private static final Pattern LISTENING = Pattern.compile("receives updates by webhook on \\S*?:(\\d+)");
    private static final Person ALICE = new Person(4242, "Alice", "en");
    private static final Chat ALICE_DM = new Chat(4242);

    @TempDir
    Path dir;

    private NemoSimulator simulator;
    private FakeBotApi telegram;
    private LaunchedBot bot;

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
    void theLaunchedJarRegistersTheWebhookTurnsADeliveredPhotoIntoAVideoAndKeepsTheWebhookWhenStopped()
            throws Exception {
        simulator = NemoSimulator.start(SimulatorConfig.fast());
        telegram = new FakeBotApi();
        bot = LaunchedBot.start(dir, Map.of(
                "TELEGRAM_BOT_TOKEN", FakeBotApi.TOKEN,
                "TELEGRAM_API_URL", telegram.url(),
                "TELEGRAM_WEBHOOK_URL", PUBLIC_URL,
                "TELEGRAM_WEBHOOK_SECRET", SECRET,
                "TELEGRAM_WEBHOOK_LISTEN", "127.0.0.1:0",
                "NEMO_API_URL", simulator.baseUrl().toString(),
                "NEMO_RENDER_POLL_SECONDS", "1",
                "BOT_DATA_DIR", dir.resolve("data").toString()));
        try {
            await("the webhook server listening").atMost(WAIT).until(() -> LISTENING.matcher(bot.output()).find());
            Matcher port = LISTENING.matcher(bot.output());
            assertThat(port.find()).isTrue();
            assertThat(telegram.setWebhooks()).containsExactly(new FakeBotApi.SetWebhook(PUBLIC_URL, SECRET,
                    List.of("message", "callback_query"), null, false));

            telegram.pushTo(URI.create("http://127.0.0.1:" + port.group(1) + URI.create(PUBLIC_URL).getPath()));
            int update = telegram.photo(ALICE, ALICE_DM, "animate this image into a 5-second video",
                    TelegramLaunchIT.jpeg(320, 180));
            assertThat(telegram.pushes()).containsExactly(new FakeBotApi.Push(update, 200));
            Call video = telegram.await("sendVideo", c -> true, WAIT);
            assertThat(video.param("chat_id")).isEqualTo(String.valueOf(ALICE_DM.id()));
            byte[] mp4 = video.parts().get(video.param("video").substring("attach://".length())).bytes();
            assertThat(new String(mp4, 4, 4, StandardCharsets.US_ASCII)).as("an ftyp box first").isEqualTo("ftyp");

            assertThat(bot.stop(WAIT)).isIn(0, 143);
            assertThat(telegram.calls("getUpdates")).as("no polling in webhook mode").isEmpty();
            assertThat(telegram.calls("deleteWebhook")).as("the webhook stays for the other instances").isEmpty();
            bot.assertOutputHoldsNone(secrets());
        } catch (AssertionError | RuntimeException e) {
            throw bot.failure(e, "telegram calls ---\n" + telegram.summary(), secrets());
        }
    }

    private static String[] secrets() {
        return new String[] {FakeBotApi.TOKEN, FakeBotApi.TOKEN.substring(FakeBotApi.TOKEN.indexOf(':') + 1), SECRET};
    }
}
