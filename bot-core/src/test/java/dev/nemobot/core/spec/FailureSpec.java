package dev.nemobot.core.spec;

import static dev.nemobot.core.testing.TestChats.bytes;
import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.backend.NemoException;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.testing.RecordingPlatform.Sent;
import dev.nemobot.core.testing.SpecFixture;
import dev.nemobot.core.testing.TestChats;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The backend saying no (credits, sign-ups, files, limits, errors in the stream): each told plainly, once. */
class FailureSpec {
    static final String ANIMATE = ConversationSpec.ANIMATE;
    final ChatUser ann = user("telegram", "1", Locale.ENGLISH);

    @Test
    void noCreditsGivesAnAnonymousUserTheSignUpLink() {
        try (SpecFixture s = SpecFixture.start()) {
            s.backend().startCredits(5);
            s.send(file(ann, ANIMATE, png("photo.png")));
            assertThat(s.untilText(t -> t.contains("free credits"), "the sign-up link"))
                    .containsPattern(SpecFixture.WEB + "/\\?bind=\\S+");
            s.untilIdle();
            assertThat(s.videos()).isZero();
        }
    }

    @Test
    void noCreditsSaidInsideTheStreamGivesTheSignUpLinkToo() {
        // the backend answers 2001 before the stream (MemoryBackend, nemo-simulator); an error event with that code
        // inside the stream means the same
        try (SpecFixture s = SpecFixture.start()) {
            s.backend().streamErrorNext("2001", "insufficient credits");
            s.send(file(ann, ANIMATE, png("photo.png")));
            assertThat(s.untilText(t -> t.contains("free credits"), "the sign-up link"))
                    .containsPattern(SpecFixture.WEB + "/\\?bind=\\S+");
            s.untilIdle();
            assertThat(s.platform().texts()).noneMatch(t -> t.contains("insufficient"));
            assertThat(s.videos()).isZero();
        }
    }

    @Test
    void withAnOperatorTokenEveryUserHasTheirOwnSessionAndNoCreditsMeansTopUp() {
        try (SpecFixture s = SpecFixture.withOperatorToken(st -> st)) {
            s.backend().setCredits(s.backend().tokens().getFirst(), 5);
            s.send(text(user("telegram", "2", Locale.ENGLISH), "status"));
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.untilText(t -> t.contains("top up your credits"), "the top-up told");
            s.untilIdle();
            assertThat(s.backend().calls("anonymousToken")).as("only the fixture's operator account").isEqualTo(1);
            assertThat(s.backend().calls("createSession")).isEqualTo(2);
        }
    }

    @Test
    void refusedSignUpsAreExplainedWithWhatTheOperatorCanDo() {
        try (SpecFixture s = SpecFixture.start()) {
            s.backend().newAccountsLeft(1);
            s.send(text(ann, "credits"));
            s.untilText(t -> t.startsWith("Credits:"), "the first user's balance");
            s.send(text(user("telegram", "2", Locale.ENGLISH), "credits"));
            assertThat(s.untilText(t -> t.contains("free sign-ups are used up"), "the refusal")).contains("NEMO_TOKEN");
        }
    }

    @Test
    void unsupportedAndOversizedFilesGetClearMessagesAndNothingIsUploaded() {
        try (SpecFixture s = SpecFixture.start()) {
            s.send(file(ann, "", bytes("notes.txt", "text/plain", "hello".getBytes(), 5)));
            assertThat(s.untilText(t -> t.contains("notes.txt") && !t.startsWith("Uploading"), "the refusal"))
                    .contains("mp4", "jpg", "png", "webp", "aac");
            s.send(file(ann, "", bytes("huge.png", "image/png", new byte[10], 21L * 1024 * 1024)));
            s.untilText(t -> t.contains("huge.png is larger than 20 MB"), "the declared size refused");
            s.untilIdle();
            assertThat(s.backend().calls("upload")).as("refused by its bytes, and by its declared size: %s",
                    s.platform().texts()).isZero();

            byte[] big = new byte[21 * 1024 * 1024];
            byte[] header = TestChats.pngBytes(4, 4);
            System.arraycopy(header, 0, big, 0, header.length);
            s.send(file(ann, "", bytes("big.png", "image/png", big, -1)));
            s.untilText(t -> t.contains("big.png is larger than 20 MB") && t.contains("compress"), "stopped reading");
            s.untilIdle();
            assertThat(s.backend().stored()).as("the upload streamed was cut off at the limit").isZero();
        }
    }

    @Test
    void aRateLimitIsRetriedOnceThenExplained() {
        try (SpecFixture s = SpecFixture.start()) {
            s.send(text(ann, "status"));
            s.untilText(t -> t.contains("project is empty"), "the status");
            NemoException limited = new NemoException.RateLimited(429, "slow down", Optional.empty());
            s.backend().failNext("credits", limited);
            s.send(text(ann, "credits"));
            s.untilText(t -> t.startsWith("Credits: 100 available"), "the balance after one retry");
            assertThat(s.backend().calls("credits")).isEqualTo(2);

            s.backend().failNext("credits", limited, 2);
            s.send(text(ann, "balance"));
            s.untilText(t -> t.contains("limiting requests"), "the limit explained");
            assertThat(s.backend().calls("credits")).isEqualTo(4);
        }
    }

    @Test
    void anErrorInTheStreamIsReportedWithoutItsText() {
        try (SpecFixture s = SpecFixture.start()) {
            s.backend().streamErrorNext();
            s.send(text(ann, "hello"));
            s.untilText(t -> t.contains("went wrong on the backend"), "the error told");
            s.untilIdle();
            assertThat(s.platform().texts()).noneMatch(t -> t.contains("agent failed"));
            assertThat(s.platform().sent()).noneMatch(x -> x instanceof Sent.Video);
        }
    }
}
