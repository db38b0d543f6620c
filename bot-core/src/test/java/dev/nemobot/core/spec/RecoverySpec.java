package dev.nemobot.core.spec;

import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.backend.NemoException;
import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.testing.MemoryBackend;
import dev.nemobot.core.testing.RecordingPlatform.Sent;
import dev.nemobot.core.testing.SpecFixture;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the engine does when the backend's answer does not come as it should: a lost stream is recovered from the
 * project's state (never sent again), an expired token is renewed, a rate limit is waited out, a cancel stops
 * waiting. Production timings on manual time.
 */
class RecoverySpec {
    static final String ANIMATE = ConversationSpec.ANIMATE;
    final ChatUser ann = user("telegram", "1", Locale.ENGLISH);

    @Test
    void aGenerationWhoseStreamIsLostIsNotSentAgainAndItsVideoStillArrives() {
        try (SpecFixture s = SpecFixture.start()) {
            s.backend().loseStreams(1);
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.untilVideo();
            s.untilIdle();
            assertThat(s.backend().calls("runTurn")).as("never sent twice").isEqualTo(1);
            assertThat(s.backend().calls("submitRender")).isEqualTo(1);
            assertThat(s.videos()).isEqualTo(1);
            assertThat(s.backend().left(s.backend().tokens().getFirst()))
                    .as("charged once").isEqualTo(MemoryBackend.START_CREDITS - MemoryBackend.GENERATION_COST);
        }
    }

    @Test
    void aGenerationAlreadyDoneWhenItsLostStreamIsFirstLookedAtStillDelivers() {
        try (SpecFixture s = SpecFixture.start()) {
            // the bot stalled for longer than the work: its first look finds the clip already made
            s.backend().loseStreamsAfterTheWork(1);
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.untilVideo();
            s.untilIdle();
            assertThat(s.backend().calls("runTurn")).as("never sent twice").isEqualTo(1);
            assertThat(s.videos()).isEqualTo(1);
            assertThat(s.platform().texts()).noneMatch(t -> t.contains("broke before the answer"));
        }
    }

    @Test
    void aGenerationWhoseStreamBrokeAfterItsFirstWordsStillDelivers() {
        try (SpecFixture s = SpecFixture.start()) {
            // the agent's first words arrived, its tool call did not: the new clip tells it was a generation
            s.backend().loseStreamsAfterTheFirstWords(1);
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.untilVideo();
            s.untilIdle();
            assertThat(s.backend().calls("runTurn")).isEqualTo(1);
            assertThat(s.backend().calls("submitRender")).isEqualTo(1);
            assertThat(s.videos()).isEqualTo(1);
        }
    }

    @Test
    void withoutAutoExportALostGenerationIsOfferedItsExportAsAnAnsweredOneIs() {
        try (SpecFixture s = SpecFixture.start(st -> st.withAutoExport(false), b -> b)) {
            // the agent's answer, which would have pointed to the export, never arrived
            s.backend().loseStreamsAfterTheWork(1);
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.untilText(t -> t.contains("Send /export"), "the export offered");
            s.untilIdle();
            assertThat(s.platform().sent()).filteredOn(x -> x instanceof Sent.Text t && t.text().contains("/export")
                    || x instanceof Sent.Edit e && e.text().contains("/export"))
                    .singleElement().satisfies(x -> assertThat(x instanceof Sent.Text t ? t.actions()
                            : ((Sent.Edit) x).actions()).contains(Action.EXPORT));
            assertThat(s.backend().calls("submitRender")).as("not exported unasked").isZero();
            assertThat(s.platform().texts()).anyMatch(t -> t.startsWith("Done"));
        }
    }

    @Test
    void aSecondGenerationAlreadyDoneWhenLookedAtIsDeliveredAsTheSecondVideo() {
        try (SpecFixture s = SpecFixture.start()) {
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.untilVideo();
            s.untilIdle();
            // the project already holds one finished clip; the second turn adds another (the draft looks the same)
            s.backend().loseStreamsAfterTheWork(1);
            s.send(text(ann, "animate it again with more motion"));
            s.until(() -> s.videos() == 2, "the second video");
            s.untilIdle();
            assertThat(s.backend().calls("runTurn")).isEqualTo(2);
            assertThat(s.backend().calls("submitRender")).isEqualTo(2);
        }
    }

    @Test
    void afterARestartALostGenerationIsFoundByWatchingTheProjectMove() {
        try (SpecFixture s = SpecFixture.start()) {
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.untilVideo();
            s.untilIdle();
            // a new instance has not seen the project: it compares against its first look, and the clip comes later
            s.restart();
            s.backend().loseStreams(1);
            s.send(text(ann, "animate it again with more motion"));
            s.untilVideo(); // the restarted platform's first
            s.untilIdle();
            assertThat(s.backend().calls("runTurn")).isEqualTo(2);
            assertThat(s.backend().calls("submitRender")).isEqualTo(2);
        }
    }

    @Test
    void anEditLostAfterItsWorkIsNotTakenForAGeneration() {
        try (SpecFixture s = SpecFixture.start()) {
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.untilVideo();
            s.untilIdle();
            s.backend().loseStreamsAfterTheWork(1);
            s.send(text(ann, "add some music"));
            s.untilText(t -> t.contains("broke before the answer"), "the lost answer told");
            s.untilIdle();
            assertThat(s.backend().calls("runTurn")).isEqualTo(2);
            assertThat(s.backend().calls("submitRender")).as("no new clip: nothing exported unasked").isEqualTo(1);
            assertThat(s.videos()).isEqualTo(1);
        }
    }

    @Test
    void aChatAnswerLostBeforeItArrivedIsToldWithWhereTheProjectStands() {
        try (SpecFixture s = SpecFixture.start()) {
            s.backend().loseStreams(1);
            s.send(text(ann, "hello"));
            String told = s.untilText(t -> t.contains("broke before the answer"), "the lost answer told");
            s.untilIdle();
            assertThat(told).contains("/status");
            assertThat(s.backend().calls("runTurn")).isEqualTo(1);
            assertThat(s.platform().texts()).noneMatch(t -> t.startsWith("Done"));
        }
    }

    @Test
    void aTokenExpiredAWeekLaterIsRenewedInvisiblyWithTheSameProject() {
        try (SpecFixture s = SpecFixture.start()) {
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.untilVideo();
            s.untilIdle();
            s.time().jump(Duration.ofDays(8));
            s.send(text(ann, "/credits"));
            String credits = s.untilText(t -> t.startsWith("Credits:"), "the balance");
            s.untilIdle();
            assertThat(credits).contains((MemoryBackend.START_CREDITS - MemoryBackend.GENERATION_COST) + " available");
            assertThat(s.backend().calls("anonymousToken")).as("renewed once").isEqualTo(2);
            assertThat(s.backend().calls("createSession")).as("the same project").isEqualTo(1);
            assertThat(s.platform().texts()).noneMatch(t -> t.toLowerCase(Locale.ROOT).contains("expired"));
        }
    }

    @Test
    void aRateLimitedStartIsToldAndTheNextMessageWorks() {
        try (SpecFixture s = SpecFixture.start()) {
            s.backend().failNext("createSession",
                    new NemoException.RateLimited(429, "slow down", Optional.of(Duration.ofSeconds(20))));
            s.send(text(ann, "/credits"));
            s.untilText(t -> t.contains("limiting requests right now"), "the limit told");
            s.untilIdle();
            s.send(text(ann, "/credits"));
            s.untilText(t -> t.startsWith("Credits:"), "the balance");
            s.untilIdle();
            assertThat(s.backend().calls("createSession")).isEqualTo(2);
        }
    }

    @Test
    void cancelStopsWaitingDropsTheQueueAndSaysTheBackendMayFinish() {
        try (SpecFixture s = SpecFixture.start()) {
            MemoryBackend.Hold generating = s.backend().hold();
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.until(() -> s.backend().held() == 1, "the generation to be running");
            s.send(text(ann, "make the title say Hello"));
            s.send(text(ann, "/cancel"));
            String said = s.untilText(t -> t.contains("Stopped waiting"), "the cancel answered");
            s.untilIdle();
            generating.release();
            assertThat(said).contains("dropped 1 queued message").contains("may still finish");
            assertThat(s.backend().calls("runTurn")).isEqualTo(1);
            assertThat(s.videos()).isZero();
        }
    }
}
