package dev.nemobot.core.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Tests wait with Awaitility: {@code await(what).atMost(timeout).until(condition)}. Kept for branches in flight; remove. */
public final class Await {
    private Await() {
    }

    public static void until(BooleanSupplier condition, Duration timeout, String what) {
        await(what).atMost(timeout).until(condition::getAsBoolean);
    }
}
