package dev.nemobot.core.spec;

import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.backend.NemoException;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.testing.MemoryBackend;
import dev.nemobot.core.testing.SpecFixture;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The backend failing in the middle of a request, as the engine sees it (the client's own handling of the wire is
 * {@code FaultInjectionTest}'s): the user's request is answered or they are told exactly what to do, and nothing is
 * rendered, charged or sent twice.
 */
class BackendFaultSpec {
    static final String ANIMATE = ConversationSpec.ANIMATE;
    static final String UNAVAILABLE = "unavailable right now";
    final ChatUser ann = user("telegram", "1", Locale.ENGLISH);

    static void deliveredOnce(SpecFixture s) {
        assertThat(s.videos()).as("one video").isEqualTo(1);
        assertThat(s.backend().calls("runTurn")).as("one turn").isEqualTo(1);
        assertThat(s.backend().calls("submitRender")).as("one render").isEqualTo(1);
        assertThat(s.backend().left(s.backend().tokens().getFirst())).as("charged once")
                .isEqualTo(MemoryBackend.START_CREDITS - MemoryBackend.GENERATION_COST);
    }

    /** As the client fails an upload an HTTP/2 server refused unprocessed, past its limit of streams a connection. */
    static NemoException.Network refusedStream() {
        return new NemoException.Network("upload: the server refused the stream unprocessed (REFUSED_STREAM)",
                new okhttp3.internal.http2.StreamResetException(
                okhttp3.internal.http2.ErrorCode.REFUSED_STREAM));
    }

    @Test
    void anUploadTheBackendsServerRefusedUnprocessedIsOpenedAndSentAgainAndAnimated() {
        try (SpecFixture s = SpecFixture.start()) {
            s.backend().failNext("upload", refusedStream(), 2);
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.untilVideo();
            s.untilIdle();
            deliveredOnce(s);
            assertThat(s.backend().calls("upload")).as("sent again, each time from the file's start").isEqualTo(3);
            assertThat(s.backend().stored()).isEqualTo(1);
            assertThat(s.platform().texts()).noneMatch(t -> t.contains(UNAVAILABLE));
        }
    }

    @Test
    void anUploadRefusedAgainAndAgainIsToldAsUnavailableAndNoTurnRuns() {
        try (SpecFixture s = SpecFixture.start()) {
            s.backend().failNext("upload", refusedStream(), 4);
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.untilText(t -> t.contains(UNAVAILABLE), "the user told");
            s.untilIdle();
            assertThat(s.backend().calls("upload")).as("a few sends, not forever").isEqualTo(4);
            assertThat(s.backend().calls("runTurn")).as("no turn without its image").isZero();
            // a plain connection failure is not sent again by the engine
            s.backend().failNext("upload", new NemoException.Network("upload: connection failed (reset)",
                    new java.io.IOException("Connection reset")), 1);
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.until(() -> s.platform().texts().stream().filter(t -> t.contains(UNAVAILABLE)).count() == 2,
                    "told again");
            s.untilIdle();
            assertThat(s.backend().calls("upload")).isEqualTo(5);
        }
    }

    @Test
    void renderPollsTheBackendDoesNotAnswerAreToldOnceAndTheVideoArrivesWhenItIsBack() {
        try (SpecFixture s = SpecFixture.start()) {
            s.backend().renderTakes(java.time.Duration.ofMinutes(4));
            s.backend().failNext("renderStatus", new NemoException.ServerError(503, "unavailable"), 4);
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.untilVideo();
            s.untilIdle();
            deliveredOnce(s);
            assertThat(s.platform().texts().stream().filter(t -> t.contains("not answering right now")))
                    .as("told once, in the progress message").hasSize(1);
            assertThat(s.platform().texts()).noneMatch(t -> t.contains(UNAVAILABLE));
        }
    }

    @Test
    void serverErrorsReadingTheStateAfterAGenerationStillDeliverTheVideo() {
        try (SpecFixture s = SpecFixture.start()) {
            s.backend().failNext("state", new NemoException.ServerError(503, "unavailable"), 3);
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.untilVideo();
            s.untilIdle();
            deliveredOnce(s);
            assertThat(s.platform().texts()).as("nothing to retry: the video came").noneMatch(t -> t.contains(UNAVAILABLE));
        }
    }

    @Test
    void aServerErrorOnTheRenderSubmitIsRetriedOnceWithANewId() {
        try (SpecFixture s = SpecFixture.start()) {
            s.backend().failNext("submitRender", new NemoException.ServerError(502, "bad gateway"));
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.untilVideo();
            s.untilIdle();
            assertThat(s.backend().calls("submitRender")).isEqualTo(2);
            assertThat(s.videos()).isEqualTo(1);
        }
    }

    @Test
    void aTokenExpiringWhileTheRenderIsPolledIsRenewedAndTheVideoArrives() {
        try (SpecFixture s = SpecFixture.start()) {
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.until(() -> s.backend().calls("renderStatus") >= 1, "the first poll");
            s.backend().expireTokens();
            s.untilVideo();
            s.untilIdle();
            assertThat(s.videos()).isEqualTo(1);
            assertThat(s.backend().calls("submitRender")).isEqualTo(1);
            assertThat(s.backend().calls("anonymousToken")).as("renewed once").isEqualTo(2);
            assertThat(s.platform().texts()).noneMatch(t -> t.contains(UNAVAILABLE));
        }
    }

    @Test
    void aSessionLostBetweenTurnsIsReplacedAndTheUserAskedForTheImageAgain() {
        try (SpecFixture s = SpecFixture.start()) {
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.untilVideo();
            s.untilIdle();
            s.backend().loseSessions();
            s.send(text(ann, "add jazz background music"));
            s.untilText(t -> t.contains("no longer available") && t.contains("send your image again"), "told");
            s.untilIdle();
            assertThat(s.backend().left(s.backend().tokens().getFirst())).as("the edit was not charged")
                    .isEqualTo(MemoryBackend.START_CREDITS - MemoryBackend.GENERATION_COST);
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.until(() -> s.videos() == 2, "the second video");
            s.untilIdle();
            assertThat(s.backend().calls("createSession")).isEqualTo(2);
        }
    }
}
