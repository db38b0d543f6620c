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
}
