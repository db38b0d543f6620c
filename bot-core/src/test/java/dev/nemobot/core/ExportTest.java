package dev.nemobot.core;

import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.config.Settings;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.testing.Await;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.MutableClock;
import dev.nemobot.core.testing.RecordingPlatform;
import dev.nemobot.core.testing.RecordingPlatform.Sent;
import dev.nemobot.simulator.SimulatorConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ExportTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String ANIMATE = ConversationFlowTest.ANIMATE;
    private final ChatUser ann = user("telegram", "1", Locale.ENGLISH);

    private static Settings manualExport(Settings s) {
        return new Settings(s.nemo(), s.telegram(), s.discord(), s.dataDir(), false);
    }

    @Test
    void aSecondExportRequestJoinsTheOneUnderWay() {
        // the render runs until the test moves the simulator's clock on
        MutableClock simClock = new MutableClock(Instant.now());
        SimulatorConfig sim = SimulatorConfig.fast().withClock(simClock).withRenderTime(Duration.ofMinutes(1));
        try (EngineFixture f = EngineFixture.start(sim, ExportTest::manualExport, b -> b)) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            in.accept(file(ann, ANIMATE, png("photo.png")));
            Sent hint = p.awaitText(t -> t.contains("Send /export"), WAIT);
            assertThat(((Sent.Text) hint).actions()).contains(dev.nemobot.core.chat.Action.EXPORT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(Checks.count(f.simulator(), "POST", "/api/render")).as("no auto export").isZero();

            in.accept(text(ann, "export"));
            p.awaitText(t -> t.startsWith("Rendering"), WAIT);
            in.accept(text(ann, "/export"));
            p.awaitText(t -> t.contains("already being exported"), WAIT);
            // "Rendering" is shown before the submit: the clock moves on once the job is polled, so it is submitted
            Await.until(() -> Checks.count(f.simulator(), "GET", "/api/render/proxy/lambda/") >= 1, WAIT,
                    "the render polled");
            simClock.advance(Duration.ofMinutes(1));
            p.awaitVideo(WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(Checks.count(f.simulator(), "POST", "/api/render/proxy/lambda")).isEqualTo(1);
            assertThat(p.sent()).filteredOn(s -> s instanceof Sent.Video).hasSize(1);
        }
    }

    @Test
    void progressIsOneMessageEditedInPlace() {
        SimulatorConfig sim = SimulatorConfig.fast().withRenderTime(Duration.ofMillis(600));
        try (EngineFixture f = EngineFixture.start(sim, b -> b)) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            f.engine().attach(p).accept(file(ann, ANIMATE, png("photo.png")));
            p.awaitVideo(WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            Sent.Text first = (Sent.Text) p.await(s -> s instanceof Sent.Text t && t.text().startsWith("Rendering"),
                    WAIT, "the progress message");
            assertThat(p.sent()).filteredOn(s -> s instanceof Sent.Edit e && e.ref().equals(first.ref()))
                    .extracting(Sent::shownText).contains("Video ready!").anyMatch(t -> t.matches("Rendering… \\d+%"));
            assertThat(p.sent()).filteredOn(s -> s instanceof Sent.Text t && t.text().startsWith("Rendering")).hasSize(1);
        }
    }

    @Test
    void aVideoOverThePlatformsLimitIsSentAsALink() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("discord", 1_000);
            f.engine().attach(p).accept(file(ann, ANIMATE, png("photo.png")));
            Sent link = p.awaitText(t -> t.contains("Download it here: http://127.0.0.1"), WAIT);
            assertThat(link.shownText()).contains(EngineFixture.WEB_URL + "/workspace/claim?task=")
                    .contains("is too large to send here: this chat takes files up to 1 KB");
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(p.sent()).noneMatch(s -> s instanceof Sent.Video);
        }
    }

    @Test
    void aVideoThatCannotBeWrittenToTheDataDirectoryIsSentAsALink() throws Exception {
        try (EngineFixture f = EngineFixture.start()) {
            // a file where the temporary directory should be
            java.nio.file.Files.writeString(f.dataDir().resolve("tmp"), "not a directory");
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            f.engine().attach(p).accept(file(ann, ANIMATE, png("photo.png")));
            Sent link = p.awaitText(t -> t.contains("could not store the file") && t.contains("workspace/claim"), WAIT);
            assertThat(link.shownText()).startsWith("The video is ready, but I could not store the file on my side")
                    .as("nothing was downloaded, so the backend's unchecked output URL is not passed on")
                    .doesNotContain("Download it here").doesNotContain("/files/");
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(p.sent()).noneMatch(s -> s instanceof Sent.Video);
        }
    }

    @Test
    void aVideoThePlatformRejectsIsSentAsALink() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            p.rejectVideos(true);
            f.engine().attach(p).accept(file(ann, ANIMATE, png("photo.png")));
            Sent link = p.awaitText(t -> t.contains("Download it here: http://127.0.0.1")
                    && t.contains("workspace/claim"), WAIT);
            assertThat(link.shownText()).as("not \"too large\": the platform refused it")
                    .startsWith("Telegram refused the video upload").doesNotContain("too large");
        }
    }

    @Test
    void aPlanWithoutExportAsksToRegisterOrUpgrade() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            f.simulator().faults().failNext("/api/render/proxy/lambda", 402, 1);
            f.engine().attach(p).accept(file(ann, ANIMATE, png("photo.png")));
            p.awaitText(t -> t.contains("register or upgrade your plan"), WAIT);
        }
    }

    @Test
    void anExportCutByAShutdownIsResumedByTheNextEngine() {
        // the render runs until the test moves the simulator's clock on
        MutableClock simClock = new MutableClock(Instant.now());
        SimulatorConfig sim = SimulatorConfig.fast().withClock(simClock).withRenderTime(Duration.ofMinutes(1));
        try (EngineFixture f = EngineFixture.start(sim, b -> b.timings(EngineFixture.TEST_TIMINGS
                .withShutdownGrace(Duration.ofMillis(100))))) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            f.engine().attach(p).accept(file(ann, ANIMATE, png("photo.png")));
            Sent.Text progress = (Sent.Text) p.await(s -> s instanceof Sent.Text t && t.text().startsWith("Rendering"),
                    WAIT, "the progress message");
            f.engine().close();
            assertThat(p.sent()).noneMatch(s -> s instanceof Sent.Video);
            try (Engine again = Engine.builder().settings(f.settings()).backend(f.backend())
                    .timings(EngineFixture.TEST_TIMINGS).build()) {
                RecordingPlatform p2 = p.restarted();
                long polls = Checks.count(f.simulator(), "GET", "/api/render/proxy/lambda/");
                again.attach(p2);
                Await.until(() -> Checks.count(f.simulator(), "GET", "/api/render/proxy/lambda/") > polls, WAIT,
                        "the next engine polling the render");
                simClock.advance(Duration.ofMinutes(1));
                Sent.Video v = p2.awaitVideo(WAIT);
                assertThat(v.recipient()).isEqualTo(ann);
                assertThat(again.awaitIdle(WAIT)).isTrue();
                assertThat(p2.sent()).as("the progress message of before the stop goes on, no new one")
                        .noneMatch(s -> s instanceof Sent.Text t && t.text().startsWith("Rendering"))
                        .anyMatch(s -> s instanceof Sent.Edit e && e.ref().equals(progress.ref())
                                && e.text().equals("Video ready!"));
            }
            assertThat(Checks.count(f.simulator(), "POST", "/api/render/proxy/lambda")).isEqualTo(1);
        }
    }
}
