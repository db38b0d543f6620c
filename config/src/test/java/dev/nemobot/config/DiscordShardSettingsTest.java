package dev.nemobot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nemobot.config.DiscordSettings.Shards;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DiscordShardSettingsTest {

    private static Shards load(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("DISCORD_BOT_TOKEN", "dc-token");
        return SettingsLoader.load(Optional.empty(), env).discord().orElseThrow().shards();
    }

    @Test
    void unsetMeansOneUnshardedSession() {
        Shards shards = load(Map.of());
        assertThat(shards).isEqualTo(Shards.SINGLE);
        assertThat(shards.sharded()).isFalse();
        assertThat(shards.holdsShardZero()).isTrue();
    }

    @Test
    void theTotalAloneRunsEveryShardHere() {
        assertThat(load(Map.of("DISCORD_SHARDS_TOTAL", "4"))).isEqualTo(new Shards(4, List.of(0, 1, 2, 3)));
    }

    @Test
    void rangesSingleIdsAndListsAreRead() {
        assertThat(load(Map.of("DISCORD_SHARDS_TOTAL", "8", "DISCORD_SHARDS", "4-7")).ids()).containsExactly(4, 5, 6, 7);
        assertThat(load(Map.of("DISCORD_SHARDS_TOTAL", "8", "DISCORD_SHARDS", "3")).ids()).containsExactly(3);
        Shards list = load(Map.of("DISCORD_SHARDS_TOTAL", "8", "DISCORD_SHARDS", " 6, 0 - 1 ,5,1"));
        assertThat(list.ids()).containsExactly(0, 1, 5, 6);
        assertThat(list.holdsShardZero()).isTrue();
        assertThat(list).hasToString("0-1,5-6 of 8");
        Shards upper = load(Map.of("DISCORD_SHARDS_TOTAL", "2", "DISCORD_SHARDS", "1-1"));
        assertThat(upper.ids()).containsExactly(1);
        assertThat(upper.holdsShardZero()).isFalse();
        assertThat(upper.sharded()).isTrue();
    }

    @Test
    void aRangeWithoutTheTotalIsRefusedNamingBothKeys() {
        assertThatThrownBy(() -> load(Map.of("DISCORD_SHARDS", "0-1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("DISCORD_SHARDS=0-1").hasMessageContaining("DISCORD_SHARDS_TOTAL");
    }

    @Test
    void badTotalsAreRefused() {
        for (String bad : List.of("0", "-1", "two", "100001", "1.5")) {
            assertThatThrownBy(() -> load(Map.of("DISCORD_SHARDS_TOTAL", bad)))
                    .as(bad).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("DISCORD_SHARDS_TOTAL=" + bad).hasMessageContaining("whole number from 1");
        }
    }

    @Test
    void badRangesAreRefusedWithWhatIsExpected() {
        for (String bad : List.of("4", "0-4", "3-1", "-1", "a-b", "0,,1", "0-1,", "1 2", "0..3", "9999999")) {
            assertThatThrownBy(() -> load(Map.of("DISCORD_SHARDS_TOTAL", "4", "DISCORD_SHARDS", bad)))
                    .as(bad).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("DISCORD_SHARDS=" + bad)
                    .hasMessageContaining("from 0 to 3");
        }
    }

    @Test
    void theRecordValidatesItself() {
        assertThatThrownBy(() -> new Shards(0, List.of(0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Shards(2, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Shards(2, List.of(2))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Shards(4, List.of(1, 0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Shards(4, List.of(1, 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Shards.range(2, 1, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Shards.range(1, 2, 4).ids()).containsExactly(1, 2);
        assertThat(Shards.all(1)).isEqualTo(Shards.SINGLE);
    }
}
