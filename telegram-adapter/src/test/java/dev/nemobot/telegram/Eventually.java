package dev.nemobot.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Tests wait with Awaitility: {@code await().atMost(timeout).untilAsserted(() -> assertThat(...).as(what)...)}.
 * Kept for branches in flight; remove.
 */
final class Eventually {
    private Eventually() {
    }

    static void until(BooleanSupplier condition, Duration timeout, Supplier<String> what) {
        await().atMost(timeout).untilAsserted(() -> assertThat(condition.getAsBoolean()).as(what).isTrue());
    }
}
