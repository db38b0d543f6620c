package dev.nemobot.core;

import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.RecordingPlatform;
import dev.nemobot.core.testing.RecordingPlatform.Sent;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Locale;
import org.jcodec.common.DemuxerTrackMeta;
import org.jcodec.common.io.ByteBufferSeekableByteChannel;
import org.jcodec.containers.mp4.demuxer.MP4Demuxer;
import org.junit.jupiter.api.Test;

/**
 * Video options end to end (issue 21): flags in a caption become the agent's instruction in the session's language,
 * the simulator renders what they ask (read from the MP4's bytes), and a bad value is refused before any backend
 * call.
 */
class VideoOptionsFlowTest {
    static final Duration WAIT = Duration.ofSeconds(60);

    /** Width, height and seconds of an MP4, from its bytes. */
    record Mp4(int width, int height, double seconds) {
        static Mp4 of(byte[] bytes) throws Exception {
            try (MP4Demuxer d = MP4Demuxer.createMP4Demuxer(
                    ByteBufferSeekableByteChannel.readFromByteBuffer(ByteBuffer.wrap(bytes)))) {
                DemuxerTrackMeta meta = d.getVideoTracks().getFirst().getMeta();
                return new Mp4(meta.getVideoCodecMeta().getSize().getWidth(),
                        meta.getVideoCodecMeta().getSize().getHeight(), meta.getTotalDuration());
            }
        }
    }

    @Test
    void aPortraitEightSecondRequestGivesAPortraitEightSecondMp4() throws Exception {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            ChatUser ann = user("telegram", "1", Locale.ENGLISH);
            in.accept(file(ann, "a cat surfing --ar 9:16 --duration 8 --camera \"zoom in\" --style anime --seed 42 "
                    + "--no \"text, blur\"", png("photo.png")));

            Sent.Video video = p.awaitVideo(WAIT);
            Mp4 mp4 = Mp4.of(Files.readAllBytes(video.file()));
            // the test simulator's frame is 160x90: its short side, in portrait
            assertThat(mp4.width()).isEqualTo(90);
            assertThat(mp4.height()).isEqualTo(160);
            assertThat(mp4.seconds()).isCloseTo(8.0, within(0.01));
            assertThat(Checks.turnsSent(f.simulator())).singleElement().asString()
                    .contains("a cat surfing\\nSettings for this video: aspect ratio 9:16 (portrait), 8 seconds long, "
                            + "camera movement: zoom in, style: anime, seed 42, avoid: text, blur.")
                    .doesNotContain("--ar");
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();

            in.accept(text(ann, "/status"));
            p.awaitText(t -> t.contains("photo.png animated (9:16, 8s, zoom in, anime, seed 42) (0-8s)"), WAIT);
        }
    }

    @Test
    void theInstructionIsInTheSessionsLanguageAndACaptionOfOptionsAloneAnimates() throws Exception {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            in.accept(file(user("telegram", "ja1", Locale.JAPANESE), "--ar 1:1 --duration 5", png("photo.png")));

            Mp4 mp4 = Mp4.of(Files.readAllBytes(p.awaitVideo(WAIT).file()));
            assertThat(mp4.width()).isEqualTo(90);
            assertThat(mp4.height()).isEqualTo(90);
            assertThat(mp4.seconds()).isCloseTo(5.0, within(0.01));
            assertThat(Checks.turnsSent(f.simulator())).singleElement().asString()
                    .contains("この画像を動画にしてください。\\nこの動画の設定：アスペクト比 1:1（正方形）、長さ 5秒。");
            assertThat(p.texts()).as("no 'uploaded, now say what to do' before the request runs")
                    .noneMatch(t -> t.contains("アップロードしました") && t.contains("例"));
        }
    }

    @Test
    void aBadValueIsRefusedWithTheAllowedOnesBeforeAnyBackendCall() throws Exception {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            ChatUser ann = user("telegram", "2", Locale.ENGLISH);
            in.accept(file(ann, "a cat --ar 4:3 --duration 8", png("photo.png")));
            p.awaitText(t -> t.equals("I can't use \"4:3\" for --ar. It takes: 16:9, 9:16, 1:1, auto. Nothing was "
                    + "started and no credits were used."), WAIT);
            in.accept(text(ann, "a dog --duration 30"));
            p.awaitText(t -> t.startsWith("I can't use \"30\" for --duration. It takes: 5, 8."), WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(f.simulator().requests()).as("no token, session, upload or turn").isEmpty();
        }
    }

    @Test
    void defaultsSetWithSettingsSurviveARestartAndARequestsOwnOptionsWin() throws Exception {
        try (EngineFixture f = EngineFixture.start()) {
            ChatUser ann = user("telegram", "3", Locale.ENGLISH);
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            in.accept(text(ann, "/settings"));
            p.awaitText(t -> t.startsWith("You have no default video options"), WAIT);
            in.accept(text(ann, "/settings --ar 1:1 --style clay --seed 7"));
            p.awaitText(t -> t.startsWith("Saved. Your default video options are now:\nAspect ratio: 1:1 (square)\n"
                    + "Duration: default\n"), WAIT);
            in.accept(text(ann, "/settings --ar 7:5"));
            p.awaitText(t -> t.startsWith("I can't use \"7:5\" for --ar."), WAIT);
            in.accept(text(ann, "/settings seed default"));
            p.awaitText(t -> t.startsWith("Saved.") && t.contains("Seed: default"), WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(f.simulator().requests()).as("settings cost no backend call").isEmpty();
            f.engine().close();

            try (Engine again = Engine.builder().settings(f.settings()).backend(f.backend())
                    .timings(EngineFixture.TEST_TIMINGS).build()) {
                RecordingPlatform p2 = new RecordingPlatform("telegram", 50_000_000);
                Inbox in2 = again.attach(p2);
                in2.accept(text(ann, "/settings"));
                p2.awaitText(t -> t.startsWith("Your default video options (a request's own options win over them):\n"
                        + "Aspect ratio: 1:1 (square)\n") && t.contains("Style: clay"), WAIT);
                // its own aspect ratio wins; the default style applies
                in2.accept(file(ann, "a cat --ar 9:16 --duration 8", png("photo.png")));
                Mp4 mp4 = Mp4.of(Files.readAllBytes(p2.awaitVideo(WAIT).file()));
                assertThat(mp4.width()).isEqualTo(90);
                assertThat(mp4.height()).isEqualTo(160);
                assertThat(Checks.turnsSent(f.simulator())).singleElement().asString()
                        .contains("a cat\\nSettings for this video: aspect ratio 9:16 (portrait), 8 seconds long, "
                                + "style: clay.");
                assertThat(again.awaitIdle(WAIT)).isTrue();
                in2.accept(text(ann, "/status"));
                p2.awaitText(t -> t.contains("Options for your next video (your defaults; a request's own options "
                        + "win): Aspect ratio: 1:1 (square), Style: clay"), WAIT);
                in2.accept(text(ann, "/settings clear"));
                p2.awaitText(t -> t.startsWith("Your default video options are cleared"), WAIT);
            }
        }
    }
}
