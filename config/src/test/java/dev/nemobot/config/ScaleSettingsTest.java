package dev.nemobot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ScaleSettingsTest {
    @Test
    void defaultsAreAdaptivePollingOpenAccessModestLimitsAndNoMetrics() {
        Settings s = SettingsLoader.load(Optional.empty(), Map.of());
        assertThat(s.nemo().pollMode()).isEqualTo(NemoSettings.PollMode.ADAPTIVE);
        assertThat(s.access()).isEqualTo(AccessSettings.open());
        assertThat(s.limits()).isEqualTo(LimitSettings.defaults());
        assertThat(s.metrics().port()).isEmpty();
        assertThat(s.metrics().host()).isEqualTo("127.0.0.1");
    }

    @Test
    void everySettingIsRead() {
        Settings s = SettingsLoader.load(Optional.empty(), Map.of(
                "NEMO_RENDER_POLL", "Fixed", "BOT_ALLOW_USERS", "telegram:1, 2", "BOT_DENY_GUILDS", "g9",
                "BOT_MESSAGES_PER_MINUTE", "0", "BOT_QUEUE_LIMIT", "5", "BOT_DAILY_CREDITS", "200",
                "BOT_MAX_TEXT_CHARS", "500", "METRICS_PORT", "9464", "METRICS_HOST", "0.0.0.0"));
        assertThat(s.nemo().pollMode()).isEqualTo(NemoSettings.PollMode.FIXED);
        assertThat(s.access().allowUsers()).containsExactlyInAnyOrder("telegram:1", "2");
        assertThat(s.access().denyGuilds()).containsExactly("g9");
        assertThat(s.limits()).isEqualTo(new LimitSettings(0, 5, 200, 500));
        assertThat(s.metrics()).isEqualTo(new MetricsSettings(OptionalInt.of(9464), "0.0.0.0"));
    }

    @Test
    void theDefaultTurnBoundIsWhatTheHeapAndTheDescriptorsHold() {
        long mb = 1024L * 1024;
        assertThat(LimitSettings.maxTurns(1024 * mb, 1_048_576)).as("1 GB, many descriptors").isEqualTo(10_000);
        assertThat(LimitSettings.maxTurns(256 * mb, 1_048_576)).as("a 256 MB heap").isEqualTo(2621);
        assertThat(LimitSettings.maxTurns(1024 * mb, 4096)).as("4096 descriptors").isEqualTo(1792);
        assertThat(LimitSettings.maxTurns(1024 * mb, 1024)).as("the common soft limit").isEqualTo(256);
        assertThat(LimitSettings.maxTurns(8 * mb, 256)).as("never below the floor").isEqualTo(16);
        assertThat(LimitSettings.maxTurns(Long.MAX_VALUE, -1)).as("nothing known").isEqualTo(10_000);
    }

    @Test
    void theGlobalTurnBoundsAreReadAndChecked() {
        Settings s = SettingsLoader.load(Optional.empty(), Map.of(
                "BOT_MAX_TURNS", "50", "BOT_MAX_WAITING_TURNS", "2000"));
        assertThat(s.limits().maxTurns()).isEqualTo(50);
        assertThat(s.limits().waitingTurns()).isEqualTo(2000);
        assertThat(LimitSettings.defaults().maxTurns()).isEqualTo(LimitSettings.machineMaxTurns())
                .isBetween(16, LimitSettings.DEFAULT_MAX_TURNS);
        assertThat(LimitSettings.defaults().withQueuedMessages(1).maxTurns()).as("kept by the with-methods")
                .isEqualTo(LimitSettings.machineMaxTurns());
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of("BOT_MAX_TURNS", "0")))
                .hasMessageContaining("BOT_MAX_TURNS");
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of("BOT_MAX_WAITING_TURNS", "many")))
                .hasMessageContaining("BOT_MAX_WAITING_TURNS");
    }

    @Test
    void theDailyBudgetsCreditEstimatesAreRead() {
        Settings s = SettingsLoader.load(Optional.empty(), Map.of(
                "BOT_DAILY_CREDITS", "50", "BOT_GENERATION_CREDITS", "25", "BOT_EDIT_CREDITS", "0"));
        assertThat(s.limits()).isEqualTo(new LimitSettings(20, 9, 50, 2000, 25, 0));
        assertThat(LimitSettings.defaults().generationCredits()).isEqualTo(10);
        assertThat(LimitSettings.defaults().editCredits()).isEqualTo(2);
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of("BOT_EDIT_CREDITS", "-1")))
                .hasMessageContaining("BOT_EDIT_CREDITS");
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of("NEMO_RENDER_POLL", "sometimes")))
                .hasMessageContaining("NEMO_RENDER_POLL").hasMessageContaining("adaptive or fixed");
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of("BOT_DENY_USERS", "a b")))
                .hasMessageContaining("BOT_DENY_USERS");
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of("METRICS_PORT", "70000")))
                .hasMessageContaining("METRICS_PORT");
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of("BOT_QUEUE_LIMIT", "-1")))
                .hasMessageContaining("BOT_QUEUE_LIMIT");
    }

    @Test
    void downloadHostsAreReadAndCheckedNamingTheKey() {
        assertThat(SettingsLoader.load(Optional.empty(), Map.of()).nemo().downloadHosts()).isEmpty();
        Settings s = SettingsLoader.load(Optional.empty(), Map.of("NEMO_DOWNLOAD_HOSTS", " CDN.Example.com, ,v.example.net"));
        assertThat(s.nemo().downloadHosts()).containsExactly("cdn.example.com", "v.example.net");
        assertThat(SettingsLoader.load(Optional.empty(), Map.of("NEMO_DOWNLOAD_HOSTS",
                "cdn.example.com:8443,[::1]:9000,[fd00::2]")).nemo().downloadHosts())
                .containsExactly("cdn.example.com:8443", "[::1]:9000", "[fd00::2]");
        for (String bad : new String[] {"https://cdn.example.com", "cdn.example.com:0", "cdn.example.com:65536",
                "cdn.example.com:", "cdn.example.com:443:1", "::1:9000", "cdn.example.com/videos",
                "cdn example.com", "-cdn.example.com"}) {
            assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of("NEMO_DOWNLOAD_HOSTS", bad)))
                    .as(bad).hasMessageContaining("NEMO_DOWNLOAD_HOSTS");
        }
    }
}
