package dev.nemobot.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nemobot.config.Secret;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What each port of a {@link Store} does for one instance, whatever keeps it: run against SQLite and PostgreSQL
 * ({@link StoreContractTest}) and against the in-memory store ({@link MemoryStoreTest}), so that engine specs on
 * the in-memory ports see what the real store does.
 */
abstract class StorePortsContract {
    static final Duration LEASE = Duration.ofSeconds(30);
    static final ChatUser BO = new ChatUser("discord", "7", "Bo", Locale.CHINA);
    static final ChatUser AL = new ChatUser("telegram", "8", "Al", Locale.UK);
    static final Conversation CHAN = new Conversation("discord", "chan", true, "guild-1");

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));

    /** A store of instance {@code instance}, closed after the test. */
    abstract Store open(String instance);

    static PendingExport export(String renderId, long submittedAt) {
        return new PendingExport(renderId, BO, CHAN, "task", "sess-" + renderId, Instant.ofEpochMilli(submittedAt));
    }

    @Test
    void anIdentityIsFoundAsItWasLastSaved() {
        IdentityRecords ids = open("a").identities();
        assertThat(ids.find("telegram:1")).isEmpty();
        StoredIdentity bare = new StoredIdentity("telegram:1", "client", Optional.empty(), Optional.empty(),
                Optional.empty());
        ids.save(bare);
        assertThat(ids.find("telegram:1")).contains(bare);
        StoredIdentity full = bare.withToken(Secret.of("nmv_usr_x"), Instant.parse("2030-01-01T00:00:00Z"))
                .withSession(new StoredIdentity.StoredSession("task", "sess", Optional.of("bind"), "zh"));
        ids.save(full);
        assertThat(ids.find("telegram:1")).contains(full);
        assertThat(ids.find("telegram:1").orElseThrow().token().orElseThrow().reveal()).isEqualTo("nmv_usr_x");
        assertThat(ids.find("telegram:2")).isEmpty();
    }

    @Test
    void anExportGoesFromRenderingToDeliveredOnce() {
        ExportJobs jobs = open("a").exports();
        assertThat(jobs.state("render_1")).isEmpty();
        jobs.save(export("render_1", 1000));
        assertThat(jobs.state("render_1")).contains("rendering");
        assertThat(jobs.runningElsewhere("sess-render_1")).as("it runs here").isFalse();
        assertThat(jobs.pending("discord")).containsExactly(export("render_1", 1000));
        assertThat(jobs.pending("telegram")).isEmpty();
        assertThat(jobs.startDelivery("render_1")).isTrue();
        assertThat(jobs.state("render_1")).contains("delivering");
        jobs.finish("render_1", true);
        assertThat(jobs.state("render_1")).contains("delivered");
        assertThat(jobs.startDelivery("render_1")).as("delivered once").isFalse();
        assertThat(jobs.pending("discord")).isEmpty();
        assertThat(jobs.claim("discord", true, 10)).isEmpty();
    }

    @Test
    void anExportIsResumedWhereItWasAskedInItsTopicQuotingItsRequest() {
        ExportJobs jobs = open("a").exports();
        Conversation topic = new Conversation("telegram", "-100777", true, "", "7");
        PendingExport asked = new PendingExport("render_1", AL, topic, "task", "sess-1", Instant.ofEpochMilli(1000),
                Optional.of("120"), "115", "make the clouds move");
        jobs.save(asked);
        assertThat(jobs.pending("telegram")).containsExactly(asked);
        PendingExport claimed = jobs.claim("telegram", true, 10).getFirst();
        assertThat(claimed).isEqualTo(asked);
        assertThat(claimed.replyTo().conversation().thread()).isEqualTo("7");
        assertThat(claimed.replyTo().request()).isEqualTo("115");
    }

    @Test
    void aRemovedOrEndedExportIsNotResumed() {
        ExportJobs jobs = open("a").exports();
        jobs.save(export("render_1", 1000));
        jobs.save(export("render_2", 2000));
        jobs.remove("render_1");
        jobs.finish("render_2", false);
        assertThat(jobs.state("render_1")).isEmpty();
        assertThat(jobs.state("render_2")).contains("ended");
        assertThat(jobs.startDelivery("render_2")).isFalse();
        assertThat(jobs.claim("discord", true, 10)).isEmpty();
        jobs.save(export("render_2", 2000));
        assertThat(jobs.state("render_2")).as("saved again: rendering again").contains("rendering");
    }

    @Test
    void ownExportsAreTakenBackOldestFirstOnlyAtStartAndAReleasedOneByTheNextToLook() {
        ExportJobs jobs = open("a").exports();
        jobs.save(export("render_3", 3000));
        jobs.save(export("render_1", 1000));
        jobs.save(export("render_2", 2000));
        assertThat(jobs.claim("discord", false, 10)).as("running here").isEmpty();
        assertThat(jobs.claim("discord", true, 2)).extracting(PendingExport::renderId)
                .containsExactly("render_1", "render_2");
        jobs.release("render_3");
        assertThat(jobs.startDelivery("render_3")).as("released: no longer ours").isFalse();
        assertThat(jobs.claim("telegram", false, 10)).isEmpty();
        assertThat(jobs.claim("discord", false, 10)).extracting(PendingExport::renderId).containsExactly("render_3");
        assertThat(jobs.startDelivery("render_3")).isTrue();
    }

    @Test
    void anInstanceNeverTakesOverItsOwnRunningWorkEvenWhenItsLeaseLapsed() {
        Store a = open("a");
        a.exports().save(export("render_1", 1000));
        a.turns().claim(BO, CHAN, clock.instant(), "t1");
        clock.advance(LEASE.multipliedBy(2)); // a stalled: its leases lapsed, but it is alive and doing the work
        assertThat(a.exports().claim("discord", false, 10)).isEmpty();
        assertThat(a.turns().claimInterrupted("discord", false)).isEmpty();
        assertThat(a.exports().startDelivery("render_1")).as("still a's").isTrue();
    }

    @Test
    void aTurnIsHeldUntilItsOwnEndAndOwnTurnsAreTakenBackOnlyAtStart() {
        TurnClaims turns = open("a").turns();
        Instant started = clock.instant();
        assertThat(turns.claim(BO, CHAN, started, "t1")).isTrue();
        assertThat(turns.claim(BO, CHAN, started, "t2")).as("its own next turn").isTrue();
        turns.end(BO.key(), "t1"); // an older turn's end does not release the newer one
        assertThat(turns.claimInterrupted("discord", false)).as("running here").isEmpty();
        assertThat(turns.claimInterrupted("telegram", true)).as("another platform's").isEmpty();
        assertThat(turns.claimInterrupted("discord", true)).containsExactly(new InterruptedTurn(BO, CHAN, started));
        assertThat(turns.claimInterrupted("discord", true)).as("told once").isEmpty();
        assertThat(turns.claim(BO, CHAN, started, "t3")).isTrue();
        turns.end(BO.key(), "t3");
        assertThat(turns.claimInterrupted("discord", true)).as("ended: nothing cut off").isEmpty();
    }

    @Test
    void aTurnCutOffInAForumTopicIsToldThere() {
        TurnClaims turns = open("a").turns();
        Conversation topic = new Conversation("telegram", "-100777", true, "", "7");
        Instant started = clock.instant();
        assertThat(turns.claim(AL, topic, started, "t1")).isTrue();
        assertThat(turns.claimInterrupted("telegram", true)).containsExactly(new InterruptedTurn(AL, topic, started));
    }

    @Test
    void handledMessagesAreKeptUntilTheirRetentionEnds() {
        Store s = open("a");
        s.handled().record("telegram", "5001", Instant.ofEpochSecond(100));
        s.handled().record("telegram", "5001", Instant.ofEpochSecond(150)); // a redelivery changes nothing
        s.handled().record("discord", "99", Instant.ofEpochSecond(200));
        assertThat(s.handled().since(Instant.ofEpochSecond(0), 10))
                .containsExactly(Map.entry("discord", "99"), Map.entry("telegram", "5001"));
        assertThat(s.handled().since(Instant.ofEpochSecond(0), 1)).hasSize(1);
        s.handled().forgetBefore(Instant.ofEpochSecond(180));
        assertThat(s.handled().since(Instant.ofEpochSecond(0), 10)).containsExactly(Map.entry("discord", "99"));
    }

    @Test
    void aHandledMessageIsClaimedOnceAndARecordedOneIsNotClaimedAgain() throws Exception {
        HandledMessages handled = open("a").handled();
        handled.record("telegram", "recorded", Instant.ofEpochSecond(100));
        handled.since(Instant.EPOCH, 1); // written behind: read once, so it is written
        assertThat(handled.claim("telegram", "recorded", Instant.ofEpochSecond(101))).isFalse();
        assertThat(handled.claim("telegram", "7", Instant.ofEpochSecond(101))).isTrue();
        assertThat(handled.claim("telegram", "7", Instant.ofEpochSecond(102))).isFalse();
        assertThat(handled.claim("discord", "7", Instant.ofEpochSecond(102))).as("per platform").isTrue();
        List<Future<Boolean>> claims = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                claims.add(pool.submit(() -> handled.claim("discord", "42", Instant.ofEpochSecond(200))));
            }
        }
        long won = 0;
        for (Future<Boolean> c : claims) {
            won += c.get() ? 1 : 0;
        }
        assertThat(won).as("claims that won").isEqualTo(1);
        assertThat(handled.since(Instant.EPOCH, 10)).contains(Map.entry("discord", "42"), Map.entry("telegram", "7"));
    }

    @Test
    void aFinishedExportIsForgottenByThePruneAWeekLater() {
        Store s = open("a");
        s.exports().save(export("render_1", 1000));
        s.exports().finish("render_1", true);
        clock.advance(Duration.ofDays(6));
        s.pruneExpired();
        assertThat(s.exports().state("render_1")).as("kept a week").contains("delivered");
        clock.advance(Duration.ofDays(2));
        s.pruneExpired();
        assertThat(s.exports().state("render_1")).isEmpty();
    }

    @Test
    void aUsersDefaultOptionsAreKeptUntilChangedOrCleared() {
        UserDefaults defaults = open("a").defaults();
        assertThat(defaults.get(BO.key())).isEmpty();
        defaults.put(BO.key(), "--ar 9:16 --quality 720p");
        defaults.put(AL.key(), "--style anime --no \"text, blur\"");
        assertThat(defaults.get(BO.key())).isEqualTo("--ar 9:16 --quality 720p");
        defaults.put(BO.key(), "--ar 1:1");
        assertThat(defaults.get(BO.key())).as("replaced, not added to").isEqualTo("--ar 1:1");
        assertThat(defaults.get(AL.key())).isEqualTo("--style anime --no \"text, blur\"");
        defaults.put(BO.key(), "");
        assertThat(defaults.get(BO.key())).as("cleared").isEmpty();
        assertThat(defaults.get(AL.key())).as("another user's stay").isNotEmpty();
        assertThatThrownBy(() -> defaults.put(BO.key(), "x".repeat(UserDefaults.MAX_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aResultsRequestIsFoundByItsIdForItsOwnerOnly() {
        Results results = open("a").results();
        StoredResult first = new StoredResult("r1", BO.key(), "sess-1", "animate the cat", Optional.of(
                "https://img.example/cat.png"), clock.instant());
        results.save(first);
        clock.advance(Duration.ofMinutes(1));
        StoredResult second = new StoredResult("r2", BO.key(), "sess-1", "make it rain", Optional.empty(),
                clock.instant());
        results.save(second);
        assertThat(results.find(BO.key(), "r1")).contains(first);
        assertThat(results.find(BO.key(), "r2")).contains(second);
        assertThat(results.find(AL.key(), "r1")).as("another user's").isEmpty();
        assertThat(results.find(BO.key(), "r9")).isEmpty();
        assertThat(results.latest(BO.key(), "sess-1")).contains(second);
        assertThat(results.latest(BO.key(), "sess-2")).isEmpty();
        assertThat(results.latest(AL.key(), "sess-1")).isEmpty();
    }

    @Test
    void aResultsRequestIsForgottenByThePruneThirtyDaysLater() {
        Store s = open("a");
        s.results().save(new StoredResult("r1", BO.key(), "sess-1", "animate the cat", Optional.empty(),
                clock.instant()));
        clock.advance(Results.KEEP.minusDays(1));
        s.pruneExpired();
        assertThat(s.results().find(BO.key(), "r1")).as("kept thirty days").isPresent();
        clock.advance(Duration.ofDays(2));
        s.pruneExpired();
        assertThat(s.results().find(BO.key(), "r1")).isEmpty();
        assertThat(s.results().latest(BO.key(), "sess-1")).isEmpty();
    }

    @Test
    void aUsersHistoryListsTheirDeliveredResultsNewestDeliveryFirstInPages() {
        Results results = open("a").results();
        for (int i = 1; i <= 7; i++) {
            results.save(new StoredResult("r" + i, BO.key(), "sess-1", "prompt " + i, Optional.empty(),
                    clock.instant()));
            clock.advance(Duration.ofMinutes(1));
        }
        results.save(new StoredResult("al1", AL.key(), "sess-9", "not Bo's", Optional.empty(), clock.instant()));
        for (int i = 1; i <= 7; i++) {
            if (i != 3) { // r3 was made but never delivered: not listed
                results.delivered(BO.key(), "r" + i, clock.instant(), Optional.of("https://cdn.example/r" + i + ".mp4"));
            }
            clock.advance(Duration.ofMinutes(1));
        }
        results.delivered(AL.key(), "al1", clock.instant(), Optional.empty());
        results.delivered(AL.key(), "r4", clock.instant(), Optional.of("https://evil.example/x.mp4"));
        assertThat(results.history(BO.key(), 0, 3)).extracting(StoredResult::resultId)
                .containsExactly("r7", "r6", "r5");
        assertThat(results.history(BO.key(), 3, 3)).extracting(StoredResult::resultId)
                .containsExactly("r4", "r2", "r1");
        assertThat(results.history(BO.key(), 6, 3)).isEmpty();
        assertThat(results.history(AL.key(), 0, 10)).extracting(StoredResult::resultId)
                .as("another user's results never show, and nobody marks them delivered").containsExactly("al1");
        StoredResult r4 = results.history(BO.key(), 3, 1).getFirst();
        assertThat(r4.prompt()).isEqualTo("prompt 4");
        assertThat(r4.videoUrl()).as("its own delivery's link").contains("https://cdn.example/r4.mp4");
        assertThat(r4.deliveredAt()).contains(Instant.parse("2026-11-25T10:10:00Z"));
        assertThat(results.find(BO.key(), "r4")).contains(r4);
        assertThat(results.history(AL.key(), 0, 1).getFirst().videoUrl()).isEmpty();
        // a second delivery of a result (an export after an edit) makes it the newest, with that delivery's link
        clock.advance(Duration.ofMinutes(1));
        results.delivered(BO.key(), "r1", clock.instant(), Optional.empty());
        assertThat(results.history(BO.key(), 0, 2)).extracting(StoredResult::resultId).containsExactly("r1", "r7");
        assertThat(results.history(BO.key(), 0, 1).getFirst().videoUrl()).isEmpty();
        assertThat(results.find(BO.key(), "r3").orElseThrow().deliveredAt()).isEmpty();
    }

    @Test
    void aResultDeliveredTheSameMillisecondAsAnotherIsOrderedByItsId() {
        Results results = open("a").results();
        for (String id : List.of("b2", "a1", "c3")) {
            results.save(new StoredResult(id, BO.key(), "sess-1", "p", Optional.empty(), clock.instant()));
            results.delivered(BO.key(), id, clock.instant(), Optional.empty());
        }
        assertThat(results.history(BO.key(), 0, 5)).extracting(StoredResult::resultId)
                .containsExactly("c3", "b2", "a1");
        assertThat(results.history(BO.key(), 1, 1)).extracting(StoredResult::resultId).containsExactly("b2");
    }

    @Test
    void aUsersHistoryIsPrunedWithTheirResults() {
        Store s = open("a");
        s.results().save(new StoredResult("r1", BO.key(), "sess-1", "animate the cat", Optional.empty(),
                clock.instant()));
        s.results().delivered(BO.key(), "r1", clock.instant(), Optional.of("https://cdn.example/r1.mp4"));
        clock.advance(Results.KEEP.minusDays(1));
        s.pruneExpired();
        assertThat(s.results().history(BO.key(), 0, 5)).as("kept thirty days").hasSize(1);
        clock.advance(Duration.ofDays(2));
        s.pruneExpired();
        assertThat(s.results().history(BO.key(), 0, 5)).isEmpty();
    }

    @Test
    void creditsSpentAddUpPerUserAndDay() {
        CreditLedger credits = open("a").credits();
        LocalDate day = LocalDate.of(2026, 11, 25);
        assertThat(credits.spent(BO.key(), day)).isZero();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                pool.submit(() -> credits.add(BO.key(), day, 5));
            }
        }
        credits.add(AL.key(), day, 1);
        assertThat(credits.spent(BO.key(), day)).isEqualTo(100);
        assertThat(credits.spent(BO.key(), day.plusDays(1))).isZero();
        assertThat(credits.spent(AL.key(), day)).isEqualTo(1);
        assertThatThrownBy(() -> credits.add(BO.key(), day, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void forgettingAUserErasesEveryRecordOfTheirsAndSaysWhatAndNoOneElses() {
        Store s = open("a");
        LocalDate day = LocalDate.of(2026, 11, 25);
        Conversation dm = new Conversation("telegram", "8", false, "");
        for (ChatUser u : List.of(BO, AL)) {
            s.identities().save(new StoredIdentity(u.key(), "client-" + u.id(), Optional.of(Secret.of("nmv_usr_"
                    + u.id())), Optional.of(Instant.parse("2030-01-01T00:00:00Z")), Optional.of(
                    new StoredIdentity.StoredSession("task", "sess-" + u.id(), Optional.empty(), "en"))));
            s.results().save(new StoredResult("r" + u.id(), u.key(), "sess-" + u.id(), "animate the cat",
                    Optional.of("https://img.example/cat.png"), clock.instant()));
            s.exports().save(new PendingExport("render_" + u.id(), u, u == BO ? CHAN : dm, "task", "sess-" + u.id(),
                    clock.instant()));
            s.turns().claim(u, u == BO ? CHAN : dm, clock.instant(), "turn-" + u.id());
            s.credits().add(u.key(), day, 20);
            s.handled().claim(u.platform(), "message:" + u.id() + ":1", u.key(), clock.instant());
            s.defaults().put(u.key(), "--ar 9:16 --quality 720p");
        }
        s.handled().claim("discord", "message-b2", BO.key(), clock.instant());
        s.results().save(new StoredResult("rb2", BO.key(), "sess-7", "make it rain", Optional.empty(),
                clock.instant()));
        s.exports().save(new PendingExport("render_b2", BO, CHAN, "task", "sess-7", clock.instant()));
        s.exports().finish("render_b2", true);
        s.credits().add(BO.key(), day.minusDays(1), 5);

        Forgotten erased = s.forget(BO);

        assertThat(erased).isEqualTo(new Forgotten(true, 2, 2, 1, 2, 2, true));
        assertThat(s.defaults().get(BO.key())).as("their default video options").isEmpty();
        assertThat(s.identities().find(BO.key())).isEmpty();
        assertThat(s.results().find(BO.key(), "r7")).isEmpty();
        assertThat(s.results().latest(BO.key(), "sess-7")).isEmpty();
        assertThat(s.exports().state("render_7")).isEmpty();
        assertThat(s.exports().state("render_b2")).isEmpty();
        assertThat(s.exports().pending("discord")).isEmpty();
        assertThat(s.credits().spent(BO.key(), day)).isZero();
        assertThat(s.credits().spent(BO.key(), day.minusDays(1))).isZero();
        assertThat(s.turns().claimInterrupted("discord", true)).as("no running turn of theirs").isEmpty();
        assertThat(s.handled().since(Instant.EPOCH, 10)).as("their handled messages").doesNotContain(
                Map.entry("discord", "message:7:1"), Map.entry("discord", "message-b2"));
        assertThat(s.handled().claim("discord", "message-b2", BO.key(), clock.instant()))
                .as("a message of theirs redelivered after the erasure is theirs again").isTrue();
        assertThat(s.forget(BO)).as("nothing left but the message claimed again").isEqualTo(
                new Forgotten(false, 0, 0, 0, 0, 1, false));

        // the other user's records are all there
        assertThat(s.identities().find(AL.key()).orElseThrow().token().orElseThrow().reveal()).isEqualTo("nmv_usr_8");
        assertThat(s.results().find(AL.key(), "r8")).isPresent();
        assertThat(s.exports().state("render_8")).contains("rendering");
        assertThat(s.credits().spent(AL.key(), day)).isEqualTo(20);
        assertThat(s.defaults().get(AL.key())).isEqualTo("--ar 9:16 --quality 720p");
        assertThat(s.turns().claimInterrupted("telegram", true)).extracting(t -> t.user().key())
                .containsExactly(AL.key());
        assertThat(s.handled().since(Instant.EPOCH, 10)).contains(Map.entry("telegram", "message:8:1"));
    }
}
