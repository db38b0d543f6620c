package dev.nemobot.testing;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * How every test waits, set once when the JUnit launcher opens its session (registered in
 * {@code META-INF/services}, so every module with this module on its test class path gets it, under Maven and in the
 * IDE alike). Tests wait with Awaitility ({@code await("what").atMost(timeout).until(...)}); these defaults keep the
 * waits as the tests' own helpers made them: the condition is checked at once and then every 5 ms, on the test's
 * thread (so a condition may read what the test thread holds, and a failure's stack trace is the test's).
 */
public final class AwaitilityDefaults implements LauncherSessionListener {
    /** Between two checks of a condition: short, so a test goes on as soon as what it waits for is there. */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(5);

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        apply();
    }

    /** Sets the defaults (for a runner that does not open a launcher session). */
    public static void apply() {
        Awaitility.pollInSameThread();
        Awaitility.setDefaultPollDelay(Duration.ZERO);
        Awaitility.setDefaultPollInterval(POLL_INTERVAL);
    }
}
