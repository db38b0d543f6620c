package dev.nemobot.core;

import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nemobot.config.Secret;
import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.testing.MutableClock;
import dev.nemobot.core.testing.RecordingPlatform;
import dev.nemobot.core.testing.RecordingPlatform.Sent;
import dev.nemobot.core.testing.ScaledTime;
import dev.nemobot.simulator.NemoSimulator;
import dev.nemobot.simulator.Outage;
import dev.nemobot.simulator.RecordedRequest;
import dev.nemobot.simulator.SimulatorConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The backend misbehaving, through the real engine, the real client and the simulator's fault knobs: what the user
 * sees, and that nothing is lost or done twice. After each fault the user's request is answered, or they are told
 * exactly what to do; no video arrives twice, no text is shown twice, no turn is charged twice, no render is
 * submitted twice unless the first one failed.
 *
 * <p>Minute-long faults run on {@link ScaledTime} (100 times faster than the wall clock, for the engine, the client
 * and the simulator alike), so a minute of outage takes 0.6 s.
 */
@Execution(ExecutionMode.CONCURRENT) // the longest class: its tests (each on its own simulator) share the two threads
class FaultInjectionTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String ANIMATE = ConversationFlowTest.ANIMATE;
    static final int GENERATION_COST = 10; // SimulatorConfig.fast()
    static final int EDIT_COST = 2;
    static final String UNAVAILABLE = "unavailable right now";

    final ChatUser ann = user("telegram", "1", Locale.ENGLISH);

    static RecordingPlatform platform() {
        return new RecordingPlatform("telegram", 50_000_000);
    }

    // ------------------------------------------------------------------ what the checks look at

    /** The user's token (the last one the engine used). */
    static Secret token(NemoSimulator sim) {
        List<String> auth = sim.requests().stream().map(r -> r.header("Authorization")).flatMap(java.util.Optional::stream)
                .toList();
        return Secret.of(auth.getLast().replaceFirst("^Bearer ", ""));
    }

    /** Credits the user spent so far. */
    static long spent(NemoSimulator sim) {
        return 100 - sim.credits(token(sim).reveal());
    }

    static long videos(RecordingPlatform p) {
        return p.sent().stream().filter(s -> s instanceof Sent.Video).count();
    }

    static long said(RecordingPlatform p, Predicate<String> what) {
        return p.visibleMessages().stream().filter(what).count();
    }

    static long renderSubmits(NemoSimulator sim) {
        return Checks.count(sim, "POST", "/api/render/proxy/lambda");
    }

    /** After a generation and its video: one turn charged once, one render, one video, no text shown twice. */
    static void deliveredOnce(EngineFixture f, RecordingPlatform p) {
        assertThat(f.engine().awaitIdle(WAIT)).isTrue();
        assertThat(videos(p)).as("one video").isEqualTo(1);
        assertThat(spent(f.simulator())).as("the generation charged once").isEqualTo(GENERATION_COST);
        assertThat(renderSubmits(f.simulator())).as("one render submitted").isEqualTo(1);
        assertThat(Checks.occurrences(p.visibleMessages(), "Your raw video is ready")).as("no text twice")
                .isLessThanOrEqualTo(1);
        Checks.nothingLeaked(p, f.simulator());
    }

    /** An image uploaded and its generation done and delivered, before the fault under test. */
    static void generated(EngineFixture f, Inbox in, RecordingPlatform p, ChatUser u) {
        in.accept(file(u, ANIMATE, png("photo.png")));
        p.awaitVideo(WAIT);
        assertThat(f.engine().awaitIdle(WAIT)).isTrue();
        p.clear();
    }

    static String sessionId(NemoSimulator sim) {
        RecordedRequest r = Checks.requests(sim, "GET", "/api/state/").getLast();
        return r.path().split("/")[5];
    }

    /** An engine, client and simulator on time 100 times faster than the wall clock, with the contract's timings. */
    static EngineFixture scaled(ScaledTime time, SimulatorConfig sim) {
        return scaled(time, sim, Duration.ofSeconds(30));
    }

    static EngineFixture scaled(ScaledTime time, SimulatorConfig sim, Duration renderPoll) {
        return EngineFixture.start(sim.withClock(time.clock()),
                s -> s.withNemo(s.nemo().withRenderPoll(renderPoll)),
                c -> c.clock(time.clock()),
                b -> b.clock(time.clock()).scheduler(time.scheduler())
                        .timings(EngineTimings.defaults().withShutdownGrace(Duration.ofSeconds(2))));
    }

    // ------------------------------------------------------------------ 1. bursts of 5xx

    @Nested
    class ServerErrorBursts {
        @Test
        void threeServerErrorsOnAnUploadAreEachExplainedAndTheImageSentAgainIsAnimatedOnce() {
            try (EngineFixture f = EngineFixture.start()) {
                RecordingPlatform p = platform();
                Inbox in = f.engine().attach(p);
                f.simulator().faults().failNext("/api/upload-video", 503, 3);
                for (int attempt = 1; attempt <= 3; attempt++) {
                    in.accept(file(ann, ANIMATE, png("photo.png")));
                    assertThat(f.engine().awaitIdle(WAIT)).isTrue();
                    assertThat(said(p, t -> t.contains(UNAVAILABLE))).isEqualTo(attempt);
                }
                assertThat(Checks.turnsSent(f.simulator())).as("no turn without its image").isEmpty();
                in.accept(file(ann, ANIMATE, png("photo.png")));
                p.awaitVideo(WAIT);
                deliveredOnce(f, p);
                assertThat(Checks.turnsSent(f.simulator())).hasSize(1);
            }
        }

        @Test
        void threeServerErrorsOnATurnAreEachExplainedAndTheRequestSentAgainIsChargedOnce() {
            try (EngineFixture f = EngineFixture.start()) {
                RecordingPlatform p = platform();
                Inbox in = f.engine().attach(p);
                in.accept(file(ann, "", png("photo.png")));
                p.awaitText(t -> t.startsWith("Got it: photo.png"), WAIT);
                f.simulator().faults().failNext("/run_sse", 503, 3);
                for (int attempt = 1; attempt <= 3; attempt++) {
                    in.accept(text(ann, ANIMATE));
                    assertThat(f.engine().awaitIdle(WAIT)).isTrue();
                    assertThat(said(p, t -> t.contains(UNAVAILABLE))).isEqualTo(attempt);
                }
                assertThat(spent(f.simulator())).as("a refused turn costs nothing").isZero();
                in.accept(text(ann, ANIMATE));
                p.awaitVideo(WAIT);
                deliveredOnce(f, p);
            }
        }

        @Test
        void threeServerErrorsOnRenderPollsAreRiddenOutAndTheVideoArrives() {
            try (EngineFixture f = EngineFixture.start(SimulatorConfig.fast().withRenderTime(Duration.ofMillis(500)),
                    b -> b)) {
                RecordingPlatform p = platform();
                f.simulator().faults().failNext("/api/render/proxy/lambda/", 503, 3);
                f.engine().attach(p).accept(file(ann, ANIMATE, png("photo.png")));
                p.awaitVideo(WAIT);
                deliveredOnce(f, p);
                assertThat(Checks.count(f.simulator(), "GET", "/api/render/proxy/lambda/")).isGreaterThan(3);
                assertThat(p.texts()).noneMatch(t -> t.contains(UNAVAILABLE));
            }
        }

        @Test
        void threeServerErrorsReadingTheStateAfterAGenerationStillDeliverTheVideo() {
            try (EngineFixture f = EngineFixture.start()) {
                RecordingPlatform p = platform();
                // the first state read is the one after the generation's stream ends
                f.simulator().faults().failNext("/api/state/", 503, 3);
                f.engine().attach(p).accept(file(ann, ANIMATE, png("photo.png")));
                p.awaitVideo(WAIT);
                deliveredOnce(f, p);
                assertThat(p.texts()).as("nothing to retry: the video came").noneMatch(t -> t.contains(UNAVAILABLE));
            }
        }

        @Test
        void aServerErrorOnTheRenderSubmitIsRetriedOnceWithANewId() {
            try (EngineFixture f = EngineFixture.start()) {
                RecordingPlatform p = platform();
                f.simulator().faults().failNext("/api/render/proxy/lambda", 502, 1);
                f.engine().attach(p).accept(file(ann, ANIMATE, png("photo.png")));
                p.awaitVideo(WAIT);
                assertThat(f.engine().awaitIdle(WAIT)).isTrue();
                List<RecordedRequest> submits = Checks.requests(f.simulator(), "POST", "/api/render/proxy/lambda");
                assertThat(submits).hasSize(2);
                assertThat(submits.get(0).bodyText()).containsPattern("\"id\":\"render_\\d+\"");
                assertThat(submits.get(0).bodyText()).isNotEqualTo(submits.get(1).bodyText());
                assertThat(videos(p)).isEqualTo(1);
                assertThat(spent(f.simulator())).isEqualTo(GENERATION_COST);
            }
        }
    }

    // ------------------------------------------------------------------ 2. slow answers

    @Nested
    class SlowAnswers {
        @Test
        void answersSlowerThanUsualButWithinTheTimeoutsStillBringTheVideo() {
            try (EngineFixture f = EngineFixture.start()) {
                RecordingPlatform p = platform();
                f.simulator().faults().slowAnswers(Duration.ofMillis(150));
                f.engine().attach(p).accept(file(ann, ANIMATE, png("photo.png")));
                p.awaitVideo(WAIT);
                deliveredOnce(f, p);
                assertThat(p.texts()).noneMatch(t -> t.contains(UNAVAILABLE));
            }
        }

        /** A client that waits 400 ms for any answer, against a backend that takes 800 ms. */
        EngineFixture impatient() {
            return impatient(SimulatorConfig.fast());
        }

        EngineFixture impatient(SimulatorConfig sim) {
            return EngineFixture.start(sim, s -> s,
                    c -> c.callTimeout(Duration.ofMillis(400)).streamReadTimeout(Duration.ofMillis(400))
                            .transferTimeout(Duration.ofMillis(400)),
                    b -> b);
        }

        @Test
        void aReadAnsweredAfterTheTimeoutIsExplainedAndWorksOnceTheBackendIsFastAgain() {
            try (EngineFixture f = impatient()) {
                RecordingPlatform p = platform();
                Inbox in = f.engine().attach(p);
                in.accept(text(ann, "credits"));
                p.awaitText(t -> t.startsWith("Credits: 100"), WAIT);
                f.simulator().faults().slowAnswers(Duration.ofMillis(800));
                in.accept(text(ann, "credits"));
                p.awaitText(t -> t.contains(UNAVAILABLE), WAIT);
                assertThat(f.engine().awaitIdle(WAIT)).isTrue();
                f.simulator().faults().slowAnswers(Duration.ZERO);
                in.accept(text(ann, "/credits"));
                await("the balance again").atMost(WAIT).until(() -> said(p, t -> t.startsWith("Credits: 100")) == 2);
            }
        }

        @Test
        void aFirstContactAnsweredAfterTheTimeoutDoesNotLockTheUserOut() {
            try (EngineFixture f = impatient()) {
                RecordingPlatform p = platform();
                Inbox in = f.engine().attach(p);
                f.simulator().faults().slowAnswers(Duration.ofMillis(800));
                in.accept(text(ann, "credits"));
                p.awaitText(t -> t.contains(UNAVAILABLE), WAIT);
                assertThat(f.engine().awaitIdle(WAIT)).isTrue();
                // the backend did give this client id its token, to a client that had stopped waiting
                await("the late token").atMost(WAIT).until(() -> f.simulator().tokensIssued() == 1);
                f.simulator().faults().slowAnswers(Duration.ZERO);
                in.accept(text(ann, "/credits"));
                p.awaitText(t -> t.startsWith("Credits: 100"), WAIT);
                assertThat(p.texts()).noneMatch(t -> t.contains("sign-ups are used up"));
            }
        }

        @Test
        void aTurnAnsweredAfterTheTimeoutIsNotSentAgainAndItsVideoStillArrives() {
            try (EngineFixture f = impatient()) {
                RecordingPlatform p = platform();
                Inbox in = f.engine().attach(p);
                in.accept(file(ann, "", png("photo.png")));
                p.awaitText(t -> t.startsWith("Got it: photo.png"), WAIT);
                assertThat(f.engine().awaitIdle(WAIT)).isTrue();
                // the generation runs until the engine has seen it under way once reads are fast again
                f.simulator().faults().holdStages();
                f.simulator().faults().slowAnswers(Duration.ofMillis(800));
                in.accept(text(ann, ANIMATE));
                // the backend got the turn and works on it: the user is not asked to send it again
                await("the turn to be charged").atMost(WAIT).until(() -> spent(f.simulator()) == GENERATION_COST);
                f.simulator().faults().slowAnswers(Duration.ZERO);
                // reads are one at a time: the second one asked after this point was answered at once
                long reads = Checks.count(f.simulator(), "GET", "/api/state/");
                await("the engine reading the state of the generation under way").atMost(WAIT)
                        .until(() -> Checks.count(f.simulator(), "GET", "/api/state/") >= reads + 2);
                f.simulator().faults().releaseStages();
                p.awaitVideo(WAIT);
                deliveredOnce(f, p);
                assertThat(Checks.turnsSent(f.simulator())).hasSize(1);
                assertThat(p.texts()).noneMatch(t -> t.contains("try again"));
            }
        }

        @Test
        void anUploadAnsweredAfterTheTimeoutIsExplainedAndTheImageSentAgainIsAnimatedOnce() {
            try (EngineFixture f = impatient()) {
                RecordingPlatform p = platform();
                Inbox in = f.engine().attach(p);
                in.accept(text(ann, "status"));
                p.awaitText(t -> t.contains("project is empty"), WAIT);
                f.simulator().faults().slowAnswers(Duration.ofMillis(800));
                in.accept(file(ann, ANIMATE, png("photo.png")));
                p.awaitText(t -> t.contains(UNAVAILABLE), WAIT);
                assertThat(f.engine().awaitIdle(WAIT)).isTrue();
                assertThat(Checks.turnsSent(f.simulator())).as("no turn without its image").isEmpty();
                f.simulator().faults().slowAnswers(Duration.ZERO);
                in.accept(file(ann, ANIMATE, png("photo.png")));
                p.awaitVideo(WAIT);
                deliveredOnce(f, p);
                assertThat(Checks.turnsSent(f.simulator())).hasSize(1);
            }
        }

        @Test
        void renderPollsAnsweredAfterTheTimeoutAreRiddenOut() {
            // the render runs until the test moves the simulator's clock on
            MutableClock simClock = new MutableClock(Instant.now());
            try (EngineFixture f = EngineFixture.start(SimulatorConfig.fast().withClock(simClock)
                            .withRenderTime(Duration.ofMinutes(1)),
                    s -> s, c -> c.callTimeout(Duration.ofMillis(400)), b -> b)) {
                RecordingPlatform p = platform();
                f.engine().attach(p).accept(file(ann, ANIMATE, png("photo.png")));
                await("the first poll").atMost(WAIT)
                        .until(() -> Checks.count(f.simulator(), "GET", "/api/render/proxy/lambda/") >= 1);
                f.simulator().faults().slowAnswers(Duration.ofMillis(800));
                await("polls to time out").atMost(WAIT)
                        .until(() -> Checks.count(f.simulator(), "GET", "/api/render/proxy/lambda/") >= 3);
                f.simulator().faults().slowAnswers(Duration.ZERO);
                simClock.advance(Duration.ofMinutes(1));
                p.awaitVideo(WAIT);
                deliveredOnce(f, p);
            }
        }
    }

    // ------------------------------------------------------------------ 3. dropped streams

    @Nested
    class DroppedStreams {
        @Test
        void aStreamDroppedMidwayIsResumedWithoutDuplicatingText() {
            try (EngineFixture f = EngineFixture.start()) {
                RecordingPlatform p = platform();
                f.simulator().faults().dropNextStreamAfter(4);
                f.engine().attach(p).accept(file(ann, ANIMATE, png("photo.png")));
                p.awaitVideo(WAIT);
                deliveredOnce(f, p);
                assertThat(f.simulator().requests()).anyMatch(r -> r.path().equals("/run_sse")
                        && r.header("Last-Event-ID").isPresent());
                assertThat(Checks.turnsSent(f.simulator())).hasSize(1);
                assertThat(Checks.occurrences(p.visibleMessages(), "Your raw video is ready")).isEqualTo(1);
            }
        }

        @Test
        void aStreamWhoseReconnectsAreDroppedTooIsRecoveredFromTheState() {
            try (EngineFixture f = EngineFixture.start()) {
                RecordingPlatform p = platform();
                f.simulator().faults().dropNextStreamAfter(2);
                f.simulator().faults().dropReconnectsToo(3);
                f.engine().attach(p).accept(file(ann, ANIMATE, png("photo.png")));
                p.awaitVideo(WAIT);
                deliveredOnce(f, p);
                assertThat(Checks.turnsSent(f.simulator())).as("never sent twice").hasSize(1);
                assertThat(f.simulator().requests()).as("the client gave up after 3 reconnects")
                        .filteredOn(r -> r.path().equals("/run_sse") && r.header("Last-Event-ID").isPresent())
                        .hasSize(3);
                assertThat(p.texts()).as("recovery under 30 s is not announced")
                        .noneMatch(t -> t.contains("connection to the backend dropped"));
            }
        }

        @Test
        void aSlowRecoveryIsAnnouncedOnce() {
            SimulatorConfig sim = SimulatorConfig.fast().withStageDelay(Duration.ofMillis(300));
            try (EngineFixture f = EngineFixture.start(sim, b -> b.timings(EngineFixture.TEST_TIMINGS
                    .withRecovery(Duration.ofMillis(100), Duration.ofSeconds(10))))) {
                RecordingPlatform p = platform();
                f.simulator().faults().dropNextStreamAfter(1);
                f.simulator().faults().dropReconnectsToo(3);
                f.engine().attach(p).accept(file(ann, ANIMATE, png("photo.png")));
                p.awaitVideo(WAIT);
                deliveredOnce(f, p);
                assertThat(said(p, t -> t.contains("connection to the backend dropped"))).isEqualTo(1);
            }
        }

        @Test
        void aGenerationDroppedBeforeItsFirstEventIsNotSentAgainAndItsVideoStillArrives() {
            SimulatorConfig sim = SimulatorConfig.fast().withStageDelay(Duration.ofMillis(300));
            try (EngineFixture f = EngineFixture.start(sim, b -> b)) {
                RecordingPlatform p = platform();
                Inbox in = f.engine().attach(p);
                in.accept(file(ann, "", png("photo.png")));
                p.awaitText(t -> t.startsWith("Got it: photo.png"), WAIT);
                f.simulator().faults().dropNextStreamAfter(0);
                in.accept(text(ann, ANIMATE));
                assertThat(f.engine().awaitIdle(WAIT)).isTrue();
                assertThat(Checks.turnsSent(f.simulator())).as("never sent twice").hasSize(1);
                assertThat(p.texts()).as("not a false 'Done.'").noneMatch(t -> t.equals("Done."));
                p.awaitVideo(WAIT);
                deliveredOnce(f, p);
            }
        }

        @Test
        void aChatAnswerLostBeforeItsFirstEventIsNotSentAgainAndTheUserIsToldWhereThingsStand() {
            try (EngineFixture f = EngineFixture.start(SimulatorConfig.fast(), b -> b.timings(EngineFixture.TEST_TIMINGS
                    .withRecovery(Duration.ofMillis(300), Duration.ofMillis(800))))) {
                RecordingPlatform p = platform();
                Inbox in = f.engine().attach(p);
                f.simulator().faults().dropNextStreamAfter(0);
                in.accept(text(ann, "hello, what can you do?"));
                Sent told = p.awaitText(t -> t.contains("did not send it again"), WAIT);
                assertThat(told.shownText()).contains("Your project is still empty").contains("/status");
                assertThat(f.engine().awaitIdle(WAIT)).isTrue();
                assertThat(Checks.turnsSent(f.simulator())).as("never sent twice").hasSize(1);
                assertThat(p.texts()).noneMatch(t -> t.startsWith("Done"));
                Checks.nothingLeaked(p, f.simulator());
            }
        }
    }

    // ------------------------------------------------------------------ 4. expired tokens


    @Nested
    class ExpiredTokens {
        @Test
        void aTokenExpiredBetweenTurnsIsRenewedWithTheSameClientIdInvisibly() {
            try (EngineFixture f = EngineFixture.start()) {
                RecordingPlatform p = platform();
                Inbox in = f.engine().attach(p);
                generated(f, in, p, ann);
                f.simulator().faults().expireAllTokens();
                in.accept(text(ann, "add lo-fi background music"));
                assertThat(f.engine().awaitIdle(WAIT)).isTrue();
                in.accept(text(ann, "credits"));
                p.awaitText(t -> t.startsWith("Credits:"), WAIT);
                List<RecordedRequest> grants = Checks.requests(f.simulator(), "POST", "/api/auth/anonymous-token");
                assertThat(grants).hasSize(2);
                assertThat(grants.get(1).header("X-Client-Id")).isEqualTo(grants.get(0).header("X-Client-Id"));
                List<RecordedRequest> edits = Checks.requests(f.simulator(), "POST", "/run_sse").stream()
                        .filter(r -> r.bodyText().contains("lo-fi")).toList();
                assertThat(edits).as("refused with 1001, then sent with the new token").hasSize(2);
                assertThat(edits.get(1).header("Authorization")).isNotEqualTo(edits.get(0).header("Authorization"));
                assertThat(spent(f.simulator())).as("the edit charged once").isEqualTo(GENERATION_COST + EDIT_COST);
                assertThat(p.texts()).as("the renewal is invisible").noneMatch(t -> t.contains("unavailable")
                        || t.contains("wrong") || t.contains("token"));
                Checks.nothingLeaked(p, f.simulator());
            }
        }

        @Test
        void aTokenExpiringWhileAGenerationStreamsIsRenewedAndTheVideoArrives() {
            SimulatorConfig sim = SimulatorConfig.fast().withStageDelay(Duration.ofMillis(300));
            try (EngineFixture f = EngineFixture.start(sim, b -> b)) {
                RecordingPlatform p = platform();
                f.engine().attach(p).accept(file(ann, ANIMATE, png("photo.png")));
                p.awaitText(t -> t.contains("Your raw video is ready"), WAIT);
                f.simulator().faults().expireAllTokens();
                p.awaitVideo(WAIT);
                deliveredOnce(f, p);
                assertThat(Checks.count(f.simulator(), "POST", "/api/auth/anonymous-token")).isEqualTo(2);
                assertThat(p.texts()).noneMatch(t -> t.contains(UNAVAILABLE));
            }
        }

        @Test
        void aTokenExpiringWhileTheRenderIsPolledIsRenewedAndTheVideoArrives() {
            // the render runs until the test moves the simulator's clock on
            MutableClock simClock = new MutableClock(Instant.now());
            try (EngineFixture f = EngineFixture.start(SimulatorConfig.fast().withClock(simClock)
                    .withRenderTime(Duration.ofMinutes(1)), b -> b)) {
                RecordingPlatform p = platform();
                f.engine().attach(p).accept(file(ann, ANIMATE, png("photo.png")));
                await("the first poll").atMost(WAIT)
                        .until(() -> Checks.count(f.simulator(), "GET", "/api/render/proxy/lambda/") >= 1);
                f.simulator().faults().expireAllTokens();
                await("the token renewed while the render is polled").atMost(WAIT)
                        .until(() -> Checks.count(f.simulator(), "POST", "/api/auth/anonymous-token") == 2);
                simClock.advance(Duration.ofMinutes(1));
                p.awaitVideo(WAIT);
                deliveredOnce(f, p);
                assertThat(Checks.count(f.simulator(), "POST", "/api/auth/anonymous-token")).isEqualTo(2);
                assertThat(p.texts()).noneMatch(t -> t.contains(UNAVAILABLE));
            }
        }
    }

    // ------------------------------------------------------------------ 5. lost sessions

    @Nested
    class LostSessions {
        @Test
        void aSessionLostBetweenTurnsIsReplacedAndTheUserAskedForTheImageAgain() {
            try (EngineFixture f = EngineFixture.start()) {
                RecordingPlatform p = platform();
                Inbox in = f.engine().attach(p);
                generated(f, in, p, ann);
                f.simulator().faults().loseSession(sessionId(f.simulator()));
                in.accept(text(ann, "add lo-fi background music"));
                p.awaitText(t -> t.contains("no longer available") && t.contains("send your image again"), WAIT);
                assertThat(f.engine().awaitIdle(WAIT)).isTrue();
                assertThat(spent(f.simulator())).as("the edit was not charged").isEqualTo(GENERATION_COST);
                in.accept(file(ann, ANIMATE, png("photo.png")));
                p.awaitVideo(WAIT);
                assertThat(f.engine().awaitIdle(WAIT)).isTrue();
                assertThat(videos(p)).isEqualTo(1);
                assertThat(Checks.count(f.simulator(), "POST", "/api/tasks/me/with-session")).isEqualTo(2);
                assertThat(spent(f.simulator())).isEqualTo(2 * GENERATION_COST);
            }
        }

        @Test
        void aSessionLostBeforeAStatusRequestIsReplacedAndTheUserTold() {
            try (EngineFixture f = EngineFixture.start()) {
                RecordingPlatform p = platform();
                Inbox in = f.engine().attach(p);
                in.accept(text(ann, "status"));
                p.awaitText(t -> t.contains("project is empty"), WAIT);
                f.simulator().faults().loseSession(sessionId(f.simulator()));
                in.accept(text(ann, "/status"));
                p.awaitText(t -> t.contains("no longer available"), WAIT);
                in.accept(text(ann, "status"));
                assertThat(f.engine().awaitIdle(WAIT)).isTrue();
                assertThat(Checks.occurrences(p.texts(), "project is empty")).isEqualTo(2);
                assertThat(Checks.count(f.simulator(), "POST", "/api/tasks/me/with-session")).isEqualTo(2);
            }
        }

        @Test
        void aSessionLostBeforeAnUploadIsReplacedAndTheImageGoesToTheNewOne() {
            try (EngineFixture f = EngineFixture.start()) {
                RecordingPlatform p = platform();
                Inbox in = f.engine().attach(p);
                in.accept(text(ann, "status"));
                p.awaitText(t -> t.contains("project is empty"), WAIT);
                f.simulator().faults().loseSession(sessionId(f.simulator()));
                in.accept(file(ann, ANIMATE, png("photo.png")));
                p.awaitText(t -> t.contains("no longer available"), WAIT);
                p.awaitVideo(WAIT);
                deliveredOnce(f, p);
            }
        }

        @Test
        void aSessionLostWhileAGenerationRunsIsExplained() {
            SimulatorConfig sim = SimulatorConfig.fast().withStageDelay(Duration.ofMillis(300));
            try (EngineFixture f = EngineFixture.start(sim, b -> b)) {
                RecordingPlatform p = platform();
                Inbox in = f.engine().attach(p);
                in.accept(file(ann, ANIMATE, png("photo.png")));
                p.awaitText(t -> t.contains("Your raw video is ready"), WAIT);
                String sid = Checks.requests(f.simulator(), "POST", "/api/upload-video/").getFirst().path()
                        .split("/")[5];
                f.simulator().faults().loseSession(sid);
                p.awaitText(t -> t.contains("no longer available") && t.contains("send your image again"), WAIT);
                assertThat(f.engine().awaitIdle(WAIT)).isTrue();
                assertThat(videos(p)).isZero();
                assertThat(Checks.turnsSent(f.simulator())).hasSize(1);
            }
        }
    }

    // ------------------------------------------------------------------ 6. failed renders

    @Nested
    class FailedRenders {
        @Test
        void aFailedRenderIsReportedWithAnExportButtonAndTheNextExportDelivers() {
            try (EngineFixture f = EngineFixture.start()) {
                RecordingPlatform p = platform();
                Inbox in = f.engine().attach(p);
                f.simulator().faults().failNextRender();
                in.accept(file(ann, ANIMATE, png("photo.png")));
                Sent failed = p.awaitText(t -> t.contains("export failed on the server"), WAIT);
                assertThat(failed.shownText()).contains("/export");
                assertThat(p.sent()).anyMatch(s -> s instanceof Sent.Edit e && e.actions().contains(Action.EXPORT)
                        || s instanceof Sent.Text t && t.actions().contains(Action.EXPORT));
                assertThat(f.engine().awaitIdle(WAIT)).isTrue();
                assertThat(videos(p)).isZero();
                in.accept(text(ann, "/export"));
                p.awaitVideo(WAIT);
                assertThat(f.engine().awaitIdle(WAIT)).isTrue();
                assertThat(videos(p)).isEqualTo(1);
                assertThat(renderSubmits(f.simulator())).isEqualTo(2);
                assertThat(spent(f.simulator())).as("exports cost nothing").isEqualTo(GENERATION_COST);
            }
        }
    }

    // ------------------------------------------------------------------ 7. the backend down for a minute

    @Nested
    class BackendDown {
        @ParameterizedTest
        @EnumSource(Outage.class)
        void aMinuteDownDuringAGenerationIsToldOnceAndTheVideoArrivesWhenItIsBack(Outage how) {
            // 25x, not 100x: the three reconnects and the recovery's notice must fall inside the outage, which lasts
            // 2.4 s of wall time here (0.6 s at 100x, which a loaded machine overran: the stream came back before
            // the reconnects were spent and nothing was told)
            try (ScaledTime time = new ScaledTime(25);
                 EngineFixture f = scaled(time, SimulatorConfig.fast().withStageDelay(Duration.ofMillis(300)))) {
                RecordingPlatform p = platform();
                f.engine().attach(p).accept(file(ann, ANIMATE, png("photo.png")));
                p.awaitText(t -> t.contains("Your raw video is ready"), WAIT);
                f.simulator().faults().outage(Duration.ofSeconds(60), how);
                p.awaitVideo(WAIT);
                deliveredOnce(f, p);
                assertThat(said(p, t -> t.contains("connection to the backend dropped"))).as("told once")
                        .isEqualTo(1);
                assertThat(p.texts()).noneMatch(t -> t.contains(UNAVAILABLE));
                assertThat(Checks.turnsSent(f.simulator())).hasSize(1);
            }
        }

        @ParameterizedTest
        @EnumSource(Outage.class)
        void aMinuteDownWhileTheRenderIsPolledIsToldOnceLoggedOnceAndTheVideoArrivesWhenItIsBack(Outage how) {
            // the lines of every logger under dev.nemobot.core that name this render (other tests run meanwhile)
            ch.qos.logback.classic.Logger core =
                    (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.nemobot.core");
            ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
                    new ch.qos.logback.core.read.ListAppender<>();
            logs.start();
            core.addAppender(logs);
            try (ScaledTime time = new ScaledTime(100);
                 // polls at most 20 s apart (30 s polls may be 60 s apart, the outage's length: a test that started
                 // it a little late, under load, could see no poll fall inside it)
                 EngineFixture f = scaled(time, SimulatorConfig.fast().withRenderTime(Duration.ofSeconds(120)),
                         Duration.ofSeconds(10))) {
                RecordingPlatform p = platform();
                f.engine().attach(p).accept(file(ann, ANIMATE, png("photo.png")));
                await("the first poll").atMost(WAIT)
                        .until(() -> Checks.count(f.simulator(), "GET", "/api/render/proxy/lambda/") >= 1);
                String path = Checks.requests(f.simulator(), "GET", "/api/render/proxy/lambda/").getFirst().path();
                String renderId = path.substring(path.lastIndexOf('/') + 1);
                f.simulator().faults().outage(Duration.ofSeconds(60), how);
                p.awaitVideo(WAIT);
                deliveredOnce(f, p);
                assertThat(p.texts()).as("told once, in the progress message")
                        .filteredOn(t -> t.contains("not answering")).hasSize(1);
                assertThat(p.texts()).noneMatch(t -> t.contains(UNAVAILABLE));

                // logged once: one WARN when the outage starts, one INFO when it ends, not a line per poll
                List<ch.qos.logback.classic.spi.ILoggingEvent> lines = List.copyOf(logs.list).stream()
                        .filter(e -> e.getFormattedMessage().contains(renderId)).toList();
                List<String> shown = lines.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
                assertThat(shown).as("the render's log lines").filteredOn(l -> l.startsWith("WARN")).singleElement()
                        .satisfies(l -> assertThat(l).contains("does not answer"));
                assertThat(shown).as("the render's log lines").filteredOn(l -> l.startsWith("INFO")).singleElement()
                        .satisfies(l -> assertThat(l).contains("answers its status again"));
                assertThat(lines.getFirst().getLevel()).as("the warning comes first: %s", shown)
                        .isEqualTo(ch.qos.logback.classic.Level.WARN);
            } finally {
                core.detachAppender(logs);
            }
        }
    }
}
