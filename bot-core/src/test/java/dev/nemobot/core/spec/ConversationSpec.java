package dev.nemobot.core.spec;

import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.EngineTimings;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.testing.MemoryBackend;
import dev.nemobot.core.testing.RecordingPlatform.Sent;
import dev.nemobot.core.testing.SpecFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A conversation from the first photo to the MP4, on the in-memory ports and manual time with the production
 * timings (a 30-second render poll, a 90-second render): what the user sees, in what order, and that each thing is
 * done once.
 */
class ConversationSpec {
    static final String ANIMATE = "animate this image into a 5-second video with smooth motion";
    final ChatUser ann = user("telegram", "1", Locale.ENGLISH);

    @Test
    void aPhotoWithACaptionEndsWithTheMp4InTheChatAfterTheRenderPolls() throws Exception {
        try (SpecFixture s = SpecFixture.start()) {
            s.send(file(ann, ANIMATE, png("photo.png")));
            Sent.Video video = s.untilVideo();
            Duration rendering = s.untilIdle();

            assertThat(s.platform().sent().getFirst()).as("acknowledged at once").isInstanceOf(Sent.ActivityShown.class);
            assertThat(new String(Files.readAllBytes(video.file()), 4, 4, StandardCharsets.US_ASCII)).isEqualTo("ftyp");
            assertThat(video.caption()).contains(SpecFixture.WEB + "/workspace/claim?task=");
            assertThat(s.platform().texts()).anyMatch(t -> t.startsWith("Rendering")).contains("Video ready!");
            assertThat(s.backend().calls("runTurn")).isEqualTo(1);
            assertThat(s.backend().calls("submitRender")).isEqualTo(1);
            assertThat(s.backend().calls("download")).isEqualTo(1);
            assertThat(s.backend().calls("renderStatus")).as("polled every 30 s through a 90 s render").isBetween(3, 4);
            assertThat(rendering).isZero();
            assertThat(s.backend().left(s.backend().tokens().getFirst()))
                    .isEqualTo(MemoryBackend.START_CREDITS - MemoryBackend.GENERATION_COST);
        }
    }

    @Test
    void aMessageDuringAGenerationWaitsItsTurnAndIsSentOnce() {
        try (SpecFixture s = SpecFixture.start()) {
            MemoryBackend.Hold generating = s.backend().hold();
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.until(() -> s.backend().held() == 1, "the generation to be running");
            s.send(text(ann, "make the title say Hello"));
            s.untilText(t -> t.contains("queued (#1)"), "the first queued message acknowledged");
            s.send(text(ann, "make the music softer"));
            s.send(text(ann, "trim it to 4 seconds"));
            s.send(text(ann, "one more thing"));
            s.untilText(t -> t.contains("so I did not keep this message"), "the full queue told");
            generating.release();
            s.untilVideo();
            s.untilIdle();

            List<String> turns = s.backend().messages();
            assertThat(turns).hasSize(4);
            assertThat(turns.get(0)).contains("animate this image");
            assertThat(turns.get(1)).contains("make the title say Hello");
            assertThat(turns.get(2)).contains("make the music softer");
            assertThat(turns.get(3)).contains("trim it to 4 seconds");
            assertThat(s.videos()).isEqualTo(1);
        }
    }

    @Test
    void stillWorkingEveryQuietIntervalThenATimeOutAfterTenMinutesOfHeartbeatsOnly() {
        try (SpecFixture s = SpecFixture.start()) {
            s.backend().heartbeatsOnly(true);
            java.time.Instant sent = s.time().now();
            s.send(text(ann, "hello there"));
            Duration notice = s.until(() -> s.platform().texts().contains("⏳ Still working…"), "the notice");
            s.until(() -> s.platform().texts().stream()
                    .anyMatch(t -> t.contains("stopped waiting") && t.contains("/status")), "the time-out");
            Duration waited = Duration.between(sent, s.time().now());
            s.untilIdle();
            assertThat(notice).as("the first notice after a quiet interval").isPositive()
                    .isLessThanOrEqualTo(EngineTimings.defaults().stillWorkingEvery());
            assertThat(waited).as("heartbeats only for the time-out")
                    .isBetween(EngineTimings.defaults().heartbeatOnlyTimeout(),
                            EngineTimings.defaults().heartbeatOnlyTimeout().plusSeconds(15));
            assertThat(s.platform().texts()).noneMatch(t -> t.startsWith("Done"));
        }
    }
}
