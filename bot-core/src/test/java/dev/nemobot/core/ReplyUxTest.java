package dev.nemobot.core;

import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.RecordingPlatform;
import dev.nemobot.core.testing.RecordingPlatform.Sent;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** What a user sees around a request: acknowledgements, progress, buttons, and the plain answers (issue 13). */
class ReplyUxTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String ANIMATE = "animate this image into a 5-second video with smooth motion";
    static final List<Action> NEXT = List.of(Action.AGAIN, Action.LONGER, Action.ADD_MUSIC, Action.NEW);

    private static List<Action> actions(Sent s) {
        return switch (s) {
            case Sent.Text t -> t.actions();
            case Sent.Edit e -> e.actions();
            case Sent.Video v -> v.actions();
            case Sent.ActivityShown a -> List.of();
        };
    }

    @Test
    void aRequestIsAcknowledgedAtOnceAndTheProgressAndTheVideoCarryButtons() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            ChatUser ann = user("telegram", "1", Locale.ENGLISH);
            in.accept(file(ann, ANIMATE, png("photo.png")));
            Sent.Video video = p.awaitVideo(WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();

            List<Sent> said = p.sent().stream().filter(s -> !(s instanceof Sent.ActivityShown)).toList();
            assertThat(said.getFirst().shownText()).as("said before the upload").isEqualTo("Uploading photo.png…");
            assertThat(actions(said.getFirst())).containsExactly(Action.CANCEL);
            assertThat(p.texts()).as("then the request is acknowledged in the same message")
                    .contains("⏳ Working on it…");
            assertThat(p.texts()).as("the auto export says what happens next")
                    .contains("Rendering your clip as an MP4 to send it here… (usually 30-90 s)");
            assertThat(p.sent()).as("the render's progress carries Cancel and Status")
                    .anyMatch(s -> s.shownText().startsWith("Rendering")
                            && actions(s).equals(List.of(Action.CANCEL, Action.STATUS)));
            assertThat(p.texts()).as("the time left, from the progress")
                    .anyMatch(t -> t.matches("Rendering… \\d+%, about \\d+ (s|min) left"));
            assertThat(video.actions()).as("the quick edits under the video").isEqualTo(NEXT);
            assertThat(p.visibleMessages().stream().filter(t -> t.contains("Video ready"))).as("said once")
                    .hasSize(1);
        }
    }

    @Test
    void againSendsTheSameRequestAsANewTakeAndAddMusicAsAnEdit() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            ChatUser ann = user("telegram", "1", Locale.ENGLISH);
            in.accept(file(ann, ANIMATE, png("photo.png")));
            p.awaitVideo(WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();

            p.clear();
            in.accept(text(ann, Action.AGAIN.command()));
            p.awaitVideo(WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            in.accept(text(ann, Action.ADD_MUSIC.command()));
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();

            List<String> turns = Checks.turnsSent(f.simulator());
            assertThat(turns).hasSize(3);
            assertThat(turns.get(1)).contains("new take").contains(ANIMATE);
            assertThat(turns.get(2)).contains("background music");
        }
    }

    @Test
    void aQuickEditButtonFromAnEarlierProjectGetsAPoliteAnswerAndCostsNothing() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            ChatUser ann = user("telegram", "1", Locale.ENGLISH);
            in.accept(file(ann, ANIMATE, png("photo.png")));
            p.awaitVideo(WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            in.accept(text(ann, "/new"));
            p.awaitText(t -> t.startsWith("Started a new project"), WAIT);

            in.accept(text(ann, Action.LONGER.command()));
            p.awaitText(t -> t.startsWith("That button belongs to an earlier video, and I don't have its request"),
                    WAIT);
            in.accept(text(ann, Action.ADD_MUSIC.command()));
            p.awaitText(t -> t.startsWith("That button belongs to an earlier video: your current project has nothing"),
                    WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(Checks.turnsSent(f.simulator())).hasSize(1);
        }
    }

    @Test
    void anUnknownCommandIsNamedBeforeTheHelp() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            in.accept(text(user("telegram", "1", Locale.ENGLISH), "/foo bar"));
            Sent s = p.awaitText(t -> t.contains("/export"), WAIT);
            assertThat(s.shownText()).startsWith("I don't know /foo. Here is what I can do:\nSend an image");
        }
    }

    @Test
    void statusAfterAnImageWithoutACaptionSaysTheImageWaitsForARequest() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            ChatUser ann = user("telegram", "1", Locale.ENGLISH);
            in.accept(file(ann, "", png("photo.png")));
            p.awaitText(t -> t.startsWith("Got it: photo.png"), WAIT);
            in.accept(text(ann, "/status"));
            Sent s = p.awaitText(t -> t.contains("waiting for a request"), WAIT);
            assertThat(s.shownText()).startsWith("photo.png is in your project, waiting for a request");
            assertThat(p.texts()).noneMatch(t -> t.startsWith("Your project is empty"));
        }
    }

    @Test
    void aVideoThePlatformRefusesComesAsALinkThatSaysWhy() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            p.rejectVideos(true);
            Inbox in = f.engine().attach(p);
            in.accept(file(user("telegram", "1", Locale.ENGLISH), ANIMATE, png("photo.png")));
            Sent link = p.awaitText(t -> t.contains("Download it here: "), WAIT);
            assertThat(link.shownText()).startsWith("Telegram refused the video upload, so here is a link instead.")
                    .doesNotContain("too large").doesNotContain("Video ready");
            assertThat(actions(link)).isEqualTo(NEXT);
        }
    }

    @Test
    void aVideoOverTheChatsLimitComesAsALinkThatSaysSo() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 1000);
            Inbox in = f.engine().attach(p);
            in.accept(file(user("telegram", "1", Locale.ENGLISH), ANIMATE, png("photo.png")));
            Sent link = p.awaitText(t -> t.contains("Download it here: "), WAIT);
            assertThat(link.shownText()).matches("(?s)The video \\(\\d+ KB\\) is too large to send here: this chat "
                    + "takes files up to 1 KB\\. Download it here: .*");
        }
    }
}
