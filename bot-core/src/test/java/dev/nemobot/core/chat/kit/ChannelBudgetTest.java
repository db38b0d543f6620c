package dev.nemobot.core.chat.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.kit.ChannelBudget.Kind;
import dev.nemobot.core.chat.kit.ChannelBudget.Limit;
import dev.nemobot.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class ChannelBudgetTest {

    /** A clock moved by the test and a scheduler whose tasks run when the clock passes their time. */
    private static final class ManualTime {
        private record Task(Instant at, Runnable run) {
        }

        final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        final List<Task> tasks = new ArrayList<>();

        void schedule(Runnable task, Duration delay) {
            tasks.add(new Task(clock.instant().plus(delay), task));
        }

        void advance(Duration d) {
            Instant end = clock.instant().plus(d);
            while (true) {
                Task next = tasks.stream().filter(t -> !t.at().isAfter(end)).min(Comparator.comparing(Task::at)).orElse(null);
                if (next == null) {
                    break;
                }
                tasks.remove(next);
                if (next.at().isAfter(clock.instant())) {
                    clock.set(next.at());
                }
                next.run().run();
            }
            clock.set(end);
        }
    }

    private final ManualTime time = new ManualTime();
    private final List<String> shown = new ArrayList<>();

    private ChannelBudget budget(Limit limit, int maxPending) {
        return new ChannelBudget(time.clock, time::schedule, c -> limit, maxPending, 100);
    }

    private CompletableFuture<Boolean> edit(ChannelBudget b, String message, Kind kind, String text) {
        return b.submit("chan", message, kind, () -> {
            shown.add(message + ":" + text);
            return CompletableFuture.completedFuture(null);
        });
    }

    @Test
    void withinTheLimitEverythingGoesAtOnceThenOneSlotOpensAsTheOldestLeavesTheWindow() {
        ChannelBudget b = budget(new Limit(2, Duration.ofSeconds(2)), 10);
        edit(b, "a", Kind.PROGRESS, "1");
        time.advance(Duration.ofMillis(500));
        edit(b, "b", Kind.PROGRESS, "1");
        edit(b, "c", Kind.PROGRESS, "1");
        assertThat(shown).containsExactly("a:1", "b:1");
        time.advance(Duration.ofMillis(1499));
        assertThat(shown).hasSize(2);
        time.advance(Duration.ofMillis(1));
        assertThat(shown).containsExactly("a:1", "b:1", "c:1");
    }

    @Test
    void aSendThatTakesTheProgressMessagesPlaceDropsItsWaitingPercentageAndWaitsForTheOneInFlight() {
        ChannelBudget b = budget(new Limit(5, Duration.ofSeconds(1)), 10);
        CompletableFuture<Void> inFlight = new CompletableFuture<>();
        b.submit("chan", "p", Kind.PROGRESS, () -> {
            shown.add("p:40%");
            return inFlight;
        });
        CompletableFuture<Boolean> waiting = edit(b, "p", Kind.PROGRESS, "90%");
        CompletableFuture<String> video = b.send("chan", "p", () -> {
            shown.add("video");
            return CompletableFuture.completedFuture("v1");
        });
        assertThat(waiting).as("the newer state replaced it").isCompletedWithValue(false);
        assertThat(shown).as("the video waits for the edit in flight").containsExactly("p:40%");
        inFlight.complete(null);
        assertThat(video).isCompletedWithValue("v1");
        assertThat(shown).containsExactly("p:40%", "video");
    }

    @Test
    void theNewestStateOfAMessageWinsAndKeepsItsPlaceInTheRotation() {
        ChannelBudget b = budget(new Limit(1, Duration.ofSeconds(1)), 10);
        edit(b, "x", Kind.PROGRESS, "0");
        CompletableFuture<Boolean> a10 = edit(b, "a", Kind.PROGRESS, "10%");
        edit(b, "b", Kind.PROGRESS, "10%");
        CompletableFuture<Boolean> a20 = edit(b, "a", Kind.PROGRESS, "20%");
        assertThat(a10).isCompletedWithValue(false);
        time.advance(Duration.ofSeconds(1));
        time.advance(Duration.ofSeconds(1));
        assertThat(shown).containsExactly("x:0", "a:20%", "b:10%");
        assertThat(a20).isCompletedWithValue(true);
    }

    @Test
    void everyJobGetsATurnEvenWhenOneUpdatesFarMoreOften() {
        ChannelBudget b = budget(new Limit(1, Duration.ofSeconds(1)), 10);
        for (int second = 0; second < 6; second++) {
            edit(b, "busy", Kind.PROGRESS, second + "s");
            if (second == 0) {
                for (String job : List.of("j1", "j2", "j3", "j4")) {
                    edit(b, job, Kind.PROGRESS, "5%");
                }
            }
            time.advance(Duration.ofSeconds(1));
        }
        assertThat(shown).contains("j1:5%", "j2:5%", "j3:5%", "j4:5%");
        assertThat(shown.stream().filter(s -> s.startsWith("busy")).count()).isBetween(1L, 3L);
    }

    @Test
    void aFinalStateGoesBeforeTheProgressOfOtherJobs() {
        ChannelBudget b = budget(new Limit(1, Duration.ofSeconds(1)), 10);
        edit(b, "x", Kind.PROGRESS, "0");
        edit(b, "a", Kind.PROGRESS, "50%");
        edit(b, "b", Kind.PROGRESS, "50%");
        CompletableFuture<String> sent = b.send("chan", () -> {
            shown.add("new message");
            return CompletableFuture.completedFuture("id-1");
        });
        edit(b, "c", Kind.FINAL, "Video ready!");
        time.advance(Duration.ofSeconds(1));
        assertThat(sent).isCompletedWithValue("id-1");
        time.advance(Duration.ofSeconds(1));
        assertThat(shown).containsExactly("x:0", "new message", "c:Video ready!");
        time.advance(Duration.ofSeconds(2));
        assertThat(shown).containsExactly("x:0", "new message", "c:Video ready!", "a:50%", "b:50%");
    }

    @Test
    void aMessagesNextStateWaitsUntilItsPreviousRequestCompleted() {
        ChannelBudget b = budget(new Limit(10, Duration.ofSeconds(1)), 10);
        CompletableFuture<Void> firstRequest = new CompletableFuture<>();
        List<String> started = new ArrayList<>();
        b.submit("chan", "a", Kind.PROGRESS, () -> {
            started.add("a:40%");
            return firstRequest;
        });
        b.submit("chan", "a", Kind.PROGRESS, () -> {
            started.add("a:60%");
            return CompletableFuture.completedFuture(null);
        });
        CompletableFuture<Boolean> last = b.submit("chan", "a", Kind.FINAL, () -> {
            started.add("a:done");
            return CompletableFuture.completedFuture(null);
        });
        assertThat(started).containsExactly("a:40%");
        firstRequest.complete(null);
        assertThat(started).containsExactly("a:40%", "a:done");
        assertThat(last).isCompletedWithValue(true);
    }

    @Test
    void aFailedRequestFailsItsFutureAndFreesTheMessage() {
        ChannelBudget b = budget(new Limit(10, Duration.ofSeconds(1)), 10);
        CompletableFuture<Boolean> failed = b.submit("chan", "a", Kind.FINAL,
                () -> CompletableFuture.failedFuture(new IllegalStateException("refused")));
        assertThat(failed).isCompletedExceptionally();
        edit(b, "a", Kind.FINAL, "again");
        assertThat(shown).containsExactly("a:again");
    }

    @Test
    void theQueueIsBoundedTheOldestProgressGivesWayAndFinalsAreRefusedOnlyWhenNothingCanGo() {
        ChannelBudget b = budget(new Limit(1, Duration.ofSeconds(1)), 2);
        edit(b, "x", Kind.PROGRESS, "0");
        CompletableFuture<Boolean> p1 = edit(b, "p1", Kind.PROGRESS, "1");
        edit(b, "f1", Kind.FINAL, "1");
        CompletableFuture<Boolean> f2 = edit(b, "f2", Kind.FINAL, "2");
        assertThat(p1).isCompletedWithValue(false);
        assertThat(f2).isNotDone();
        CompletableFuture<Boolean> f3 = edit(b, "f3", Kind.FINAL, "3");
        assertThat(f3).isCompletedExceptionally();
        assertThat(b.waiting("chan")).isEqualTo(2);
        org.assertj.core.api.Assertions.assertThatThrownBy(f3::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(RejectedExecutionException.class);
        time.advance(Duration.ofSeconds(2));
        assertThat(shown).containsExactly("x:0", "f1:1", "f2:2");
        assertThat(b.waiting("chan")).isZero();
    }

    @Test
    void aSlotCountsFromWhenItsRequestCompleted() {
        ChannelBudget b = budget(new Limit(1, Duration.ofSeconds(1)), 10);
        CompletableFuture<Void> slow = new CompletableFuture<>();
        b.submit("chan", "a", Kind.FINAL, () -> slow);
        edit(b, "b", Kind.PROGRESS, "1");
        time.advance(Duration.ofMillis(800));
        slow.complete(null); // it may have reached the platform only now
        time.advance(Duration.ofMillis(900));
        assertThat(shown).isEmpty();
        time.advance(Duration.ofMillis(100));
        assertThat(shown).containsExactly("b:1");
    }

    @Test
    void channelsHaveTheirOwnBudget() {
        ChannelBudget b = budget(new Limit(1, Duration.ofSeconds(1)), 10);
        edit(b, "a", Kind.PROGRESS, "1");
        b.submit("other", "z", Kind.PROGRESS, () -> {
            shown.add("z:1");
            return CompletableFuture.completedFuture(null);
        });
        assertThat(shown).containsExactly("a:1", "z:1");
    }
}
