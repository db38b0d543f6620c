package dev.nemobot.core;

import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.RecordingPlatform;
import dev.nemobot.core.testing.RecordingPlatform.Sent;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Whole conversations end to end: the engine, the real client over HTTP and the simulator, on the SQLite store. What
 * the engine does in each situation is specified in {@code dev.nemobot.core.spec} (in-memory ports, manual time);
 * these check that the pieces fit: the MP4 really downloaded, the request bodies, the store on disk.
 */
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
            assertThat(p.texts()).anyMatch(t -> t.startsWith("Rendering")).doesNotContain("Video ready!");
            assertThat(video.replaced()).as("the render's progress message became the video").isPresent();
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
    void aJapaneseUserGetsAJapaneseSessionAndTheAgentAnswersInJapanese() throws Exception {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            in.accept(file(user("telegram", "ja1", Locale.JAPANESE), "この写真を5秒の動画にして", png("photo.png")));

            p.awaitVideo(WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(Checks.requests(f.simulator(), "POST", "/api/tasks/me/with-session").getFirst().bodyText())
                    .contains("\"language\":\"ja\"");
            // the agent's words, not only the bot's, are Japanese; its talk about the web editor is still translated
            assertThat(p.texts()).anyMatch(t -> t.contains("完成です！5秒のクリップができました。"))
                    .noneMatch(t -> t.contains("clip is ready") || t.contains("raw video"))
                    .noneMatch(t -> t.contains("クリック") || t.contains("タイムラインでプレビュー"));
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
