package dev.nemobot.core.spec;

import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.testing.RecordingPlatform.Sent;
import dev.nemobot.core.testing.SpecFixture;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** What a user sees around a request: acknowledgements, progress, buttons, and the plain answers. */
class ReplyUxSpec {
    static final String ANIMATE = ConversationSpec.ANIMATE;
    static final List<Action> NEXT = List.of(Action.AGAIN, Action.LONGER, Action.ADD_MUSIC, Action.NEW);
    final ChatUser ann = user("telegram", "1", Locale.ENGLISH);

    private static List<Action> actions(Sent s) {
        return switch (s) {
            case Sent.Text t -> t.actions();
            case Sent.Edit e -> e.actions();
            case Sent.Video v -> v.actions();
            case Sent.Choices c -> List.of();
            case Sent.ActivityShown a -> List.of();
        };
    }

    @Test
    void aRequestIsAcknowledgedAtOnceAndTheProgressAndTheVideoCarryButtons() {
        try (SpecFixture s = SpecFixture.start()) {
            s.send(file(ann, ANIMATE, png("photo.png")));
            Sent.Video video = s.untilVideo();
            s.untilIdle();

            List<Sent> said = s.platform().sent().stream().filter(x -> !(x instanceof Sent.ActivityShown)).toList();
            assertThat(said.getFirst().shownText()).as("said before the upload").isEqualTo("Uploading photo.png…");
            assertThat(actions(said.getFirst())).containsExactly(Action.CANCEL);
            assertThat(s.platform().texts()).as("then the request is acknowledged in the same message")
                    .contains("⏳ Working on it…");
            assertThat(s.platform().texts()).as("the auto export says what happens next")
                    .contains("Rendering your clip as an MP4 to send it here… (usually 30-90 s)");
            assertThat(s.platform().sent()).as("the render's progress carries Cancel and Status")
                    .anyMatch(x -> x.shownText().startsWith("Rendering")
                            && actions(x).equals(List.of(Action.CANCEL, Action.STATUS)));
            assertThat(s.platform().texts()).as("the time left, from the progress")
                    .anyMatch(t -> t.matches("Rendering… \\d+%, about \\d+ (s|min) left"));
            assertThat(video.actions()).as("the quick edits under the video").isEqualTo(NEXT);
            assertThat(s.platform().visibleMessages()).as("the render's progress became the video, no \"Video ready!\" beside it")
                    .noneMatch(t -> t.contains("Video ready")).filteredOn(t -> t.startsWith("Here is your video")).hasSize(1);
        }
    }

    @Test
    void againSendsTheSameRequestAsANewTakeAndAddMusicAsAnEdit() {
        try (SpecFixture s = SpecFixture.start()) {
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.untilVideo();
            s.untilIdle();
            s.platform().clear();
            s.send(text(ann, Action.AGAIN.command()));
            s.untilVideo();
            s.untilIdle();
            s.send(text(ann, Action.ADD_MUSIC.command()));
            s.untilIdle();

            List<String> turns = s.backend().messages();
            assertThat(turns).hasSize(3);
            assertThat(turns.get(1)).contains("new take").contains(ANIMATE);
            assertThat(turns.get(2)).contains("background music");
        }
    }

    @Test
    void aQuickEditButtonFromAnEarlierProjectGetsAPoliteAnswerAndCostsNothing() {
        try (SpecFixture s = SpecFixture.start()) {
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.untilVideo();
            s.untilIdle();
            s.send(text(ann, "/new"));
            s.untilText(t -> t.startsWith("Started a new project"), "a new project");
            s.send(text(ann, Action.LONGER.command()));
            s.untilText(t -> t.startsWith("That button belongs to an earlier video, and I don't have its request"),
                    "the answer to Longer");
            s.send(text(ann, Action.ADD_MUSIC.command()));
            s.untilText(t -> t.startsWith("That button belongs to an earlier video: your current project has nothing"),
                    "the answer to Add music");
            s.untilIdle();
            assertThat(s.backend().calls("runTurn")).isEqualTo(1);
        }
    }

    @Test
    void anUnknownCommandIsNamedBeforeTheHelp() {
        try (SpecFixture s = SpecFixture.start()) {
            s.send(text(ann, "/foo bar"));
            assertThat(s.untilText(t -> t.contains("/export"), "the help"))
                    .startsWith("I don't know /foo. Here is what I can do:\nSend an image");
        }
    }

    @Test
    void statusAfterAnImageWithoutACaptionSaysTheImageWaitsForARequest() {
        try (SpecFixture s = SpecFixture.start()) {
            s.send(file(ann, "", png("photo.png")));
            s.untilText(t -> t.startsWith("Got it: photo.png"), "the upload confirmed");
            s.send(text(ann, "/status"));
            assertThat(s.untilText(t -> t.contains("waiting for a request"), "the status"))
                    .startsWith("photo.png is in your project, waiting for a request");
            assertThat(s.platform().texts()).noneMatch(t -> t.startsWith("Your project is empty"));
        }
    }

    @Test
    void aVideoThePlatformRefusesComesAsALinkThatSaysWhy() {
        try (SpecFixture s = SpecFixture.start()) {
            s.platform().rejectVideos(true);
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.untilText(t -> t.contains("Download it here: "), "the link");
            Sent link = s.platform().sent().stream().filter(x -> x.shownText().contains("Download it here: "))
                    .findFirst().orElseThrow();
            assertThat(link.shownText()).startsWith("Telegram refused the video upload, so here is a link instead.")
                    .doesNotContain("too large").doesNotContain("Video ready");
            assertThat(actions(link)).isEqualTo(NEXT);
        }
    }

    @Test
    void aVideoOverTheChatsLimitComesAsALinkThatSaysSo() {
        try (SpecFixture s = SpecFixture.withUploadLimit(1000)) {
            s.send(file(ann, ANIMATE, png("photo.png")));
            assertThat(s.untilText(t -> t.contains("Download it here: "), "the link"))
                    .matches("(?s)The video \\(4 KB\\) is too large to send here: this chat takes files up to 1 KB\\. "
                            + "Download it here: https://cdn\\.nemovideo\\.test/renders/render_.*");
        }
    }
}
