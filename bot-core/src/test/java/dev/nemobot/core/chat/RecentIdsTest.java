package dev.nemobot.core.chat;

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

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThatThrownBy(() -> new RecentIds(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
