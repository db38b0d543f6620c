package dev.nemobot.core.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.nemobot.config.Secret;
import dev.nemobot.core.chat.kit.FileType;
import dev.nemobot.core.testing.TestChats;
import dev.nemobot.core.work.Cancellation;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every call of {@link NemoBackend} as the backend's contract ({@code shared/docs/nemovideo-api.md}) describes it,
 * whatever implements it: run on the in-memory backend the engine specs use ({@code MemoryBackendContractTest}) and
 * on the real client against nemo-simulator ({@code NemoClientContractTest}), so that a spec on the in-memory backend
 * sees what the client sees from the backend. Each backend runs with its own defaults; only what the contract says
 * (or what both must agree on for a spec to mean what an end-to-end test means) is checked here.
 */
abstract class NemoBackendContract {
    static final String ANIMATE = "animate this image into a 5-second video";
    static final byte[] PNG = TestChats.pngBytes(64, 48);
    /** The contract's upload limit. */
    static final long MAX_UPLOAD = 20L * 1024 * 1024;
    static final Duration WAIT = Duration.ofSeconds(30);

    NemoBackend backend;
    @TempDir
    Path dir;

    /** A backend whose new accounts start with {@code startCredits}, else with its defaults; closed after the test. */
    abstract NemoBackend open(int startCredits);

    /** Makes {@code token} expire now (on the backend of the last {@link #open}). */
    abstract void expire(Secret token);

    /** The next turn sends heartbeats only, until the listener stops it or it is cancelled. */
    abstract void hangNextTurn();

    /** The next render submitted fails. */
    abstract void failNextRender();

    @BeforeEach
    void openDefault() {
        backend = open(100);
    }

    /** A new anonymous user with a session in {@code language} and, when asked, the PNG uploaded. */
    record User(String clientId, Secret token, SessionInfo session) {
        String sid() {
            return session.sessionId();
        }
    }

    User user(String language, boolean withImage) {
        String clientId = UUID.randomUUID().toString();
        Secret token = backend.anonymousToken(clientId).token();
        SessionInfo session = backend.createSession(token, language);
        if (withImage) {
            backend.upload(token, session.sessionId(), "photo.png", "image/png", new ByteArrayInputStream(PNG),
                    PNG.length);
        }
        return new User(clientId, token, session);
    }

    Recorded turn(User u, String text) {
        Recorded r = new Recorded();
        r.end = backend.runTurn(u.token(), u.sid(), text, r, new Cancellation());
        return r;
    }

    /** What one turn streamed, and how it ended. */
    static class Recorded implements TurnListener {
        final List<AdkEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        TurnEnd end;

        @Override
        public void onEvent(AdkEvent event) {
            events.add(event);
        }

        /** The whole (non-partial) texts, in order. */
        List<String> texts() {
            return events.stream().filter(e -> !e.partial() && !e.text().isEmpty()).map(AdkEvent::text).toList();
        }

        List<AdkEvent.Part> parts() {
            return events.stream().flatMap(e -> e.parts().stream()).toList();
        }
    }

    RenderJob finished(Secret token, String renderId) {
        AtomicReference<RenderJob> last = new AtomicReference<>();
        await("render " + renderId + " to finish").atMost(WAIT).until(() -> {
            last.set(backend.renderStatus(token, renderId));
            return last.get().status().finished();
        });
        return last.get();
    }

    // ------------------------------------------------------------------ anonymous token

    @Test
    void anAnonymousTokenComesWithTheStartingCreditsAndLivesSevenDays() {
        Instant before = Instant.now();
        TokenGrant grant = backend.anonymousToken(UUID.randomUUID().toString());
        assertThat(grant.token().reveal()).startsWith("nmv_usr_");
        assertThat(grant.credits()).isEqualTo(100);
        assertThat(grant.expiresAt()).isBetween(before.plus(Duration.ofDays(7)).minusSeconds(60),
                Instant.now().plus(Duration.ofDays(7)).plusSeconds(60));
        assertThat(backend.credits(grant.token())).isEqualTo(new Credits(100, 0, 100));
    }

    @Test
    void oneTokenPerClientIdWhileItIsValidAndAnExpiredOneIsRenewedKeepingTheAccount() {
        User u = user("en", true);
        assertThat(backend.anonymousToken(UUID.randomUUID().toString()).token()).as("another client, another token")
                .isNotEqualTo(u.token());
        assertThatThrownBy(() -> backend.anonymousToken(u.clientId())).isInstanceOf(NemoException.RateLimited.class)
                .extracting(e -> ((NemoException) e).code()).isEqualTo(429);

        turn(u, ANIMATE);
        long left = backend.credits(u.token()).available();
        expire(u.token());
        NemoException.TokenExpired expired = catchThrowableOfType(NemoException.TokenExpired.class,
                () -> backend.credits(u.token()));
        assertThat(expired.code()).isEqualTo(1001);
        assertThat(expired.getMessage()).doesNotContain(u.token().reveal());

        // the contract's remedy: ask again with the same client id; the account (credits, sessions) goes on
        Secret renewed = backend.anonymousToken(u.clientId()).token();
        assertThat(renewed).isNotEqualTo(u.token());
        assertThat(backend.credits(renewed).available()).isEqualTo(left);
        assertThat(backend.state(renewed, u.sid()).draft().orElseThrow().hasClips()).isTrue();
        assertThatThrownBy(() -> backend.state(u.token(), u.sid())).isInstanceOf(NemoException.TokenExpired.class);
    }

    @Test
    void aBadTokenIsRefusedAsBadOrExpiredByEveryCall() throws Exception {
        User u = user("en", true);
        Secret bad = Secret.of("nmv_usr_not_one_we_gave_out");
        Path photo = Files.write(dir.resolve("photo.png"), PNG);
        Draft draft = new NemoCodec().draft("{\"t\":[{\"tt\":0,\"sg\":[{\"d\":5000,\"m\":{}}]}]}");
        RenderJob job = new RenderJob("render_1", RenderJob.Status.COMPLETED, OptionalInt.of(100), Optional.empty(),
                Optional.empty());
        List<Runnable> calls = List.of(
                () -> backend.createSession(bad, "en"),
                () -> backend.upload(bad, u.sid(), "photo.png", "image/png", photo),
                () -> backend.upload(bad, u.sid(), "photo.png", "image/png", new ByteArrayInputStream(PNG), -1),
                () -> backend.uploadUrl(bad, u.sid(), URI.create("https://example.com/a.png")),
                () -> backend.credits(bad),
                () -> backend.state(bad, u.sid()),
                () -> backend.runTurn(bad, u.sid(), ANIMATE, new Recorded(), new Cancellation()),
                () -> backend.submitRender(bad, u.sid(), "render_" + System.nanoTime(), draft),
                () -> backend.renderStatus(bad, "render_1"),
                () -> backend.download(bad, job, dir.resolve("v.mp4"), Long.MAX_VALUE));
        for (int i = 0; i < calls.size(); i++) {
            NemoException.TokenExpired e = catchThrowableOfType(NemoException.TokenExpired.class, calls.get(i)::run);
            assertThat(e).as("call %d", i).isNotNull();
            assertThat(e.code()).isEqualTo(1001);
            assertThat(e.getMessage()).doesNotContain(bad.reveal());
        }
        assertThat(dir.resolve("v.mp4")).doesNotExist();
        assertThat(backend.credits(u.token()).available()).as("nothing was done").isEqualTo(100);
    }

    // ------------------------------------------------------------------ sessions

    @Test
    void aNewSessionHasIdsTheSignUpIdAndAnEmptyProject() {
        User u = user("en", false);
        assertThat(u.session().taskId()).isNotBlank();
        assertThat(u.sid()).isNotBlank();
        assertThat(u.session().bindId()).isPresent();
        assertThat(user("en", false).sid()).as("each session its own").isNotEqualTo(u.sid());

        SessionState state = backend.state(u.token(), u.sid());
        assertThat(state.bindId()).isEqualTo(u.session().bindId());
        assertThat(state.draft()).as("the state's draft, with nothing to export").isPresent();
        assertThat(Drafts.exportable(state)).isFalse();
        assertThat(state.project().media()).isEmpty();
        assertThat(state.project().uploads()).isEmpty();
    }

    @Test
    void theAgentAnswersInTheLanguageTheSessionWasCreatedIn() {
        String english = turn(user("en", true), ANIMATE).texts().getLast();
        String chinese = turn(user("zh", true), ANIMATE).texts().getLast();
        String japanese = turn(user("ja", true), ANIMATE).texts().getLast();
        assertThat(english).isNotBlank().doesNotContainPattern("\\p{IsHan}");
        assertThat(chinese).containsPattern("\\p{IsHan}");
        assertThat(japanese).containsPattern("[\\p{IsHiragana}\\p{IsKatakana}]");
    }

    @Test
    void anUnknownSessionOrOneOfAnotherAccountIsNotFound() {
        User u = user("en", false);
        User other = user("en", false);
        Draft draft = new NemoCodec().draft("{\"t\":[{\"tt\":0,\"sg\":[{\"d\":5000,\"m\":{}}]}]}");
        for (String sid : List.of("sess_never_made", other.sid())) {
            List<Runnable> calls = List.of(
                    () -> backend.state(u.token(), sid),
                    () -> backend.upload(u.token(), sid, "photo.png", "image/png", new ByteArrayInputStream(PNG),
                            PNG.length),
                    () -> backend.uploadUrl(u.token(), sid, URI.create("https://example.com/a.png")),
                    () -> backend.runTurn(u.token(), sid, ANIMATE, new Recorded(), new Cancellation()),
                    () -> backend.submitRender(u.token(), sid, "render_" + System.nanoTime(), draft));
            for (int i = 0; i < calls.size(); i++) {
                NemoException.SessionNotFound e = catchThrowableOfType(NemoException.SessionNotFound.class,
                        calls.get(i)::run);
                assertThat(e).as("call %d on %s", i, sid).isNotNull();
                assertThat(e.code()).isEqualTo(1002);
            }
        }
        assertThat(Drafts.exportable(backend.state(other.token(), other.sid()))).isFalse();
    }

    // ------------------------------------------------------------------ uploads

    @Test
    void anImageUploadedFromAFileOrAStreamIsListedInTheProject() throws Exception {
        User u = user("en", false);
        Path photo = Files.write(dir.resolve("photo.png"), PNG);
        assertThat(backend.upload(u.token(), u.sid(), "photo.png", "image/png", photo).files())
                .containsExactly("photo.png");
        assertThat(backend.upload(u.token(), u.sid(), "known.png", "image/png", new ByteArrayInputStream(PNG),
                PNG.length).files()).containsExactly("known.png");
        assertThat(backend.upload(u.token(), u.sid(), "unknown size.png", "image/png", new ByteArrayInputStream(PNG),
                -1).files()).containsExactly("unknown size.png");
        assertThat(backend.uploadUrl(u.token(), u.sid(), URI.create("https://example.com/pics/cat.png")).files())
                .containsExactly("cat.png");

        List<UploadedFile> uploads = backend.state(u.token(), u.sid()).project().uploads();
        assertThat(uploads).extracting(UploadedFile::name)
                .containsExactly("photo.png", "known.png", "unknown size.png", "cat.png");
        assertThat(uploads).allSatisfy(f -> assertThat(f.imageUrl()).as(f.name()).isPresent());
        assertThat(uploads.getLast().imageUrl()).contains(URI.create("https://example.com/pics/cat.png"));
        assertThat(backend.credits(u.token()).available()).as("uploading costs nothing").isEqualTo(100);
    }

    @Test
    void audioAndVideoOfTheContractsFormatsAreTakenAndListedAsNoImage() {
        User u = user("en", false);
        byte[] mp3 = new byte[256];
        System.arraycopy("ID3".getBytes(StandardCharsets.US_ASCII), 0, mp3, 0, 3);
        byte[] mp4 = new byte[256];
        System.arraycopy(new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'}, 0, mp4, 0, 12);
        assertThat(backend.upload(u.token(), u.sid(), "song.mp3", "audio/mpeg", new ByteArrayInputStream(mp3),
                mp3.length).files()).containsExactly("song.mp3");
        assertThat(backend.upload(u.token(), u.sid(), "clip.mp4", "video/mp4", new ByteArrayInputStream(mp4),
                mp4.length).files()).containsExactly("clip.mp4");
        assertThat(backend.state(u.token(), u.sid()).project().uploads())
                .containsExactly(new UploadedFile("song.mp3"), new UploadedFile("clip.mp4"));
        assertThat(turn(u, ANIMATE).parts()).as("no image: nothing to animate")
                .noneMatch(p -> p instanceof AdkEvent.Part.FunctionCall);
    }

    @Test
    void aFileOfAnotherFormatIsUnsupportedAndOneOverTwentyMegabytesTooLarge() {
        User u = user("en", false);
        byte[] bmp = new byte[256];
        bmp[0] = 'B';
        bmp[1] = 'M';
        List<Runnable> unsupported = List.of(
                () -> backend.upload(u.token(), u.sid(), "notes.txt", "text/plain",
                        new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)), 5),
                () -> backend.upload(u.token(), u.sid(), "picture.bmp", "image/bmp", new ByteArrayInputStream(bmp),
                        bmp.length));
        for (Runnable call : unsupported) {
            NemoException.UnsupportedFile e = catchThrowableOfType(NemoException.UnsupportedFile.class, call::run);
            assertThat(e).isNotNull();
            assertThat(e.code()).isEqualTo(4001);
        }
        NemoException.FileTooLarge large = catchThrowableOfType(NemoException.FileTooLarge.class,
                () -> backend.upload(u.token(), u.sid(), "huge.png", "image/png",
                        NemoClientSimulatorTest.lazyPng(MAX_UPLOAD + 1), -1));
        assertThat(large).isNotNull();
        assertThat(large.code()).isEqualTo(4002);
        assertThat(backend.state(u.token(), u.sid()).project().uploads()).as("nothing kept").isEmpty();
    }

    // ------------------------------------------------------------------ turns

    @Test
    void animatingAnImageStreamsToolCallsAndTextAndLeavesAFinishedVideoOnTheTimeline() {
        User u = user("en", true);
        SessionState before = backend.state(u.token(), u.sid());
        assertThat(Drafts.exportable(before)).isFalse();

        Recorded r = turn(u, ANIMATE);

        assertThat(r.end).isEqualTo(TurnEnd.COMPLETED);
        assertThat(r.events).noneMatch(AdkEvent::isError);
        // function calls and their responses (internal: never shown), each response answering a call made before it
        List<String> called = new ArrayList<>();
        for (AdkEvent.Part p : r.parts()) {
            if (p instanceof AdkEvent.Part.FunctionCall c) {
                called.add(c.id());
            } else if (p instanceof AdkEvent.Part.FunctionResponse resp) {
                assertThat(called).as("response %s answers a call made before it", resp.name()).contains(resp.id());
            }
        }
        assertThat(called).isNotEmpty();
        assertThat(r.parts()).filteredOn(p -> p instanceof AdkEvent.Part.FunctionResponse).hasSize(called.size());
        // text: partial chunks, each run repeated whole by the non-partial event after it
        StringBuilder chunks = new StringBuilder();
        for (AdkEvent e : r.events) {
            if (e.partial()) {
                chunks.append(e.text());
            } else if (!e.text().isEmpty()) {
                assertThat(chunks.isEmpty() || chunks.toString().equals(e.text()))
                        .as("the chunks '%s' are repeated whole by '%s'", chunks, e.text()).isTrue();
                chunks.setLength(0);
            }
        }
        assertThat(chunks).as("no chunk left unrepeated").isEmpty();
        assertThat(r.texts()).isNotEmpty().last().asString().isNotBlank();

        // both stages done when the stream ends: the raw video, then music and a title
        SessionState after = backend.state(u.token(), u.sid());
        Draft draft = after.draft().orElseThrow();
        assertThat(Drafts.exportable(after)).isTrue();
        assertThat(draft.tracks()).extracting(Track::kind)
                .contains(Track.Kind.VIDEO, Track.Kind.AUDIO, Track.Kind.TEXT);
        assertThat(draft.tracks()).filteredOn(t -> t.kind() == Track.Kind.VIDEO).flatExtracting(Track::clips)
                .extracting(Clip::durationMs).containsExactly(5000L);
        assertThat(draft.tracks()).allSatisfy(t -> assertThat(t.clips()).isNotEmpty());
        assertThat(after.project().media()).isNotEmpty()
                .allSatisfy(m -> assertThat(m.status()).isEqualTo(GeneratedMedia.Status.COMPLETED));
        assertThat(Drafts.processing(after)).isFalse();
        assertThat(after.project().uploads()).extracting(UploadedFile::name).containsExactly("photo.png");
        // the draft as sent is the contract's short keys (t, tt, sg, d, m) and says what its tracks say
        assertThat(new NemoCodec().draft(draft.json()).tracks()).isEqualTo(draft.tracks());

        Credits credits = backend.credits(u.token());
        assertThat(credits.available()).as("generating costs credits").isLessThan(100);
        assertThat(credits.frozen()).as("settled when the stream ends").isZero();
        assertThat(credits.total()).isEqualTo(credits.available());
    }

    @Test
    void anEditChangesTheTimelineAndCostsCredits() {
        User u = user("en", true);
        turn(u, ANIMATE);
        long left = backend.credits(u.token()).available();

        Recorded r = turn(u, "add jazz music");

        assertThat(r.end).isEqualTo(TurnEnd.COMPLETED);
        assertThat(r.events).noneMatch(AdkEvent::isError);
        assertThat(r.parts()).anyMatch(p -> p instanceof AdkEvent.Part.FunctionCall);
        Draft draft = backend.state(u.token(), u.sid()).draft().orElseThrow();
        assertThat(draft.tracks()).filteredOn(t -> t.kind() == Track.Kind.AUDIO).flatExtracting(Track::clips)
                .extracting(Clip::name).containsExactly("Jazz");
        assertThat(backend.credits(u.token()).available()).isLessThan(left);
    }

    @Test
    void talkingOrAnimatingWithoutAnImageCostsNothingAndMakesNothing() {
        User u = user("en", false);
        for (String text : List.of("hello", ANIMATE)) {
            Recorded r = turn(u, text);
            assertThat(r.end).isEqualTo(TurnEnd.COMPLETED);
            assertThat(r.texts()).as(text).isNotEmpty();
        }
        assertThat(backend.credits(u.token())).isEqualTo(new Credits(100, 0, 100));
        assertThat(Drafts.exportable(backend.state(u.token(), u.sid()))).isFalse();
    }

    @Test
    void noCreditsIsThrownWithTheSignUpIdAndNothingIsStreamedOrMade() {
        backend = open(5);
        User u = user("en", true);
        Recorded r = new Recorded();
        NemoException.NoCredits e = catchThrowableOfType(NemoException.NoCredits.class,
                () -> backend.runTurn(u.token(), u.sid(), ANIMATE, r, new Cancellation()));
        assertThat(e).as("2001 is an error answer, thrown").isNotNull();
        assertThat(e.code()).isEqualTo(2001);
        assertThat(e.bindId()).isEqualTo(u.session().bindId());
        assertThat(r.events).isEmpty();
        assertThat(backend.credits(u.token()).available()).isEqualTo(5);
        assertThat(Drafts.exportable(backend.state(u.token(), u.sid()))).isFalse();
    }

    @Test
    void aTurnOfHeartbeatsOnlyEndsWhenTheListenerStopsWaiting() throws Exception {
        User u = user("en", false);
        hangNextTurn();
        Recorded stopping = new Recorded() {
            @Override
            public boolean onHeartbeat() {
                return false;
            }
        };
        assertThat(within(() -> backend.runTurn(u.token(), u.sid(), "hello", stopping, new Cancellation())))
                .isEqualTo(TurnEnd.STOPPED);
        assertThat(stopping.events).isEmpty();
    }

    @Test
    void cancellingARunningTurnEndsItPromptly() throws Exception {
        User u = user("en", false);
        hangNextTurn();
        CountDownLatch beating = new CountDownLatch(1);
        Recorded r = new Recorded() {
            @Override
            public boolean onHeartbeat() {
                beating.countDown();
                return true;
            }
        };
        Cancellation cancellation = new Cancellation();
        CompletableFuture<TurnEnd> running = onItsOwnThread(() -> backend.runTurn(u.token(), u.sid(), "hello", r,
                cancellation));
        assertThat(beating.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the turn is running").isTrue();
        cancellation.cancel();
        assertThat(running.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(TurnEnd.CANCELLED);
    }

    /** What {@code call} returns, within {@link #WAIT} (a turn that does not end fails the test, not hangs it). */
    static TurnEnd within(Callable<TurnEnd> call) throws Exception {
        return onItsOwnThread(call).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Runs {@code call} on a virtual thread of its own, left behind if it never ends. */
    static <T> CompletableFuture<T> onItsOwnThread(Callable<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().name("contract-turn").start(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    @Test
    void aTurnCancelledBeforeItStartsIsNotSent() {
        User u = user("en", true);
        Cancellation cancelled = new Cancellation();
        cancelled.cancel();
        Recorded r = new Recorded();
        assertThat(backend.runTurn(u.token(), u.sid(), ANIMATE, r, cancelled)).isEqualTo(TurnEnd.CANCELLED);
        assertThat(r.events).isEmpty();
        assertThat(backend.credits(u.token()).available()).isEqualTo(100);
        assertThat(Drafts.exportable(backend.state(u.token(), u.sid()))).isFalse();
    }

    // ------------------------------------------------------------------ export

    @Test
    void aRenderRunsToCompletedAndItsVideoIsDownloadedAsAnMp4() throws Exception {
        User u = user("en", true);
        turn(u, ANIMATE);
        Draft draft = backend.state(u.token(), u.sid()).draft().orElseThrow();
        String id = "render_" + System.currentTimeMillis();

        RenderJob submitted = backend.submitRender(u.token(), u.sid(), id, draft);
        assertThat(submitted.id()).isEqualTo(id);
        assertThat(submitted.status()).isIn(RenderJob.Status.PENDING, RenderJob.Status.PROCESSING);
        RenderJob done = finished(u.token(), id);
        assertThat(done.status()).isEqualTo(RenderJob.Status.COMPLETED);
        assertThat(done.progress()).hasValue(100);
        assertThat(done.outputUrl()).isPresent();
        assertThat(done.error()).isEmpty();

        Path video = dir.resolve("video.mp4");
        long bytes = backend.download(u.token(), done, video, Long.MAX_VALUE);
        assertThat(bytes).isPositive().isEqualTo(Files.size(video));
        byte[] head = Files.readAllBytes(video);
        assertThat(FileType.sniff(head, Math.min(head.length, FileType.HEAD_BYTES))).contains(FileType.MP4);
        try (var left = Files.list(dir)) {
            assertThat(left).as("only the video, no part file").containsExactly(video);
        }

        Credits credits = backend.credits(u.token());
        assertThat(credits.available()).as("export costs no credits").isEqualTo(credits.total());
        turn(u, "hello");
        assertThat(backend.credits(u.token())).isEqualTo(credits);
    }

    @Test
    void aVideoOverTheLimitIsNotDownloadedAndLeavesNothing() throws Exception {
        User u = user("en", true);
        turn(u, ANIMATE);
        Draft draft = backend.state(u.token(), u.sid()).draft().orElseThrow();
        RenderJob done = finished(u.token(), backend.submitRender(u.token(), u.sid(), "render_big", draft).id());
        assertThat(done.status()).isEqualTo(RenderJob.Status.COMPLETED);

        Path video = dir.resolve("video.mp4");
        assertThatThrownBy(() -> backend.download(u.token(), done, video, 100)).isInstanceOf(VideoTooLarge.class);
        try (var left = Files.list(dir)) {
            assertThat(left).as("nothing at the target, no part file").isEmpty();
        }
        assertThat(backend.download(u.token(), done, video, Long.MAX_VALUE)).as("the same job, with room")
                .isGreaterThan(100);
    }

    @Test
    void aFailedRenderSaysWhyAndHasNoVideo() throws Exception {
        User u = user("en", true);
        turn(u, ANIMATE);
        Draft draft = backend.state(u.token(), u.sid()).draft().orElseThrow();
        failNextRender();
        RenderJob failed = finished(u.token(), backend.submitRender(u.token(), u.sid(), "render_fails", draft).id());
        assertThat(failed.status()).isEqualTo(RenderJob.Status.FAILED);
        assertThat(failed.error()).isPresent();
        assertThat(failed.outputUrl()).isEmpty();
        assertThatThrownBy(() -> backend.download(u.token(), failed, dir.resolve("v.mp4"), Long.MAX_VALUE))
                .isInstanceOf(NemoException.class);
        try (var left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void anUnknownRenderOrOneOfAnotherAccountIsNotThereAndHasNoVideo() throws Exception {
        User u = user("en", true);
        User other = user("en", true);
        turn(other, ANIMATE);
        Draft draft = backend.state(other.token(), other.sid()).draft().orElseThrow();
        RenderJob theirs = finished(other.token(),
                backend.submitRender(other.token(), other.sid(), "render_theirs", draft).id());
        for (String id : List.of("render_never_submitted", theirs.id())) {
            assertThatThrownBy(() -> backend.renderStatus(u.token(), id)).as(id).isInstanceOf(NemoException.class);
            RenderJob claimed = new RenderJob(id, RenderJob.Status.COMPLETED, OptionalInt.of(100), Optional.empty(),
                    Optional.empty());
            assertThatThrownBy(() -> backend.download(u.token(), claimed, dir.resolve("v.mp4"), Long.MAX_VALUE))
                    .as(id).isInstanceOf(NemoException.class);
        }
        try (var left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aDraftWithNothingOnItIsNotExported() {
        User u = user("en", true);
        Draft empty = backend.state(u.token(), u.sid()).draft().orElseThrow();
        assertThatThrownBy(() -> backend.submitRender(u.token(), u.sid(), "render_empty", empty))
                .isInstanceOf(NemoException.class);
        assertThatThrownBy(() -> backend.renderStatus(u.token(), "render_empty")).as("no job was made")
                .isInstanceOf(NemoException.class);
    }
}
