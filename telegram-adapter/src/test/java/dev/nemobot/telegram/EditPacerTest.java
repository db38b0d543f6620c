package dev.nemobot.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The pacer on a fake clock: waiting advances the clock instead of sleeping. */
class EditPacerTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Duration> waits = new ArrayList<>();
    private final EditPacer pacer = new EditPacer(Duration.ofSeconds(1), now::get, d -> {
        waits.add(d);
        now.addAndGet(d.toNanos());
    });

    @Test
    void theFirstEditGoesAtOnceAndTheNextWaitsForTheSlot() throws InterruptedException {
        assertThat(pacer.awaitSlot("1", "10")).isTrue();
        now.addAndGet(Duration.ofMillis(300).toNanos());
        assertThat(pacer.awaitSlot("1", "10")).isTrue();
        assertThat(waits).containsExactly(Duration.ofMillis(700));
    }

    @Test
    void chatsArePacedIndependently() throws InterruptedException {
        pacer.awaitSlot("1", "10");
        pacer.awaitSlot("2", "20");
        assertThat(waits).isEmpty();
    }

    @Test
    void anEditOvertakenByANewerOneOfTheSameMessageIsDropped() throws InterruptedException {
        List<Boolean> results = new ArrayList<>();
        EditPacer overtaking = new EditPacer(Duration.ofSeconds(1), now::get, new Tuning.Sleeper() {
            boolean nested;

            @Override
            public void sleep(Duration d) throws InterruptedException {
                now.addAndGet(d.toNanos());
                if (!nested) {
                    nested = true; // while the first waits, a newer edit of the same message arrives
                    results.add(pacerCall());
                }
            }

            private boolean pacerCall() throws InterruptedException {
                return EditPacerTest.this.overtaking.awaitSlot("1", "10");
            }
        });
        this.overtaking = overtaking;
        overtaking.awaitSlot("1", "10");
        boolean first = overtaking.awaitSlot("1", "10");
        assertThat(results).containsExactly(true);
        assertThat(first).isFalse();
    }

    private EditPacer overtaking;
}
