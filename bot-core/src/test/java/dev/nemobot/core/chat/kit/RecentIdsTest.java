package dev.nemobot.core.chat.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecentIdsTest {
    @Test
    void anIdIsNewOnceAndTheOldestAreForgottenBeyondTheCapacity() {
        RecentIds ids = new RecentIds(2);
        assertThat(ids.firstTime("a")).isTrue();
        assertThat(ids.firstTime("a")).isFalse();
        assertThat(ids.seen("b")).as("looking does not remember").isFalse();
        ids.firstTime("b");
        ids.firstTime("c");
        assertThat(ids.seen("a")).isFalse();
        assertThat(ids.firstTime("a")).isTrue();
        assertThat(ids.firstTime("c")).isFalse();
    }

    /** Why this is no Caffeine cache: ids repeated often must not push out the ones offered last. */
    @Test
    void theLastIdsAreRememberedHoweverOftenOlderOnesWereRepeated() {
        int capacity = 1_000;
        RecentIds ids = new RecentIds(capacity);
        for (int i = 0; i < capacity; i++) {
            ids.firstTime("old" + i);
        }
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < capacity; i++) {
                ids.firstTime("old" + i);
                ids.seen("old" + i);
            }
        }
        for (int i = 0; i < 5 * capacity; i++) {
            assertThat(ids.firstTime("new" + i)).isTrue();
        }
        for (int i = 4 * capacity; i < 5 * capacity; i++) {
            assertThat(ids.seen("new" + i)).as("new%d", i).isTrue();
        }
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThatThrownBy(() -> new RecentIds(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
