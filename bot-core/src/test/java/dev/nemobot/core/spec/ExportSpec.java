package dev.nemobot.core.spec;

import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.Incoming;
import dev.nemobot.core.chat.ReplyTo;
import dev.nemobot.core.text.ShortPrompt;

import dev.nemobot.core.EngineTimings;
import dev.nemobot.core.backend.NemoException;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.testing.RecordingPlatform.Sent;
import dev.nemobot.core.testing.SpecFixture;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Exports on production timings: the 30-second polls, the progress message, the 10-minute limit, failures. */
class ExportSpec {
    static final String ANIMATE = ConversationSpec.ANIMATE;
    final ChatUser ann = user("telegram", "1", Locale.ENGLISH);

    @Test
    void progressIsOneMessageEditedInPlaceWithEachPoll() {
        try (SpecFixture s = SpecFixture.start()) {
            s.backend().renderTakes(Duration.ofMinutes(3));
            s.send(file(ann, ANIMATE, png("photo.png")));
            Duration took = s.until(() -> s.videos() > 0, "the video");
            s.untilIdle();
            assertThat(took).as("delivered soon after the 3-minute render")
                    .isBetween(Duration.ofMinutes(3), Duration.ofMinutes(3).plusSeconds(30));
            assertThat(s.platform().sent()).filteredOn(x -> x instanceof Sent.Text)
                    .as("one progress message").filteredOn(x -> x.shownText().startsWith("Rendering")).hasSize(1);
            assertThat(s.platform().sent()).filteredOn(x -> x instanceof Sent.Edit).extracting(Sent::shownText)
                    .doesNotContain("Video ready!").anyMatch(t -> t.matches("Rendering… \\d+%.*"));
            Sent.Text progress = (Sent.Text) s.platform().sent().stream()
                    .filter(x -> x instanceof Sent.Text t && t.text().startsWith("Rendering")).findFirst().orElseThrow();
            assertThat(s.platform().sent()).filteredOn(x -> x instanceof Sent.Video).singleElement()
                    .as("the progress message becomes the video")
                    .satisfies(v -> assertThat(((Sent.Video) v).replaced()).contains(progress.ref()));
            assertThat(s.backend().calls("renderStatus")).as("no more often than every 30 s").isBetween(2, 7);
        }
    }

    @Test
    void aSecondExportRequestJoinsTheOneUnderWay() {
        try (SpecFixture s = SpecFixture.start(st -> st.withAutoExport(false), b -> b)) {
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.untilText(t -> t.contains("Send /export"), "the export hint");
            s.send(text(ann, "/export"));
            s.untilText(t -> t.startsWith("Rendering"), "the render started");
            s.send(text(ann, "/export"));
            s.untilText(t -> t.contains("already being exported"), "the second request joined");
            s.untilVideo();
            s.untilIdle();
            assertThat(s.backend().calls("submitRender")).isEqualTo(1);
            assertThat(s.videos()).isEqualTo(1);
        }
    }

    @Test
    void aRenderLongerThanTheLimitIsGivenUpWithAWayToTryAgain() {
        try (SpecFixture s = SpecFixture.start()) {
            s.backend().renderTakes(Duration.ofHours(1));
            s.send(file(ann, ANIMATE, png("photo.png")));
            Duration waited = s.until(() -> s.platform().texts().stream()
                    .anyMatch(t -> t.contains("taking unusually long")), "the export given up");
            s.untilIdle();
            assertThat(s.videos()).isZero();
            Duration limit = EngineTimings.defaults().renderTimeout();
            assertThat(waited).isBetween(limit, limit.plusMinutes(1));
            assertThat(s.backend().calls("renderStatus")).as("no more often than every 30 s")
                    .isBetween(2, (int) (limit.toSeconds() / 30) + 1);
        }
    }

    @Test
    void aFailedRenderIsToldAndTheNextExportDelivers() {
        try (SpecFixture s = SpecFixture.start()) {
            s.backend().failRenders(1);
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.untilText(t -> t.contains("export failed on the server"), "the failure told");
            s.untilIdle();
            s.send(text(ann, "/export"));
            s.untilVideo();
            s.untilIdle();
            assertThat(s.backend().calls("submitRender")).isEqualTo(2);
            assertThat(s.videos()).isEqualTo(1);
        }
    }

    @Test
    void aVideoOverThePlatformsLimitIsSentAsALink() {
        try (SpecFixture s = SpecFixture.withUploadLimit(16)) {
            s.send(file(ann, ANIMATE, png("photo.png")));
            String link = s.untilText(t -> t.contains("Download it here: https://cdn.nemovideo.test/renders/"),
                    "the link");
            assertThat(link).contains("this chat takes files up to");
            s.untilIdle();
            assertThat(s.videos()).isZero();
        }
    }

    @Test
    void aPlanWithoutExportAsksToRegisterOrUpgrade() {
        try (SpecFixture s = SpecFixture.start()) {
            s.backend().failNext("submitRender", new NemoException.PlanRequired(402, "plan required"));
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.untilText(t -> t.contains("register or upgrade your plan"), "the plan asked for");
        }
    }

    @Test
    void anExportCutByARestartIsResumedByTheNextEngineInTheSameMessage() {
        try (SpecFixture s = SpecFixture.start()) {
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.untilText(t -> t.startsWith("Rendering"), "the progress message");
            Sent.Text progress = (Sent.Text) s.platform().sent().stream()
                    .filter(x -> x instanceof Sent.Text t && t.text().startsWith("Rendering")).findFirst().orElseThrow();
            s.restart();
            Sent.Video v = s.untilVideo();
            s.untilIdle();
            assertThat(v.recipient()).isEqualTo(ann);
            assertThat(s.platform().sent()).as("the progress message of before the stop goes on, no new one")
                    .noneMatch(x -> x instanceof Sent.Text t && t.text().startsWith("Rendering"))
                    .anyMatch(x -> x instanceof Sent.Edit e && e.ref().equals(progress.ref()));
            assertThat(v.replaced()).as("and becomes the video").contains(progress.ref());
            assertThat(s.backend().calls("submitRender")).isEqualTo(1);
        }
    }

    @Test
    void anExportResumedAfterARestartStillAnswersItsRequestInItsTopic() {
        try (SpecFixture s = SpecFixture.start()) {
            Conversation topic = new Conversation("telegram", "-100777", true, "", "7");
            Incoming asked = file(ann, ANIMATE, png("photo.png"));
            asked = new Incoming(asked.messageId(), ann, topic, asked.text(), asked.attachments()).answering("42");
            s.send(asked);
            s.untilText(t -> t.startsWith("Rendering"), "the progress message");
            s.restart();
            Sent.Video v = s.untilVideo();
            s.untilIdle();
            assertThat(v.replyTo()).as("the resumed export answers the request it came from")
                    .isEqualTo(new ReplyTo(topic, "42"));
            assertThat(v.caption()).startsWith("“" + ShortPrompt.of(ANIMATE) + "”");
            assertThat(s.platform().sent()).as("every answer went to the topic")
                    .allSatisfy(x -> assertThat(switch (x) {
                        case Sent.Text t -> t.conversation();
                        case Sent.Video video -> video.conversation();
                        case Sent.Edit e -> e.ref().conversation();
                        case Sent.Choices c -> c.conversation();
                        case Sent.ActivityShown a -> a.conversation();
                    }).isEqualTo(topic));
        }
    }
}
