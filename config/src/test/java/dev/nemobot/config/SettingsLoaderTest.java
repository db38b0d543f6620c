package dev.nemobot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {

    @Test
    void defaultsFollowTheContract() {
        Settings s = SettingsLoader.load(Optional.empty(), Map.of());
        assertThat(s.nemo().apiUrl()).isEqualTo(URI.create("https://mega-api-prod.nemovideo.ai"));
        assertThat(s.nemo().webUrl()).isEqualTo(URI.create("https://nemovideo.com"));
        assertThat(s.nemo().token()).isEmpty();
        assertThat(s.nemo().skillPlatform()).isEqualTo("unknown");
        assertThat(s.nemo().skillVersion()).isEqualTo("1.0.0");
        assertThat(s.nemo().renderPoll()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(s.telegram()).isEmpty();
        assertThat(s.discord()).isEmpty();
        assertThat(s.autoExport()).isTrue();
    }

    @Test
    void environmentOverridesTheYamlFile(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("bot.yaml");
        Files.writeString(yaml, """
                nemo_api_url: http://127.0.0.1:1111
                NEMO_RENDER_POLL_SECONDS: 5
                TELEGRAM_BOT_TOKEN: "123:from-file"
                BOT_DATA_DIR: /tmp/from-file
                """);
        Settings s = SettingsLoader.load(Optional.of(yaml), Map.of("NEMO_API_URL", "http://127.0.0.1:2222"));
        assertThat(s.nemo().apiUrl()).isEqualTo(URI.create("http://127.0.0.1:2222"));
        assertThat(s.nemo().renderPoll()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.dataDir()).isEqualTo(Path.of("/tmp/from-file"));
        assertThat(s.telegram()).get().extracting(t -> t.botToken().reveal()).isEqualTo("123:from-file");
    }

    @Test
    void telegramUploadLimitFollowsLocalMode() {
        Settings pub = SettingsLoader.load(Optional.empty(), Map.of("TELEGRAM_BOT_TOKEN", "1:a"));
        assertThat(pub.telegram().orElseThrow().uploadLimitBytes()).isEqualTo(50_000_000L);
        Settings own = SettingsLoader.load(Optional.empty(),
                Map.of("TELEGRAM_BOT_TOKEN", "1:a", "TELEGRAM_API_URL", "http://127.0.0.1:8081"));
        assertThat(own.telegram().orElseThrow().uploadLimitBytes())
                .as("a self-hosted server without --local (or a proxy in front of the public API) fails over 50 MB")
                .isEqualTo(50_000_000L);
        assertThat(own.telegram().orElseThrow().localMode()).isFalse();
        Settings local = SettingsLoader.load(Optional.empty(), Map.of("TELEGRAM_BOT_TOKEN", "1:a",
                "TELEGRAM_API_URL", "http://127.0.0.1:8081", "TELEGRAM_LOCAL_FILES_DIR", "/var/lib/tg-api"));
        assertThat(local.telegram().orElseThrow().uploadLimitBytes()).isEqualTo(2_000_000_000L);
        assertThat(local.telegram().orElseThrow().localMode()).isTrue();
        Settings set = SettingsLoader.load(Optional.empty(),
                Map.of("TELEGRAM_BOT_TOKEN", "1:a", "TELEGRAM_UPLOAD_LIMIT_MB", "20"));
        assertThat(set.telegram().orElseThrow().uploadLimitBytes()).isEqualTo(20_000_000L);
        Settings localSet = SettingsLoader.load(Optional.empty(), Map.of("TELEGRAM_BOT_TOKEN", "1:a",
                "TELEGRAM_API_URL", "http://127.0.0.1:8081", "TELEGRAM_LOCAL_FILES_DIR", "/var/lib/tg-api",
                "TELEGRAM_UPLOAD_LIMIT_MB", "500"));
        assertThat(localSet.telegram().orElseThrow().uploadLimitBytes()).isEqualTo(500_000_000L);
    }

    @Test
    void anUploadLimitOver50MbWithoutLocalModeIsRefusedAtStart() {
        for (Map<String, String> env : java.util.List.of(
                Map.of("TELEGRAM_BOT_TOKEN", "1:a", "TELEGRAM_UPLOAD_LIMIT_MB", "51"),
                Map.of("TELEGRAM_BOT_TOKEN", "1:a", "TELEGRAM_API_URL", "http://127.0.0.1:8081",
                        "TELEGRAM_UPLOAD_LIMIT_MB", "2000"))) {
            assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), env))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("TELEGRAM_UPLOAD_LIMIT_MB")
                    .hasMessageContaining("TELEGRAM_LOCAL_FILES_DIR")
                    .hasMessageContaining("--local");
        }
        assertThat(SettingsLoader.load(Optional.empty(), Map.of("TELEGRAM_BOT_TOKEN", "1:a",
                "TELEGRAM_UPLOAD_LIMIT_MB", "50")).telegram().orElseThrow().uploadLimitBytes()).isEqualTo(50_000_000L);
    }

    @Test
    void theLocalFilesDirectoryIsAnAbsolutePathForASelfHostedServerOnly() {
        assertThat(SettingsLoader.load(Optional.empty(), Map.of("TELEGRAM_BOT_TOKEN", "1:a",
                "TELEGRAM_API_URL", "http://127.0.0.1:8081")).telegram().orElseThrow().localFilesDir())
                .as("unset: no local file is read").isEmpty();
        assertThat(SettingsLoader.load(Optional.empty(), Map.of("TELEGRAM_BOT_TOKEN", "1:a",
                "TELEGRAM_API_URL", "http://127.0.0.1:8081", "TELEGRAM_LOCAL_FILES_DIR", "/var/lib/tg/../tg-api/"))
                .telegram().orElseThrow().localFilesDir()).contains(Path.of("/var/lib/tg-api"));
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of("TELEGRAM_BOT_TOKEN", "1:a",
                "TELEGRAM_API_URL", "http://127.0.0.1:8081", "TELEGRAM_LOCAL_FILES_DIR", "tg-api")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TELEGRAM_LOCAL_FILES_DIR").hasMessageContaining("absolute path");
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of("TELEGRAM_BOT_TOKEN", "1:a",
                "TELEGRAM_LOCAL_FILES_DIR", "/var/lib/tg-api")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TELEGRAM_LOCAL_FILES_DIR").hasMessageContaining("public Bot API");
    }

    @Test
    void badValuesNameTheKeyAndWhatIsExpected() {
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of("NEMO_RENDER_POLL_SECONDS", "soon")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("NEMO_RENDER_POLL_SECONDS").hasMessageContaining("whole number");
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of("NEMO_API_URL", "mega-api")))
                .hasMessageContaining("NEMO_API_URL").hasMessageContaining("URL");
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of("AUTO_EXPORT", "maybe")))
                .hasMessageContaining("AUTO_EXPORT").hasMessageContaining("true or false");
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of("DISCORD_BOT_TOKEN", "a b")))
                .hasMessageContaining("DISCORD_BOT_TOKEN").hasMessageNotContaining("a b");
    }

    @Test
    void theSecretKeyMustBe32BytesOfBase64AndIsNeverRepeated() {
        String good = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        assertThat(SettingsLoader.load(Optional.empty(), Map.of("BOT_SECRET_KEY", good)).secretKey())
                .get().extracting(Secret::reveal).isEqualTo(good);
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of("BOT_SECRET_KEY", "tooShortKey")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("BOT_SECRET_KEY").hasMessageContaining("32").hasMessageNotContaining("tooShortKey");
    }

    @Test
    void secretsAreRedactedInToString() {
        Settings s = SettingsLoader.load(Optional.empty(), Map.of(
                "NEMO_TOKEN", "nmv_usr_secret", "TELEGRAM_BOT_TOKEN", "123:tg-secret", "DISCORD_BOT_TOKEN", "dc-secret"));
        assertThat(s.toString()).doesNotContain("nmv_usr_secret", "tg-secret", "dc-secret").contains("***");
    }
}
