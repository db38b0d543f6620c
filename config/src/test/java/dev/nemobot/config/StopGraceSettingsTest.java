package dev.nemobot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** BOT_STOP_GRACE_SECONDS: how long SIGTERM waits for work in flight (the container image sets 5). */
class StopGraceSettingsTest {
    @Test
    void twentySecondsUnlessSetAndKeptByTheWithMethods() {
        Settings s = SettingsLoader.load(Optional.empty(), Map.of());
        assertThat(s.stopGrace()).isEqualTo(Duration.ofSeconds(20)).isEqualTo(Settings.DEFAULT_STOP_GRACE);
        Settings five = SettingsLoader.load(Optional.empty(), Map.of("BOT_STOP_GRACE_SECONDS", "5"));
        assertThat(five.stopGrace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(five.withAutoExport(false).withLimits(LimitSettings.defaults()).stopGrace())
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(SettingsLoader.load(Optional.empty(), Map.of("BOT_STOP_GRACE_SECONDS", "0")).stopGrace())
                .as("0: cancel at once, record what is left").isZero();
    }

    @Test
    void aBadValueNamesTheKey() {
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of("BOT_STOP_GRACE_SECONDS", "601")))
                .hasMessageContaining("BOT_STOP_GRACE_SECONDS");
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of("BOT_STOP_GRACE_SECONDS", "soon")))
                .hasMessageContaining("BOT_STOP_GRACE_SECONDS");
    }
}
