package dev.nemobot.core;

import static dev.nemobot.core.testing.TestChats.bytes;
import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.config.Settings;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.backend.TokenGrant;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.RecordingPlatform;
import dev.nemobot.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract's error table, as the user sees it. */
class FailureHandlingTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String ANIMATE = ConversationFlowTest.ANIMATE;
    private final ChatUser ann = user("telegram", "1", Locale.ENGLISH);

    @Test
    void noCreditsGivesAnAnonymousUserTheSignUpLink() {
        try (EngineFixture f = EngineFixture.start(SimulatorConfig.fast().withStartCredits(5), b -> b)) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            f.engine().attach(p).accept(file(ann, ANIMATE, png("photo.png")));
            var said = p.awaitText(t -> t.contains("free credits"), WAIT);
            assertThat(said.shownText()).containsPattern(EngineFixture.WEB_URL + "/\\?bind=\\S+");
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(p.sent()).noneMatch(s -> s instanceof RecordingPlatform.Sent.Video);
            Checks.nothingLeaked(p, f.simulator());
        }
    }

    @Test
    void withAnOperatorTokenEveryUserHasTheirOwnSessionAndNoCreditsMeansTopUp(@TempDir Path dir) throws Exception {
        try (EngineFixture f = EngineFixture.start(SimulatorConfig.fast().withStartCredits(5), b -> b)) {
            TokenGrant operator = f.backend().anonymousToken(UUID.randomUUID().toString());
            Settings s = new Settings(f.settings().nemo().withToken(operator.token()), Optional.empty(),
                    Optional.empty(), dir, true);
            f.simulator().clearRequests();
            try (Engine engine = Engine.builder().settings(s).backend(f.backend())
                    .timings(EngineFixture.TEST_TIMINGS).build()) {
                RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
                Inbox in = engine.attach(p);
                in.accept(text(user("telegram", "2", Locale.ENGLISH), "status"));
                in.accept(file(ann, ANIMATE, png("photo.png")));
                p.awaitText(t -> t.contains("top up your credits"), WAIT);
                assertThat(engine.awaitIdle(WAIT)).isTrue();
            }
            assertThat(Checks.count(f.simulator(), "POST", "/api/auth/anonymous-token")).isZero();
            assertThat(Checks.requests(f.simulator(), "POST", "/api/tasks/me/with-session")).hasSize(2)
                    .allMatch(r -> r.header("Authorization").orElseThrow().equals("Bearer " + operator.token().reveal()));
        }
    }

    @Test
    void refusedSignUpsAreExplainedWithWhatTheOperatorCanDo() {
        try (EngineFixture f = EngineFixture.start(SimulatorConfig.fast().withTokensPerIp(1), b -> b)) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            in.accept(text(ann, "credits"));
            p.awaitText(t -> t.startsWith("Credits:"), WAIT);
            in.accept(text(user("telegram", "2", Locale.ENGLISH), "credits"));
            var said = p.awaitText(t -> t.contains("free sign-ups are used up"), WAIT);
            assertThat(said.shownText()).contains("NEMO_TOKEN");
        }
    }

    @Test
    void unsupportedAndOversizedFilesGetClearMessages() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            in.accept(file(ann, "", bytes("notes.txt", "text/plain", "hello".getBytes(), 5)));
            var unsupported = p.awaitText(t -> t.contains("notes.txt") && !t.startsWith("Uploading"), WAIT);
            assertThat(unsupported.shownText()).contains("mp4", "jpg", "png", "webp", "aac");

            long declaredTooBig = 21L * 1024 * 1024;
            in.accept(file(ann, "", bytes("huge.png", "image/png", new byte[10], declaredTooBig)));
            p.awaitText(t -> t.contains("huge.png is larger than 20 MB"), WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(Checks.count(f.simulator(), "POST", "/api/upload-video"))
                    .as("the text file is refused by its bytes, the huge one by its declared size: nothing sent")
                    .isZero();

            byte[] big = new byte[21 * 1024 * 1024];
            byte[] header = dev.nemobot.core.testing.TestChats.pngBytes(4, 4);
            System.arraycopy(header, 0, big, 0, header.length);
            in.accept(file(ann, "", bytes("big.png", "image/png", big, -1)));
            p.awaitText(t -> t.contains("big.png is larger than 20 MB") && t.contains("compress"), WAIT);
            Checks.nothingLeaked(p, f.simulator());
        }
    }

    @Test
    void aRateLimitIsRetriedOnceThenExplained() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            in.accept(text(ann, "status"));
            p.awaitText(t -> t.contains("project is empty"), WAIT);

            f.simulator().faults().rateLimitNext("/api/credits", 1);
            in.accept(text(ann, "credits"));
            p.awaitText(t -> t.startsWith("Credits: 100 available"), WAIT);
            assertThat(Checks.count(f.simulator(), "GET", "/api/credits")).isEqualTo(2);

            f.simulator().faults().rateLimitNext("/api/credits", 2);
            in.accept(text(ann, "balance"));
            p.awaitText(t -> t.contains("limiting requests"), WAIT);
            assertThat(Checks.count(f.simulator(), "GET", "/api/credits")).isEqualTo(4);
        }
    }

    @Test
    void anInStreamErrorIsReportedWithoutItsText() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            f.simulator().faults().streamErrorNextTurn(true);
            in.accept(text(ann, "hello"));
            p.awaitText(t -> t.contains("went wrong on the backend"), WAIT);
            Checks.nothingLeaked(p, f.simulator());
        }
    }
}
