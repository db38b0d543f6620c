package dev.nemobot.core.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or a deadline passes: the only way tests wait (never a bare sleep). */
public final class Await {
    private Await() {
    }

    /**
     * Returns as soon as {@code condition} is true.
     *
     * @throws AssertionError naming {@code what} when {@code timeout} passes first
     */
    public static void until(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
            }
            // a short park between polls; the condition, not the pause, is what the test waits for
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
        }
    }
}
