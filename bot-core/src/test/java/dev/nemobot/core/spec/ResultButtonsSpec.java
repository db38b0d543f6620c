package dev.nemobot.core.spec;

import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.store.Results;
import dev.nemobot.core.testing.RecordingPlatform.Sent;
import dev.nemobot.core.testing.SpecFixture;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The buttons under a delivered video act on that video's own request, kept in the store: on an older video, after
 * a restart and after /new; one whose request was pruned says so.
 */
class ResultButtonsSpec {
    static final String ANIMATE = ConversationSpec.ANIMATE;
    static final String SUNSET = "make a video of the sunset behind the mountains";
    final ChatUser ann = user("telegram", "1", Locale.ENGLISH);

    /** Moves time on until the platform shows one more video than {@code before}; returns it. */
    private static Sent.Video nextVideo(SpecFixture s, long before) {
        s.until(() -> s.videos() > before, "another video");
        s.untilIdle();
        List<Sent> sent = s.platform().sent();
        return (Sent.Video) sent.stream().filter(x -> x instanceof Sent.Video).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void againUnderAnOlderVideoSendsThatVideosRequest() {
        try (SpecFixture s = SpecFixture.start()) {
            s.send(file(ann, ANIMATE, png("photo.png")));
            Sent.Video first = nextVideo(s, 0);
            s.send(text(ann, SUNSET));
            Sent.Video second = nextVideo(s, 1);
            assertThat(second.resultId()).isPresent().isNotEqualTo(first.resultId());

            s.send(text(ann, first.press(Action.AGAIN)));
            nextVideo(s, 2);
            s.send(text(ann, second.press(Action.LONGER)));
            nextVideo(s, 3);

            List<String> turns = s.backend().messages();
            assertThat(turns).hasSize(4);
            assertThat(turns.get(2)).as("Again under the first video").contains("new take").contains(ANIMATE)
                    .doesNotContain(SUNSET);
            assertThat(turns.get(3)).as("Longer under the second").contains("longer take").contains(SUNSET);
        }
    }

    @Test
    void againAfterARestartStillKnowsTheRequest() {
        try (SpecFixture s = SpecFixture.start()) {
            s.send(file(ann, ANIMATE, png("photo.png")));
            Sent.Video video = nextVideo(s, 0);
            s.restart();

            s.send(text(ann, video.press(Action.AGAIN)));
            nextVideo(s, 0);
            assertThat(s.platform().texts()).noneMatch(t -> t.contains("don't have its request"));
            assertThat(s.backend().messages()).hasSize(2);
            assertThat(s.backend().messages().get(1)).contains("new take").contains(ANIMATE);
        }
    }

    @Test
    void againAfterNewBringsTheImageIntoTheNewProject() {
        try (SpecFixture s = SpecFixture.start()) {
            s.send(file(ann, ANIMATE, png("photo.png")));
            Sent.Video video = nextVideo(s, 0);
            s.send(text(ann, "/new"));
            s.untilText(t -> t.startsWith("Started a new project"), "a new project");

            s.send(text(ann, video.press(Action.AGAIN)));
            Sent.Video again = nextVideo(s, 1);
            assertThat(s.backend().calls("uploadUrl")).as("the image fetched again into the new project").isEqualTo(1);
            assertThat(s.backend().messages()).hasSize(2);
            assertThat(s.backend().messages().get(1)).contains("new take").contains(ANIMATE);
            assertThat(again.resultId()).isPresent().isNotEqualTo(video.resultId());
            assertThat(s.platform().texts()).noneMatch(t -> t.contains("don't have its request"));
        }
    }

    @Test
    void aButtonWhoseRequestWasPrunedSaysSoAndCostsNothing() {
        try (SpecFixture s = SpecFixture.start()) {
            s.send(file(ann, ANIMATE, png("photo.png")));
            Sent.Video video = nextVideo(s, 0);
            s.time().jump(Results.KEEP.plus(Duration.ofDays(1)));
            s.store().pruneExpired();

            s.send(text(ann, video.press(Action.AGAIN)));
            assertThat(s.untilText(t -> t.contains("no longer kept"), "the answer to Again"))
                    .startsWith("That video's request is no longer kept (I keep them for 30 days)");
            s.untilIdle();
            assertThat(s.backend().calls("runTurn")).isEqualTo(1);
        }
    }
}
