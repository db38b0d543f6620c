package dev.nemobot.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The defaults reach the tests through the launcher session, not through a call in the test. */
class AwaitilityDefaultsTest {
    @Test
    void conditionsAreCheckedOnTheTestThread() {
        Thread test = Thread.currentThread();
        AtomicReference<Thread> checkedOn = new AtomicReference<>();
        int[] checks = {0};
        await("the third check").atMost(Duration.ofSeconds(30)).until(() -> {
            checkedOn.set(Thread.currentThread());
            return ++checks[0] == 3;
        });
        // Awaitility's own default checks on a thread of its own
        assertThat(checkedOn.get()).isSameAs(test);
    }
}
