package dev.nemobot.core.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.nemobot.config.NemoSettings;
import dev.nemobot.config.Secret;
import dev.nemobot.core.work.Cancellation;
import dev.nemobot.simulator.ErrorStyle;
import dev.nemobot.simulator.NemoSimulator;
import dev.nemobot.simulator.RecordedRequest;
import dev.nemobot.simulator.SimulatorConfig;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every call of the client against the real nemo-simulator. */
class NemoClientSimulatorTest {
    static final byte[] PNG = png();

    NemoSimulator sim;
    NemoClient client;
    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        start(SimulatorConfig.fast());
    }

    void start(SimulatorConfig config) {
        if (sim != null) {
            stop();
        }
        sim = NemoSimulator.start(config);
        client = builder().build();
    }

    NemoClient.Builder builder() {
        return NemoClient.builder(NemoSettings.at(sim.baseUrl())).reconnectDelay(Duration.ofMillis(10))
                .callTimeout(Duration.ofSeconds(10)).streamReadTimeout(Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        client.close();
        sim.close();
    }

    static byte[] png() {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillOval(10, 5, 40, 38);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A user with a token, a session and (optionally) an uploaded image. */
    record User(String clientId, Secret token, SessionInfo session) {
    }

    User user(boolean withImage) {
        String clientId = UUID.randomUUID().toString();
        Secret token = client.anonymousToken(clientId).token();
        SessionInfo session = client.createSession(token, "en");
        if (withImage) {
            client.upload(token, session.sessionId(), "photo.png", "image/png", new ByteArrayInputStream(PNG),
                    PNG.length);
        }
        return new User(clientId, token, session);
    }

    /** {@code probe}'s first answer that is {@code done}, asked every 20 ms for up to 10 s. */
    static <T> T pollUntil(Supplier<T> probe, Predicate<T> done) {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(probe::get, done);
    }

    @Test
    void theWholeJourneyFromTokenToDownloadedVideo() throws Exception {
        TokenGrant grant = client.anonymousToken("journey-client");
        assertThat(grant.credits()).isEqualTo(100);
        assertThat(grant.token().reveal()).startsWith("nmv_usr_");
        assertThat(grant.expiresAt()).isAfter(Instant.now().plus(Duration.ofDays(6)));
        Secret token = grant.token();

        SessionInfo session = client.createSession(token, "en");
        assertThat(session.sessionId()).isNotBlank();
        assertThat(session.taskId()).isNotBlank();
        assertThat(session.bindId()).isPresent();

        Path photo = dir.resolve("photo.png");
        Files.write(photo, PNG);
        UploadResult up = client.upload(token, session.sessionId(), "photo.png", "image/png", photo);
        assertThat(up.files()).containsExactly("photo.png");

        RecordingListener listener = new RecordingListener();
        TurnEnd end = client.runTurn(token, session.sessionId(), "animate this image into a 5-second video", listener,
                new Cancellation());
        assertThat(end).isEqualTo(TurnEnd.COMPLETED);
        assertThat(listener.finalText()).contains("Done!");
        assertThat(listener.events).anyMatch(e -> e.partial());
        assertThat(listener.events).flatExtracting(AdkEvent::parts)
                .anyMatch(p -> p instanceof AdkEvent.Part.FunctionCall c && c.name().equals("generate_video"))
                .anyMatch(p -> p instanceof AdkEvent.Part.FunctionResponse);
        assertThat(listener.heartbeats.get()).isPositive();

        assertThat(client.credits(token)).isEqualTo(new Credits(90, 0, 90));

        SessionState state = client.state(token, session.sessionId());
        assertThat(state.bindId()).isEqualTo(session.bindId());
        Draft draft = state.draft().orElseThrow();
        assertThat(draft.tracks()).hasSize(3);
        assertThat(draft.tracks()).extracting(Track::kind).contains(Track.Kind.VIDEO);
        assertThat(draft.hasClips()).isTrue();
        assertThat(state.project().media()).extracting(GeneratedMedia::status)
                .contains(GeneratedMedia.Status.COMPLETED);

        RenderJob job = client.submitRender(token, session.sessionId(), "render_" + System.currentTimeMillis(), draft);
        assertThat(job.status()).isIn(RenderJob.Status.PENDING, RenderJob.Status.PROCESSING);
        RenderJob done = pollUntil(() -> client.renderStatus(token, job.id()), j -> j.status().finished());
        assertThat(done.status()).isEqualTo(RenderJob.Status.COMPLETED);
        assertThat(done.progress()).hasValue(100);
        assertThat(done.outputUrl()).isPresent();

        Path video = dir.resolve("out.mp4");
        long bytes = client.download(token, done, video, Long.MAX_VALUE);
        assertThat(bytes).isPositive().isEqualTo(Files.size(video));
        byte[] head = Arrays.copyOfRange(Files.readAllBytes(video), 4, 8);
        assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("ftyp");
        assertThat(dir.resolve("out.mp4.part")).doesNotExist();

        // output.url is on the API's own origin: the token may (and did) go there
        RecordedRequest fetch = sim.requests().stream().filter(r -> r.path().startsWith("/files/")).findFirst()
                .orElseThrow();
        assertThat(fetch.headers().get("Authorization")).containsExactly("Bearer " + token.reveal());

        assertNoTokenOutsideAuthorization(token);
    }

    private void assertNoTokenOutsideAuthorization(Secret token) {
        List<RecordedRequest> requests = sim.requests();
        assertThat(requests).isNotEmpty();
        for (RecordedRequest r : requests) {
            assertThat(token.occursIn(r.path())).as("path of %s", r.path()).isFalse();
            assertThat(token.occursIn(r.query())).as("query of %s", r.path()).isFalse();
            assertThat(token.occursIn(new String(r.body(), StandardCharsets.ISO_8859_1))).as("body of %s", r.path())
                    .isFalse();
            for (Map.Entry<String, List<String>> h : r.headers().entrySet()) {
                if (!h.getKey().equalsIgnoreCase("Authorization")) {
                    assertThat(h.getValue()).as("header %s of %s", h.getKey(), r.path())
                            .noneMatch(token::occursIn);
                }
            }
            if (!r.path().equals("/api/auth/anonymous-token") && !r.path().startsWith("/files/")) {
                assertThat(r.headers().get("Authorization")).as("auth of %s", r.path()).isNotNull();
            }
            if (!r.path().startsWith("/files/")) {
                assertThat(r.headers().get("X-Skill-Source")).containsExactly(NemoSettings.SKILL_SOURCE);
                assertThat(r.headers().get("X-Skill-Version")).containsExactly("1.0.0");
                assertThat(r.headers().get("X-Skill-Platform")).containsExactly("unknown");
            }
        }
    }

    @Test
    void uploadsFromAStreamOfUnknownSizeAndByUrl() {
        User u = user(false);
        UploadResult chunked = client.upload(u.token(), u.session().sessionId(), "still.png", "image/png",
                new ByteArrayInputStream(PNG), -1);
        assertThat(chunked.files()).containsExactly("still.png");
        UploadResult byUrl = client.uploadUrl(u.token(), u.session().sessionId(), URI.create("https://example.com/a.png"));
        assertThat(byUrl.files()).hasSize(1);
        // the simulator records an upload just after answering it: wait for the record, find it by content
        List<String> urlForms = pollUntil(() -> sim.requests().stream()
                .map(r -> new String(r.body(), StandardCharsets.UTF_8)).filter(b -> b.contains("source_type"))
                .toList(), l -> !l.isEmpty());
        assertThat(urlForms).singleElement().asString()
                .contains("\"urls\":[\"https://example.com/a.png\"]").contains("\"source_type\":\"url\"");
        assertThat(sim.requests()).filteredOn(r -> r.path().startsWith("/api/upload-video/"))
                .allSatisfy(r -> assertThat(r.path()).isEqualTo("/api/upload-video/nemo_agent/me/"
                        + u.session().sessionId()));
    }

    /** Generates {@code size} bytes lazily: a PNG signature and then zeros, never held in memory at once. */
    static InputStream lazyPng(long size) {
        return new InputStream() {
            long pos;

            @Override
            public int read() {
                if (pos >= size) {
                    return -1;
                }
                int b = pos < PNG.length ? PNG[(int) pos] & 0xff : 0;
                pos++;
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) {
                if (pos >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - pos);
                for (int i = 0; i < n; i++) {
                    buf[off + i] = pos + i < PNG.length ? PNG[(int) (pos + i)] : 0;
                }
                pos += n;
                return n;
            }
        };
    }

    @ParameterizedTest
    @EnumSource(ErrorStyle.class)
    void uploadRefusalsAreTyped(ErrorStyle style) {
        sim.faults().errorStyle(style);
        User u = user(false);
        assertThatThrownBy(() -> client.upload(u.token(), u.session().sessionId(), "notes.txt", "text/plain",
                new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)), 5))
                .isInstanceOf(NemoException.UnsupportedFile.class);
        long tooBig = 20L * 1024 * 1024 + 1;
        assertThatThrownBy(() -> client.upload(u.token(), u.session().sessionId(), "huge.png", "image/png",
                lazyPng(tooBig), tooBig))
                .isInstanceOf(NemoException.FileTooLarge.class);
    }

    @ParameterizedTest
    @EnumSource(ErrorStyle.class)
    void contractErrorsInBothStyles(ErrorStyle style) {
        sim.faults().errorStyle(style);
        int expectedStatus = style == ErrorStyle.ENVELOPE_200 ? 200 : -1;

        User u = user(true);
        sim.faults().expireToken(u.token().reveal());
        NemoException.TokenExpired expired = catchThrowableOfType(NemoException.TokenExpired.class,
                () -> client.credits(u.token()));
        assertThat(expired.getMessage()).doesNotContain(u.token().reveal());
        if (expectedStatus == 200) {
            assertThat(expired.httpStatus()).isEqualTo(200);
        } else {
            assertThat(expired.httpStatus()).isGreaterThanOrEqualTo(400);
        }
        // the contract's remedy: ask again with the same client id, credits are kept
        Secret renewed = client.anonymousToken(u.clientId()).token();
        assertThat(renewed).isNotEqualTo(u.token());
        assertThat(client.credits(renewed).available()).isEqualTo(100);

        // one token per client id while it is valid
        assertThatThrownBy(() -> client.anonymousToken(u.clientId())).isInstanceOf(NemoException.RateLimited.class);

        User v = user(false);
        sim.faults().loseSession(v.session().sessionId());
        assertThatThrownBy(() -> client.state(v.token(), v.session().sessionId()))
                .isInstanceOf(NemoException.SessionNotFound.class);
        assertThatThrownBy(() -> client.runTurn(v.token(), v.session().sessionId(), "hi", new RecordingListener(),
                new Cancellation())).isInstanceOf(NemoException.SessionNotFound.class);

        sim.faults().rateLimitNext("/api/credits", 1);
        assertThatThrownBy(() -> client.credits(v.token())).isInstanceOf(NemoException.RateLimited.class);
        sim.faults().failNext("/api/credits", 503, 1);
        assertThatThrownBy(() -> client.credits(v.token())).isInstanceOf(NemoException.ServerError.class)
                .hasMessageNotContaining("<html");
        assertThat(client.credits(v.token()).available()).isEqualTo(100);
    }

    @ParameterizedTest
    @EnumSource(ErrorStyle.class)
    void noCreditsIsThrownWithTheBindIdInsteadOfAStream(ErrorStyle style) {
        start(SimulatorConfig.fast().withStartCredits(5));
        sim.faults().errorStyle(style);
        User u = user(true);
        RecordingListener listener = new RecordingListener();
        NemoException.NoCredits e = catchThrowableOfType(NemoException.NoCredits.class,
                () -> client.runTurn(u.token(), u.session().sessionId(), "animate it", listener, new Cancellation()));
        assertThat(e.bindId()).isEqualTo(u.session().bindId());
        assertThat(listener.events).isEmpty();
    }

    @Test
    void aDroppedStreamIsResumedWithoutSendingTheTurnTwice() {
        User u = user(true);
        sim.faults().dropNextStreamAfter(3);
        RecordingListener listener = new RecordingListener();

        TurnEnd end = client.runTurn(u.token(), u.session().sessionId(), "animate this", listener, new Cancellation());

        assertThat(end).isEqualTo(TurnEnd.COMPLETED);
        assertThat(listener.reconnects).containsExactly(1);
        assertThat(listener.finalText()).contains("Done!");
        List<RecordedRequest> turns = sim.requests().stream().filter(r -> r.path().equals("/run_sse")).toList();
        assertThat(turns).hasSize(2);
        assertThat(turns.get(0).headers().get("Last-Event-ID")).isNull();
        // the SSE id of the third event (the JSON ids are the agent's own, not the stream's)
        assertThat(turns.get(1).headers().get("Last-Event-ID")).containsExactly("3");
        // resumed, not repeated: no event twice, one charge
        assertThat(listener.events).extracting(AdkEvent::id).doesNotHaveDuplicates();
        assertThat(client.credits(u.token()).available()).isEqualTo(90);
    }

    @Test
    void threeDroppedReconnectsLoseTheStream() {
        User u = user(true);
        sim.faults().dropNextStreamAfter(2);
        sim.faults().dropReconnectsToo(3);
        RecordingListener listener = new RecordingListener();

        TurnEnd end = client.runTurn(u.token(), u.session().sessionId(), "animate this", listener, new Cancellation());

        assertThat(end).isEqualTo(TurnEnd.STREAM_LOST);
        assertThat(listener.reconnects).containsExactly(1, 2, 3);
        assertThat(sim.requests().stream().filter(r -> r.path().equals("/run_sse"))).hasSize(4);
    }

    @Test
    void crLfStreamsReadTheSame() {
        sim.faults().sseLineEndings("\r\n");
        User u = user(true);
        RecordingListener listener = new RecordingListener();
        assertThat(client.runTurn(u.token(), u.session().sessionId(), "animate", listener, new Cancellation()))
                .isEqualTo(TurnEnd.COMPLETED);
        assertThat(listener.finalText()).contains("Done!");
        assertThat(listener.heartbeats.get()).isPositive();
    }

    @Test
    void bothInStreamErrorFormsReachTheListener() {
        User u = user(false);
        for (boolean adkForm : new boolean[] {true, false}) {
            sim.faults().streamErrorNextTurn(adkForm);
            RecordingListener listener = new RecordingListener();
            assertThat(client.runTurn(u.token(), u.session().sessionId(), "hello", listener, new Cancellation()))
                    .isEqualTo(TurnEnd.COMPLETED);
            assertThat(listener.events).anyMatch(AdkEvent::isError);
        }
    }

    @Test
    void heartbeatsOnlyUntilTheListenerGivesUp() {
        User u = user(false);
        sim.faults().heartbeatsOnlyNextTurn();
        RecordingListener listener = new RecordingListener(n -> n < 5);
        assertThat(client.runTurn(u.token(), u.session().sessionId(), "hello", listener, new Cancellation()))
                .isEqualTo(TurnEnd.STOPPED);
        assertThat(listener.heartbeats).hasValue(5);
        assertThat(listener.events).isEmpty();
    }

    @Test
    void cancellingEndsAHangingTurnPromptly() throws Exception {
        User u = user(false);
        sim.faults().heartbeatsOnlyNextTurn();
        java.util.concurrent.CountDownLatch beating = new java.util.concurrent.CountDownLatch(1);
        TurnListener listener = new TurnListener() {
            @Override
            public void onEvent(AdkEvent event) {
            }

            @Override
            public boolean onHeartbeat() {
                beating.countDown();
                return true;
            }
        };
        Cancellation cancellation = new Cancellation();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<TurnEnd> turn = threads.submit(() -> client.runTurn(u.token(), u.session().sessionId(), "hello",
                    listener, cancellation));
            assertThat(beating.await(5, TimeUnit.SECONDS)).isTrue();
            cancellation.cancel();
            assertThat(turn.get(2, TimeUnit.SECONDS)).isEqualTo(TurnEnd.CANCELLED);
        }
    }

    @Test
    void theTurnCapEndsAHangingTurn() {
        User u = user(false);
        sim.faults().heartbeatsOnlyNextTurn();
        try (NemoClient capped = builder().turnTimeout(Duration.ofMillis(300)).build()) {
            assertThat(capped.runTurn(u.token(), u.session().sessionId(), "hello", new RecordingListener(),
                    new Cancellation())).isEqualTo(TurnEnd.CALL_TIMEOUT);
        }
    }

    @Test
    void aFailedRenderIsReportedWithItsReason() {
        User u = user(true);
        client.runTurn(u.token(), u.session().sessionId(), "animate", new RecordingListener(), new Cancellation());
        Draft draft = client.state(u.token(), u.session().sessionId()).draft().orElseThrow();
        sim.faults().failNextRender();
        RenderJob job = client.submitRender(u.token(), u.session().sessionId(), "render_1", draft);
        RenderJob failed = pollUntil(() -> client.renderStatus(u.token(), job.id()), j -> j.status().finished());
        assertThat(failed.status()).isEqualTo(RenderJob.Status.FAILED);
        assertThat(failed.error()).isPresent();
        assertThat(failed.outputUrl()).isEmpty();
    }

    @Test
    void downloadFromAForeignHostCarriesNothingOfOursAndFallsBackWhenItFails() throws Exception {
        User u = user(true);
        client.runTurn(u.token(), u.session().sessionId(), "animate", new RecordingListener(), new Cancellation());
        Draft draft = client.state(u.token(), u.session().sessionId()).draft().orElseThrow();
        RenderJob submitted = client.submitRender(u.token(), u.session().sessionId(), "render_2", draft);
        RenderJob done = pollUntil(() -> client.renderStatus(u.token(), submitted.id()),
                j -> j.status().finished());
        assertThat(done.status()).isEqualTo(RenderJob.Status.COMPLETED);

        try (MockWebServer cdn = new MockWebServer()) {
            cdn.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
            cdn.enqueue(new MockResponse.Builder().addHeader("Content-Type", "video/mp4")
                    .body(new Buffer().write(new byte[] {0, 0, 0, 16, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2,
                        0})).build());
            cdn.enqueue(new MockResponse.Builder().code(404).body("gone").build());
            URI foreign = URI.create("http://127.0.0.1:" + cdn.getPort() + "/bucket/video.mp4?X-Signature=abc");
            // the CDN's origin (the API's host, another port: another origin) is allowed by the operator
            client.close();
            client = NemoClient.builder(NemoSettings.at(sim.baseUrl())
                    .withDownloadHosts(java.util.List.of("127.0.0.1:" + cdn.getPort()))).build();
            RenderJob onCdn = new RenderJob(done.id(), done.status(), OptionalInt.of(100), Optional.of(foreign),
                    Optional.empty());

            assertThat(client.download(u.token(), onCdn, dir.resolve("a.mp4"), Long.MAX_VALUE)).isEqualTo(16);
            mockwebserver3.RecordedRequest bare = cdn.takeRequest();
            assertThat(bare.getHeaders().get("Authorization")).isNull();
            assertThat(bare.getHeaders().names()).noneMatch(n -> n.toLowerCase().startsWith("x-skill"));
            assertThat(bare.getHeaders().toString()).doesNotContain(u.token().reveal());
            assertThat(bare.getUrl().query()).isEqualTo("X-Signature=abc");

            // the CDN fails: the download endpoint of our API serves it, with the token
            sim.clearRequests();
            long bytes = client.download(u.token(), onCdn, dir.resolve("b.mp4"), Long.MAX_VALUE);
            assertThat(bytes).isGreaterThan(100);
            assertThat(cdn.takeRequest().getHeaders().get("Authorization")).isNull();
            RecordedRequest fallback = sim.requests().getLast();
            assertThat(fallback.path()).isEqualTo("/api/render/proxy/" + done.id() + "/download");
            assertThat(fallback.headers().get("Authorization")).containsExactly("Bearer " + u.token().reveal());
        }
        RenderJob noUrl = new RenderJob(done.id(), done.status(), OptionalInt.empty(), Optional.empty(),
                Optional.empty());
        assertThat(client.download(u.token(), noUrl, dir.resolve("c.mp4"), Long.MAX_VALUE)).isGreaterThan(100);
        assertThatThrownBy(() -> client.download(u.token(), new RenderJob("render_nope", RenderJob.Status.COMPLETED,
                OptionalInt.empty(), Optional.empty(), Optional.empty()), dir.resolve("d.mp4"), Long.MAX_VALUE))
                .isInstanceOf(NemoException.class);
        assertThat(dir.resolve("d.mp4")).doesNotExist();
        assertNoTokenOutsideAuthorization(u.token());
    }

    @Test
    void aClientOnASharedOkHttpClientLeavesItAlone() throws Exception {
        okhttp3.OkHttpClient shared = new okhttp3.OkHttpClient();
        try (NemoClient onShared = NemoClient.create(NemoSettings.at(sim.baseUrl()), shared)) {
            User u = user(true);
            // more streams than the shared dispatcher's 5 per host: ours are not queued behind its limit
            int n = 8;
            java.util.concurrent.CountDownLatch allBeating = new java.util.concurrent.CountDownLatch(n);
            List<User> users = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                users.add(user(false));
            }
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<TurnEnd>> turns = new java.util.ArrayList<>();
                for (User v : users) {
                    sim.faults().heartbeatsOnlyNextTurn();
                    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
                    TurnListener l = new TurnListener() {
                        @Override
                        public void onEvent(AdkEvent event) {
                        }

                        @Override
                        public boolean onHeartbeat() {
                            if (started.getCount() > 0) {
                                started.countDown();
                                allBeating.countDown();
                            }
                            // every stream waits until all are open at once, then stops
                            return allBeating.getCount() > 0;
                        }
                    };
                    turns.add(threads.submit(() -> onShared.runTurn(v.token(), v.session().sessionId(), "hi", l,
                            new Cancellation())));
                    // the knob is one-shot: wait until this turn is beating before arming it for the next
                    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
                }
                assertThat(allBeating.await(10, TimeUnit.SECONDS)).isTrue();
                for (Future<TurnEnd> f : turns) {
                    assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(TurnEnd.STOPPED);
                }
            }
            assertThat(onShared.credits(u.token()).available()).isEqualTo(100);
        }
        assertThat(shared.dispatcher().getMaxRequestsPerHost()).isEqualTo(5);
        // closing our client did not shut the shared one
        try (okhttp3.Response r = shared.newCall(new okhttp3.Request.Builder()
                .url(sim.baseUrl() + "/files/none.mp4").build()).execute()) {
            assertThat(r.code()).isEqualTo(404);
        }
    }

    @Test
    void fiftyStreamsRunAtOnceNotOneAfterAnother() throws Exception {
        Duration stage = Duration.ofMillis(600);
        start(SimulatorConfig.fast().withStageDelay(stage));
        int users = 50;
        List<User> all = new java.util.ArrayList<>();
        for (int i = 0; i < users; i++) {
            all.add(user(true));
        }
        // at once means every stream is open (has its first event) before any of them ends; one after another (or
        // a few per host) would end the first streams before the last ones start. How long it takes is the
        // benchmark's business.
        java.util.concurrent.atomic.AtomicInteger order = new java.util.concurrent.atomic.AtomicInteger();
        List<Integer> firstEvents = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Integer> ends = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Future<TurnEnd>> turns = new java.util.ArrayList<>();
        List<RecordingListener> listeners = new java.util.ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (User u : all) {
                RecordingListener l = new RecordingListener();
                java.util.concurrent.atomic.AtomicBoolean opened = new java.util.concurrent.atomic.AtomicBoolean();
                TurnListener watched = new TurnListener() {
                    @Override
                    public void onEvent(AdkEvent event) {
                        if (opened.compareAndSet(false, true)) {
                            firstEvents.add(order.incrementAndGet());
                        }
                        l.onEvent(event);
                    }

                    @Override
                    public boolean onHeartbeat() {
                        return l.onHeartbeat();
                    }

                    @Override
                    public void onReconnecting(int attempt) {
                        l.onReconnecting(attempt);
                    }
                };
                listeners.add(l);
                turns.add(threads.submit(() -> {
                    TurnEnd end = client.runTurn(u.token(), u.session().sessionId(), "animate", watched,
                            new Cancellation());
                    ends.add(order.incrementAndGet());
                    return end;
                }));
            }
            for (Future<TurnEnd> f : turns) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(TurnEnd.COMPLETED);
            }
        }
        assertThat(listeners).allSatisfy(l -> assertThat(l.finalText()).contains("Done!"));
        assertThat(firstEvents).hasSize(users);
        assertThat(java.util.Collections.max(firstEvents)).as("the last stream opened before the first one ended")
                .isLessThan(java.util.Collections.min(ends));
    }
}
