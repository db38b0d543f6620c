package dev.nemobot.core;

import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.chat.Incoming;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.RecordingPlatform;
import dev.nemobot.core.testing.RecordingPlatform.Sent;
import dev.nemobot.simulator.SimulatorConfig;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Whole conversations against the simulator through the real client. */
class ConversationFlowTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String ANIMATE = "animate this image into a 5-second video with smooth motion";

    @Test
    void anImageWithACaptionEndsWithTheMp4InTheChat() throws Exception {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            ChatUser ann = user("telegram", "1", Locale.ENGLISH);
            in.accept(file(ann, ANIMATE, png("photo.png")));

            Sent.Video video = p.awaitVideo(WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(p.sent().getFirst()).as("acknowledged at once").isInstanceOf(Sent.ActivityShown.class);
            byte[] mp4 = Files.readAllBytes(video.file());
            assertThat(new String(mp4, 4, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ftyp");
            assertThat(video.caption()).contains(EngineFixture.WEB_URL + "/workspace/claim?task=")
                    .contains("&session=").contains("&skill_name=pixverse-ai-image-to-video&skill_version=1.0.0"
                            + "&skill_source=unknown");
            assertThat(p.texts()).anyMatch(t -> t.startsWith("Rendering")).contains("Video ready!");
            assertThat(p.texts()).as("GUI talk translated").noneMatch(t -> t.contains("Click") || t.contains("click"));
            assertThat(Checks.turnsSent(f.simulator())).hasSize(1);
            assertThat(Checks.count(f.simulator(), "POST", "/api/render/proxy/lambda")).isEqualTo(1);
            try (var left = Files.list(f.dataDir().resolve("tmp"))) {
                assertThat(left).as("temporary video deleted").isEmpty();
            }
            Checks.nothingLeaked(p, f.simulator());
        }
    }

    @Test
    void twoUsersAtOnceGetTheirOwnIdentitiesAndVideos() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("discord", 50_000_000);
            Inbox in = f.engine().attach(p);
            ChatUser a = user("discord", "a", Locale.ENGLISH);
            ChatUser b = user("discord", "b", Locale.ENGLISH);
            in.accept(file(a, ANIMATE, png("a.png")));
            in.accept(file(b, ANIMATE, png("b.png")));
            p.await(s -> s instanceof Sent.Video v && v.recipient().equals(a), WAIT, "a's video");
            p.await(s -> s instanceof Sent.Video v && v.recipient().equals(b), WAIT, "b's video");
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();

            List<String> clientIds = Checks.requests(f.simulator(), "POST", "/api/auth/anonymous-token").stream()
                    .map(r -> r.header("X-Client-Id").orElseThrow()).toList();
            assertThat(clientIds).hasSize(2).doesNotHaveDuplicates();
            assertThat(Checks.count(f.simulator(), "POST", "/api/tasks/me/with-session")).isEqualTo(2);
            assertThat(Checks.turnsSent(f.simulator())).hasSize(2);
            Checks.nothingLeaked(p, f.simulator());
        }
    }

    @Test
    void aSilentTurnIsAnsweredWithTheTimelineSummary() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            ChatUser ann = user("telegram", "1", Locale.ENGLISH);
            in.accept(file(ann, ANIMATE, png("photo.png")));
            p.awaitVideo(WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();

            f.simulator().faults().silentNextTurn();
            p.clear();
            in.accept(text(ann, "add lo-fi background music"));
            Sent done = p.awaitText(t -> t.startsWith("Done. Timeline ("), WAIT);
            assertThat(done.shownText()).matches("Done\\. Timeline \\(\\d tracks?\\): 1\\. Video: .*\\(0-\\d+s\\).*");
        }
    }

    @Test
    void aMessageDuringAGenerationWaitsItsTurnAndIsSentOnce() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            ChatUser ann = user("telegram", "1", Locale.ENGLISH);
            // the generation runs until every message below has been queued or refused
            f.simulator().faults().holdStages();
            in.accept(file(ann, ANIMATE, png("photo.png")));
            in.accept(text(ann, "make the title say Hello"));
            p.awaitText(t -> t.contains("queued (#1)"), WAIT);
            in.accept(text(ann, "make the music softer"));
            in.accept(text(ann, "trim it to 4 seconds"));
            in.accept(text(ann, "one more thing"));
            // the queue is full: the user is told the message was not kept
            p.awaitText(t -> t.contains("so I did not keep this message"), WAIT);
            dev.nemobot.core.testing.Await.until(() -> Checks.turnsSent(f.simulator()).size() == 1, WAIT,
                    "the generation under way");
            f.simulator().faults().releaseStages();
            p.awaitVideo(WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();

            List<String> turns = Checks.turnsSent(f.simulator());
            assertThat(turns).hasSize(4);
            assertThat(turns.get(0)).contains("animate this image");
            assertThat(turns.get(1)).contains("make the title say Hello");
            assertThat(turns.get(2)).contains("make the music softer");
            assertThat(turns.get(3)).contains("trim it to 4 seconds");
            assertThat(turns).noneMatch(t -> t.contains("one more thing"));
        }
    }

    @Test
    void stillWorkingEveryQuietIntervalThenATimeOutAfterHeartbeatsOnly() {
        try (EngineFixture f = EngineFixture.start(SimulatorConfig.fast(), b -> b.timings(EngineFixture.TEST_TIMINGS
                .withStillWorkingEvery(Duration.ofMillis(150)).withHeartbeatOnlyTimeout(Duration.ofMillis(600))))) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            ChatUser ann = user("telegram", "1", Locale.ENGLISH);
            f.simulator().faults().heartbeatsOnlyNextTurn();
            in.accept(text(ann, "hello there"));
            p.awaitText(t -> t.equals("⏳ Still working…"), WAIT);
            p.awaitText(t -> t.contains("stopped waiting") && t.contains("/status"), WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(p.texts()).noneMatch(t -> t.startsWith("Done"));
        }
    }

    @Test
    void cancelStopsWaitingDropsTheQueueAndSaysTheBackendMayFinish() {
        SimulatorConfig slow = SimulatorConfig.fast().withStageDelay(Duration.ofSeconds(3));
        try (EngineFixture f = EngineFixture.start(slow, b -> b)) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            ChatUser ann = user("telegram", "1", Locale.ENGLISH);
            in.accept(file(ann, ANIMATE, png("photo.png")));
            in.accept(text(ann, "add lo-fi music"));
            p.awaitText(t -> t.contains("queued (#1)"), WAIT);
            dev.nemobot.core.testing.Await.until(() -> Checks.turnsSent(f.simulator()).size() == 1, WAIT, "the turn");
            in.accept(text(ann, "/cancel"));
            Sent said = p.awaitText(t -> t.startsWith("Stopped waiting"), WAIT);
            assertThat(said.shownText()).contains("dropped 1 queued message").contains("may still finish")
                    .contains("/status");
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(Checks.turnsSent(f.simulator())).hasSize(1);
            assertThat(p.sent()).noneMatch(s -> s instanceof Sent.Video);
        }
    }

    @Test
    void cancelWithNothingRunningSaysSo() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            in.accept(text(user("telegram", "1", Locale.ENGLISH), "/cancel"));
            p.awaitText(t -> t.contains("nothing running"), WAIT);
        }
    }

    @Test
    void chineseUsersGetAChineseSessionAndChineseReplies() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            in.accept(text(user("telegram", "zh1", Locale.SIMPLIFIED_CHINESE), "积分"));
            p.awaitText(t -> t.startsWith("积分：可用 100"), WAIT);
            assertThat(Checks.requests(f.simulator(), "POST", "/api/tasks/me/with-session").getFirst().bodyText())
                    .contains("\"language\":\"zh\"");
        }
    }

    @Test
    void commandsAndKeywordsSkipTheBackendTurn() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            ChatUser ann = user("telegram", "1", Locale.ENGLISH);
            in.accept(text(ann, "/start"));
            p.awaitText(t -> t.equals("Ready!"), WAIT);
            in.accept(text(ann, "/help"));
            p.awaitText(t -> t.contains("/export") && t.contains("/cancel"), WAIT);
            in.accept(text(ann, "/whatever"));
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(Checks.occurrences(p.texts(), "/cancel - stop waiting")).isEqualTo(2);
            in.accept(text(ann, "upload"));
            p.awaitText(t -> t.contains("20 MB"), WAIT);
            in.accept(text(ann, "status"));
            p.awaitText(t -> t.contains("project is empty"), WAIT);
            in.accept(text(ann, "export"));
            p.awaitText(t -> t.contains("generate something first"), WAIT);
            in.accept(text(ann, "/new"));
            p.awaitText(t -> t.startsWith("Started a new project"), WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(Checks.turnsSent(f.simulator())).isEmpty();
            assertThat(Checks.count(f.simulator(), "POST", "/api/tasks/me/with-session")).isEqualTo(2);
        }
    }

    @Test
    void aRepeatedUpdateIsHandledOnce() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            Incoming m = text(user("telegram", "1", Locale.ENGLISH), "/help");
            in.accept(m);
            in.accept(m);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(p.texts()).hasSize(1);
        }
    }

    @Test
    void anUpdateHandledBeforeARestartIsNotHandledAgainAfterIt() {
        try (EngineFixture f = EngineFixture.start()) {
            ChatUser ann = user("telegram", "1", Locale.ENGLISH);
            Incoming credits = text(ann, "credits");
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            f.engine().attach(p).accept(credits);
            p.awaitText(t -> t.startsWith("Credits:"), WAIT);
            f.engine().close();
            try (Engine again = Engine.builder().settings(f.settings()).backend(f.backend())
                    .timings(EngineFixture.TEST_TIMINGS).build()) {
                RecordingPlatform p2 = new RecordingPlatform("telegram", 50_000_000);
                Inbox in = again.attach(p2);
                in.accept(credits); // the platform redelivers what it saw unconfirmed before the crash
                in.accept(text(ann, "/help"));
                p2.awaitText(t -> t.contains("/credits"), WAIT);
                assertThat(again.awaitIdle(WAIT)).isTrue();
                assertThat(p2.texts()).hasSize(1).noneMatch(t -> t.startsWith("Credits:"));
            }
        }
    }

    @Test
    void aTurnCutOffByAStopIsNotSentAgainAndTheUserIsToldWhereTheProjectStands() {
        try (EngineFixture f = EngineFixture.start(SimulatorConfig.fast().withStageDelay(Duration.ofSeconds(3)),
                b -> b.timings(EngineFixture.TEST_TIMINGS.withShutdownGrace(Duration.ofMillis(50))))) {
            ChatUser ann = user("telegram", "1", Locale.ENGLISH);
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            f.engine().attach(p).accept(file(ann, ANIMATE, png("photo.png")));
            dev.nemobot.core.testing.Await.until(() -> Checks.turnsSent(f.simulator()).size() == 1, WAIT, "the turn");
            f.engine().close(); // cuts the generation off
            try (Engine again = Engine.builder().settings(f.settings()).backend(f.backend())
                    .timings(EngineFixture.TEST_TIMINGS).build()) {
                RecordingPlatform p2 = new RecordingPlatform("telegram", 50_000_000);
                again.attach(p2);
                Sent.Text told = (Sent.Text) p2.awaitText(t -> t.startsWith("I was restarted"), WAIT);
                assertThat(told.recipient()).isEqualTo(ann);
                assertThat(again.awaitIdle(WAIT)).isTrue();
            }
            try (Engine third = Engine.builder().settings(f.settings()).backend(f.backend())
                    .timings(EngineFixture.TEST_TIMINGS).build()) {
                RecordingPlatform p3 = new RecordingPlatform("telegram", 50_000_000);
                third.attach(p3);
                assertThat(third.awaitIdle(WAIT)).isTrue();
                assertThat(p3.texts()).as("told once").isEmpty();
            }
            assertThat(Checks.turnsSent(f.simulator())).as("never sent again").hasSize(1);
        }
    }

    @Test
    void theClientIdSurvivesARestart() {
        try (EngineFixture f = EngineFixture.start()) {
            ChatUser ann = user("telegram", "1", Locale.ENGLISH);
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            f.engine().attach(p).accept(text(ann, "credits"));
            p.awaitText(t -> t.startsWith("Credits:"), WAIT);
            f.engine().close();
            try (Engine again = Engine.builder().settings(f.settings()).backend(f.backend())
                    .timings(EngineFixture.TEST_TIMINGS).build()) {
                RecordingPlatform p2 = new RecordingPlatform("telegram", 50_000_000);
                again.attach(p2).accept(text(ann, "status"));
                p2.awaitText(t -> t.contains("project is empty"), WAIT);
            }
            assertThat(Checks.count(f.simulator(), "POST", "/api/auth/anonymous-token")).isEqualTo(1);
            assertThat(Checks.count(f.simulator(), "POST", "/api/tasks/me/with-session")).isEqualTo(1);
            assertThat(Optional.of(f.dataDir().resolve(Engine.STORE_FILE))).get().matches(Files::exists);
        }
    }
}
