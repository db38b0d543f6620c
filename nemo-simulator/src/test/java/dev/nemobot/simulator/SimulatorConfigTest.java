package dev.nemobot.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulatorConfigTest {
    @Test
    void presetsMatchTheSheet() {
        SimulatorConfig fast = SimulatorConfig.fast();
        assertThat(fast.port()).isZero();
        assertThat(fast.tokensPerIp()).isEqualTo(1000);
        assertThat(fast.videoWidth()).isEqualTo(160);
        assertThat(fast.videoHeight()).isEqualTo(90);
        assertThat(fast.videoSeconds()).isEqualTo(2);
        assertThat(fast.videoFps()).isEqualTo(8);
        SimulatorConfig demo = SimulatorConfig.defaults();
        assertThat(demo.port()).isEqualTo(8787);
        assertThat(demo.host()).isEqualTo("127.0.0.1");
        assertThat(demo.startCredits()).isEqualTo(100);
        assertThat(demo.tokensPerIp()).isEqualTo(10);
        assertThat(demo.videoWidth()).isEqualTo(640);
    }

    @Test
    void withersChangeOneValue() {
        SimulatorConfig c = SimulatorConfig.fast().withVideo(320, 180, 3, 12).withStartCredits(5)
                .withTextDelay(Duration.ofMillis(1)).withSilentRatio(0.5).withPort(1234);
        assertThat(c.videoWidth()).isEqualTo(320);
        assertThat(c.videoFps()).isEqualTo(12);
        assertThat(c.startCredits()).isEqualTo(5);
        assertThat(c.silentRatio()).isEqualTo(0.5);
        assertThat(c.port()).isEqualTo(1234);
        assertThat(c.tokensPerIp()).isEqualTo(1000);
    }

    @Test
    void rejectsNonsense() {
        SimulatorConfig f = SimulatorConfig.fast();
        assertThatThrownBy(() -> f.withVideo(161, 90, 2, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.withSilentRatio(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.withHeartbeatEvery(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.withStageDelay(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.withPort(70000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.withTokensPerIp(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyWitherKeepsTheOtherSettingsTheRenderSpreadIncluded() {
        SimulatorConfig c = SimulatorConfig.fast().withRenderSpread(Duration.ofSeconds(7)).withSeed(42);
        assertThat(c.seed()).isEqualTo(42);
        assertThat(c.renderSpread()).isEqualTo(Duration.ofSeconds(7));
    }
}
