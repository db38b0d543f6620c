package dev.nemobot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TelegramWebhookSettingsTest {
    private static final String TOKEN = "123456:tg-Secret_token";
    private static final String SECRET = "s3cret_Hook-value";

    private static Settings load(String... keyValues) {
        Map<String, String> env = new HashMap<>();
        env.put("TELEGRAM_BOT_TOKEN", TOKEN);
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return SettingsLoader.load(Optional.empty(), env);
    }

    private static TelegramSettings.Webhook webhook(String... keyValues) {
        return load(keyValues).telegram().orElseThrow().webhook().orElseThrow();
    }

    @Test
    void withoutAWebhookUrlTheBotPolls() {
        assertThat(load().telegram().orElseThrow().webhook()).isEmpty();
    }

    @Test
    void aWebhookUrlAndSecretGiveDefaultsForTheRest() {
        TelegramSettings.Webhook w = webhook("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/tg/hook",
                "TELEGRAM_WEBHOOK_SECRET", SECRET);
        assertThat(w.url()).isEqualTo(URI.create("https://bot.example.com/tg/hook"));
        assertThat(w.path()).isEqualTo("/tg/hook");
        assertThat(w.secret().reveal()).isEqualTo(SECRET);
        assertThat(w.listenHost()).isEqualTo("127.0.0.1");
        assertThat(w.listenPort()).isEqualTo(8080);
        assertThat(w.register()).isTrue();
        assertThat(w.maxConnections()).isEmpty();
    }

    @Test
    void everyWebhookSettingIsRead() {
        TelegramSettings.Webhook w = webhook("TELEGRAM_WEBHOOK_URL", "https://bot.example.com:8443",
                "TELEGRAM_WEBHOOK_SECRET", SECRET, "TELEGRAM_WEBHOOK_LISTEN", "[::]:9000",
                "TELEGRAM_WEBHOOK_REGISTER", "false", "TELEGRAM_WEBHOOK_MAX_CONNECTIONS", "100");
        assertThat(w.path()).isEqualTo("/");
        assertThat(w.listenHost()).isEqualTo("::");
        assertThat(w.listenPort()).isEqualTo(9000);
        assertThat(w.register()).isFalse();
        assertThat(w.maxConnections()).isEqualTo(OptionalInt.of(100));
        assertThat(webhook("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/h", "TELEGRAM_WEBHOOK_SECRET", SECRET,
                "TELEGRAM_WEBHOOK_LISTEN", "127.0.0.1:0").listenPort()).as("0 takes a free port").isZero();
    }

    @Test
    void theSecretIsRequiredAndTheMessageSaysEveryInstanceSharesIt() {
        assertThatThrownBy(() -> load("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/tg"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL")
                .hasMessageContaining("every instance");
    }

    @Test
    void aSecretTelegramWouldRefuseIsNamedButNeverRepeated() {
        for (String bad : new String[] {"has space", "dots.not.allowed", "x".repeat(257), "ünïcode"}) {
            assertThatThrownBy(() -> load("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/tg",
                    "TELEGRAM_WEBHOOK_SECRET", bad))
                    .as(bad).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("TELEGRAM_WEBHOOK_SECRET").hasMessageContaining("A-Z a-z 0-9 _ -")
                    .hasMessageNotContaining(bad);
        }
        assertThat(webhook("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/tg",
                "TELEGRAM_WEBHOOK_SECRET", "x".repeat(256)).secret().reveal()).hasSize(256);
    }

    @Test
    void theBotTokenIsRefusedAsSecretAndInTheUrlWithoutBeingRepeated() {
        assertThatThrownBy(() -> load("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/tg",
                "TELEGRAM_WEBHOOK_SECRET", "tg-Secret_token"))
                .hasMessageContaining("TELEGRAM_WEBHOOK_SECRET").hasMessageContaining("not the bot token")
                .hasMessageNotContaining("tg-Secret_token");
        assertThatThrownBy(() -> load("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/" + TOKEN,
                "TELEGRAM_WEBHOOK_SECRET", SECRET))
                .hasMessageContaining("TELEGRAM_WEBHOOK_URL").hasMessageContaining("without the bot token")
                .hasMessageNotContaining("tg-Secret_token");
    }

    @Test
    void theUrlMustBeOneTelegramPostsTo() {
        assertThatThrownBy(() -> load("TELEGRAM_WEBHOOK_URL", "http://bot.example.com/tg", "TELEGRAM_WEBHOOK_SECRET", SECRET))
                .hasMessageContaining("TELEGRAM_WEBHOOK_URL").hasMessageContaining("https");
        assertThatThrownBy(() -> load("TELEGRAM_WEBHOOK_URL", "https://bot.example.com:8080/tg", "TELEGRAM_WEBHOOK_SECRET", SECRET))
                .hasMessageContaining("TELEGRAM_WEBHOOK_URL").hasMessageContaining("443, 80, 88 or 8443");
        assertThatThrownBy(() -> load("TELEGRAM_WEBHOOK_URL", "bot.example.com/tg", "TELEGRAM_WEBHOOK_SECRET", SECRET))
                .hasMessageContaining("TELEGRAM_WEBHOOK_URL").hasMessageContaining("https URL");
        assertThatThrownBy(() -> load("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/tg?x=1", "TELEGRAM_WEBHOOK_SECRET", SECRET))
                .hasMessageContaining("TELEGRAM_WEBHOOK_URL").hasMessageContaining("no user, query or fragment");
        assertThat(webhook("TELEGRAM_WEBHOOK_URL", "http://127.0.0.1:18080/tg", "TELEGRAM_WEBHOOK_SECRET", SECRET).url())
                .as("plain http to loopback, for tests").isEqualTo(URI.create("http://127.0.0.1:18080/tg"));
        assertThat(webhook("TELEGRAM_API_URL", "http://tg-api:8081", "TELEGRAM_WEBHOOK_URL", "http://bot:8080/tg",
                "TELEGRAM_WEBHOOK_SECRET", SECRET).url())
                .as("a self-hosted Bot API server (--local) posts to any http address and port")
                .isEqualTo(URI.create("http://bot:8080/tg"));
    }

    @Test
    void badListenRegisterAndMaxConnectionsNameTheKey() {
        String[] base = {"TELEGRAM_WEBHOOK_URL", "https://bot.example.com/tg", "TELEGRAM_WEBHOOK_SECRET", SECRET};
        assertThatThrownBy(() -> load(with(base, "TELEGRAM_WEBHOOK_LISTEN", "8080")))
                .hasMessageContaining("TELEGRAM_WEBHOOK_LISTEN").hasMessageContaining("host:port");
        assertThatThrownBy(() -> load(with(base, "TELEGRAM_WEBHOOK_LISTEN", "0.0.0.0:70000")))
                .hasMessageContaining("TELEGRAM_WEBHOOK_LISTEN").hasMessageContaining("0 to 65535");
        assertThatThrownBy(() -> load(with(base, "TELEGRAM_WEBHOOK_REGISTER", "sometimes")))
                .hasMessageContaining("TELEGRAM_WEBHOOK_REGISTER").hasMessageContaining("true or false");
        assertThatThrownBy(() -> load(with(base, "TELEGRAM_WEBHOOK_MAX_CONNECTIONS", "500")))
                .hasMessageContaining("TELEGRAM_WEBHOOK_MAX_CONNECTIONS").hasMessageContaining("1 to 100");
        assertThatThrownBy(() -> load(with(base, "TELEGRAM_WEBHOOK_LISTEN", "0.0.0.0:9464", "METRICS_PORT", "9464")))
                .hasMessageContaining("TELEGRAM_WEBHOOK_LISTEN and METRICS_PORT both use port 9464");
    }

    @Test
    void webhookSettingsWithoutTheUrlAreAMistake() {
        assertThatThrownBy(() -> load("TELEGRAM_WEBHOOK_SECRET", SECRET))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TELEGRAM_WEBHOOK_SECRET is set without TELEGRAM_WEBHOOK_URL")
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> load("TELEGRAM_WEBHOOK_LISTEN", "0.0.0.0:8080"))
                .hasMessageContaining("TELEGRAM_WEBHOOK_LISTEN is set without TELEGRAM_WEBHOOK_URL");
    }

    @Test
    void theSecretNeverShowsInToString() {
        Settings s = load("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/tg", "TELEGRAM_WEBHOOK_SECRET", SECRET);
        assertThat(s.toString()).doesNotContain(SECRET).doesNotContain("tg-Secret_token").contains("bot.example.com");
    }

    @Test
    void theRecordChecksItselfToo() {
        assertThatThrownBy(() -> new TelegramSettings.Webhook(URI.create("ftp://x/y"), Secret.of(SECRET)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("url");
        assertThatThrownBy(() -> new TelegramSettings.Webhook(URI.create("https://x/y"), Secret.of("a b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("a b");
        assertThatThrownBy(() -> new TelegramSettings.Webhook(URI.create("https://x/y"), Secret.of(SECRET), "0.0.0.0",
                -1, true, OptionalInt.empty())).hasMessageContaining("listenPort");
    }

    private static String[] with(String[] base, String... more) {
        String[] out = new String[base.length + more.length];
        System.arraycopy(base, 0, out, 0, base.length);
        System.arraycopy(more, 0, out, base.length, more.length);
        return out;
    }
}
