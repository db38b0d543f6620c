package dev.nemobot.core.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nemobot.config.Secret;
import dev.nemobot.core.backend.AdkEvent;
import dev.nemobot.core.backend.AdkEvent.Part;
import dev.nemobot.core.work.Cancellation;
import dev.nemobot.core.backend.Clip;
import dev.nemobot.core.backend.Credits;
import dev.nemobot.core.backend.Draft;
import dev.nemobot.core.backend.GeneratedMedia;
import dev.nemobot.core.backend.NemoBackend;
import dev.nemobot.core.backend.NemoException;
import dev.nemobot.core.work.Pause;
import dev.nemobot.core.backend.ProjectState;
import dev.nemobot.core.backend.RenderJob;
import dev.nemobot.core.backend.SessionInfo;
import dev.nemobot.core.backend.SessionState;
import dev.nemobot.core.backend.TokenGrant;
import dev.nemobot.core.backend.Track;
import dev.nemobot.core.backend.TurnEnd;
import dev.nemobot.core.backend.TurnListener;
import dev.nemobot.core.backend.UploadResult;
import dev.nemobot.core.backend.UploadedFile;
import dev.nemobot.core.chat.Attachment;
import dev.nemobot.core.chat.kit.FileType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The backend's contract ({@code shared/docs/nemovideo-api.md}) kept in memory, for engine specs: tokens that expire
 * after 7 days, sessions with their uploads and draft, credits charged per generation (10) and edit (2), turns that
 * stream ADK events to the listener at once, renders that take {@link #renderTakes} on the injected clock, and
 * downloads that write a small MP4. No HTTP, no JSON on the wire, no wall-clock time: waits (heartbeats, held
 * turns) are on the injected scheduler. Its answers mirror nemo-simulator's (which the client and end-to-end tests
 * use), so a spec and an end-to-end test of the same flow see the same conversation: {@code NemoBackendContract}
 * runs the same cases on both.
 *
 * <p>Knobs for the unhappy paths: {@link #hold()} keeps turns running until released, {@link #heartbeatsOnly},
 * {@link #loseStreams}, {@link #failRenders}, {@link #failNext}. Every call is counted ({@link #calls}). Thread-safe.
 */
public final class MemoryBackend implements NemoBackend {
    public static final int GENERATION_COST = 10;
    public static final int EDIT_COST = 2;
    public static final int START_CREDITS = 100;
    static final List<String> GENERATION_WORDS = List.of("animate", "generate", "video", "make", "动画", "生成", "视频");
    static final List<String> EDIT_WORDS = List.of("music", "title", "trim", "cut", "speed", "音乐", "标题", "剪");
    static final byte[] MP4 = mp4();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long the server goes on working on a turn whose stream was lost. */
    static final Duration LOST_WORK_TAKES = Duration.ofSeconds(40);

    private final Clock clock;
    private final Pause pause;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Account> accountsByClient = new ConcurrentHashMap<>();
    private final Map<String, Account> accountsByToken = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    /** The language of each session created, in order. */
    private final List<String> sessionLanguages = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, Render> renders = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final Map<String, java.util.Deque<RuntimeException>> failNext = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicReference<CompletableFuture<Void>> hold = new AtomicReference<>();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger stored = new AtomicInteger();
    private volatile Duration renderTakes = Duration.ofSeconds(90);
    private volatile boolean heartbeatsOnly;
    private volatile boolean silentNext;
    /** The error event's code and message of the next turn, when it is to end in one. */
    private final AtomicReference<Map.Entry<String, String>> streamErrorNext = new AtomicReference<>();
    private volatile int startCredits = START_CREDITS;
    private final AtomicInteger newAccountsLeft = new AtomicInteger(Integer.MAX_VALUE);
    private final AtomicInteger streamsToLose = new AtomicInteger();
    private final AtomicInteger streamsToLoseAfterWork = new AtomicInteger();
    private final AtomicInteger streamsToLoseAfterWords = new AtomicInteger();
    private final AtomicInteger rendersToFail = new AtomicInteger();

    public MemoryBackend(Clock clock, ScheduledExecutorService scheduler) {
        this.clock = clock;
        this.pause = new Pause(scheduler);
        this.scheduler = scheduler;
    }

    // ------------------------------------------------------------------ knobs

    /** How long a render runs (on the clock) before it completes; 90 s unless set. */
    public MemoryBackend renderTakes(Duration d) {
        this.renderTakes = d;
        return this;
    }

    /** Turns from now on wait (after being counted) until {@link Hold#release()}. */
    public Hold hold() {
        CompletableFuture<Void> released = new CompletableFuture<>();
        hold.set(released);
        return new Hold(released);
    }

    /** Turns send a heartbeat every 15 s and nothing else, until the listener stops them. */
    public MemoryBackend heartbeatsOnly(boolean on) {
        this.heartbeatsOnly = on;
        return this;
    }

    /** The next {@code n} turns do their work on the server but their stream is lost before any event arrives. */
    public MemoryBackend loseStreams(int n) {
        streamsToLose.set(n);
        return this;
    }

    /**
     * The next {@code n} turns do all their work on the server before their stream is lost, before any event arrives
     * (as when the bot stalls for longer than the work: the project has already changed when it first looks).
     */
    public MemoryBackend loseStreamsAfterTheWork(int n) {
        streamsToLoseAfterWork.set(n);
        return this;
    }

    /**
     * The next {@code n} turns' streams bring the agent's first words, then are lost before its tool calls; the
     * work is done on the server at once.
     */
    public MemoryBackend loseStreamsAfterTheFirstWords(int n) {
        streamsToLoseAfterWords.set(n);
        return this;
    }

    /** The next turn does its work but says nothing (no text event). */
    public MemoryBackend silentNext() {
        silentNext = true;
        return this;
    }

    /** The next {@code n} renders fail. */
    public MemoryBackend failRenders(int n) {
        rendersToFail.set(n);
        return this;
    }

    /** The next call named {@code call} (e.g. "upload", "state", "submitRender") throws {@code e}. */
    public MemoryBackend failNext(String call, RuntimeException e) {
        return failNext(call, e, 1);
    }

    /** The next {@code times} calls named {@code call} throw {@code e}. */
    public MemoryBackend failNext(String call, RuntimeException e, int times) {
        java.util.Deque<RuntimeException> q = failNext.computeIfAbsent(call, k -> new java.util.concurrent.ConcurrentLinkedDeque<>());
        for (int i = 0; i < times; i++) {
            q.add(e);
        }
        return this;
    }

    /** Accounts made from now on start with {@code credits} (100 unless set). */
    public MemoryBackend startCredits(int credits) {
        this.startCredits = credits;
        return this;
    }

    /** Sets what the account of {@code token} has. */
    public void setCredits(Secret token, long credits) {
        valid(token).credits = credits;
    }

    /** Only {@code n} more new accounts are given (the backend's limit per address); then 429. */
    public MemoryBackend newAccountsLeft(int n) {
        this.newAccountsLeft.set(n);
        return this;
    }

    /** The next turn sends one text, then an error event ({@code INTERNAL_ERROR} with the agent's words). */
    public MemoryBackend streamErrorNext() {
        return streamErrorNext("INTERNAL_ERROR", "The agent failed to finish this request.");
    }

    /** The next turn sends one text, then an error event with {@code errorCode} and {@code errorMessage}. */
    public MemoryBackend streamErrorNext(String errorCode, String errorMessage) {
        this.streamErrorNext.set(Map.entry(errorCode, errorMessage));
        return this;
    }

    /** Forgets every session (as after a backend clean-up): the next call with one answers 1002. */
    public void loseSessions() {
        sessions.clear();
    }

    /** Makes the token of every account expire now (the next call with it answers 1001). */
    public void expireTokens() {
        accountsByToken.values().forEach(a -> a.expiresAt = clock.instant());
    }

    // ------------------------------------------------------------------ what happened

    /** How many times {@code call} was made (e.g. "runTurn", "upload", "submitRender", "download"). */
    public int calls(String call) {
        AtomicInteger n = calls.get(call);
        return n == null ? 0 : n.get();
    }

    /** The texts sent as turns, in order. */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    /** The language each session was created in, in order. */
    public List<String> sessionLanguages() {
        return List.copyOf(sessionLanguages);
    }

    /** The client ids accounts were made for. */
    public java.util.Set<String> clientIds() {
        return java.util.Set.copyOf(accountsByClient.keySet());
    }

    /** Files the backend accepted and stored (an upload cut off while streaming is not one). */
    public int stored() {
        return stored.get();
    }

    /** Turns waiting on a {@link #hold()} now. */
    public int held() {
        return held.get();
    }

    /** What the account of {@code token} has left (not counted as a call). */
    public long left(Secret token) {
        return valid(token).credits;
    }

    /** The tokens handed out, oldest first. */
    public List<Secret> tokens() {
        return accountsByToken.values().stream().sorted((a, b) -> Integer.compare(a.n, b.n)).map(a -> a.token)
                .toList();
    }

    // ------------------------------------------------------------------ the contract

    @Override
    public TokenGrant anonymousToken(String clientId) {
        count("anonymousToken");
        Account a = accountsByClient.compute(clientId, (id, old) -> {
            if (old == null) {
                if (!takeOne(newAccountsLeft)) {
                    throw new NemoException.RateLimited(429, "too many new clients from this address",
                            Optional.empty());
                }
                return new Account(ids.incrementAndGet());
            }
            if (old.expiresAt.isAfter(clock.instant())) {
                throw new NemoException.RateLimited(429, "one token per client id per 7 days", Optional.empty());
            }
            accountsByToken.remove(old.token.reveal());
            old.renew(); // the same account (credits, sessions) under a new token
            return old;
        });
        accountsByToken.put(a.token.reveal(), a);
        return new TokenGrant(a.token, (int) a.credits, a.expiresAt);
    }

    @Override
    public SessionInfo createSession(Secret token, String language) {
        Account a = account(token, "createSession");
        Session s = new Session("sess_" + ids.incrementAndGet(), a, language);
        sessions.put(s.id, s);
        sessionLanguages.add(language);
        return new SessionInfo("task_" + s.id, s.id, Optional.of("bind_" + a.n));
    }

    @Override
    public UploadResult upload(Secret token, String sessionId, String fileName, String contentType, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return upload(token, sessionId, fileName, contentType, in, Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public UploadResult upload(Secret token, String sessionId, String fileName, String contentType, InputStream in,
                               long size) {
        Session s = session(token, sessionId, "upload");
        long read;
        byte[] head;
        try {
            head = in.readNBytes(FileType.HEAD_BYTES);
            read = head.length + in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new NemoException.Network("upload cut: " + e.getMessage(), e);
        }
        if (read > Attachment.MAX_BYTES) {
            throw new NemoException.FileTooLarge(413, "file too large");
        }
        // the contract's formats (audio too), told by their bytes, not by the declared type (nemo-simulator reads
        // the bytes too)
        Optional<FileType> type = FileType.sniff(head, head.length);
        if (type.isEmpty()) {
            throw new NemoException.UnsupportedFile(415, "unsupported file type");
        }
        s.upload(fileName, type.get().kind() == FileType.Kind.IMAGE);
        stored.incrementAndGet();
        return new UploadResult(List.of(fileName));
    }

    @Override
    public UploadResult uploadUrl(Secret token, String sessionId, URI url) {
        Session s = session(token, sessionId, "uploadUrl");
        String path = url.getPath() == null ? "" : url.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        s.upload(name.isEmpty() ? "image" : name, true, url);
        return new UploadResult(List.of(name));
    }

    @Override
    public Credits credits(Secret token) {
        Account a = account(token, "credits");
        return new Credits(a.credits, 0, a.credits);
    }

    @Override
    public SessionState state(Secret token, String sessionId) {
        Session s = session(token, sessionId, "state");
        return new SessionState(s.project(), Optional.of("bind_" + s.owner.n));
    }

    @Override
    public TurnEnd runTurn(Secret token, String sessionId, String text, TurnListener listener,
                           Cancellation cancellation) {
        Session s = session(token, sessionId, "runTurn");
        if (cancellation.isCancelled()) {
            return TurnEnd.CANCELLED; // as the client: a turn cancelled before it starts is not sent
        }
        messages.add(text);
        CompletableFuture<Void> gate = hold.get();
        if (gate != null) {
            held.incrementAndGet();
            try {
                if (!await(gate, cancellation)) {
                    return TurnEnd.CANCELLED;
                }
            } finally {
                held.decrementAndGet();
            }
        }
        if (heartbeatsOnly) {
            while (true) {
                if (!listener.onHeartbeat()) {
                    return TurnEnd.STOPPED;
                }
                if (!pause.sleep(Duration.ofSeconds(15), cancellation)) {
                    return TurnEnd.CANCELLED;
                }
            }
        }
        Map.Entry<String, String> error = streamErrorNext.getAndSet(null);
        if (error != null) {
            listener.onEvent(new AdkEvent("e" + ids.incrementAndGet(), "nemo_agent", true,
                    List.of(new Part.Text("Working on it")), Optional.empty(), Optional.empty()));
            listener.onEvent(new AdkEvent("e" + ids.incrementAndGet(), "nemo_agent", false, List.of(),
                    Optional.of(error.getKey()), Optional.of(error.getValue())));
            return TurnEnd.COMPLETED;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        boolean edit = s.hasImage() && EDIT_WORDS.stream().anyMatch(lower::contains) && s.hasClips();
        boolean generation = !edit && s.hasImage() && GENERATION_WORDS.stream().anyMatch(lower::contains);
        // charged when the turn starts: without the credits it is an error answer (2001), nothing streams
        charge(s, edit ? EDIT_COST : generation ? GENERATION_COST : 0);
        boolean late = takeOne(streamsToLose);
        boolean afterWork = takeOne(streamsToLoseAfterWork);
        boolean afterWords = takeOne(streamsToLoseAfterWords);
        boolean lose = late || afterWork || afterWords;
        if (afterWords) {
            listener.onEvent(new AdkEvent("e" + ids.incrementAndGet(), "nemo_agent", true,
                    List.of(new Part.Text("On it: ")), Optional.empty(), Optional.empty()));
        }
        boolean silent = silentNext;
        silentNext = false;
        TurnListener to = lose ? event -> { } : silent ? event -> {
            if (event.text().isEmpty()) {
                listener.onEvent(event);
            }
        } : listener;
        if (edit) {
            call(to, "edit_timeline");
            s.edit(lower);
            say(to, s.line("updated"));
        } else if (generation) {
            call(to, "generate_video");
            if (late) {
                // the server goes on with the work after the stream is gone: the project changes a little later
                scheduler.schedule(s::generate, LOST_WORK_TAKES.toNanos(), TimeUnit.NANOSECONDS);
            } else {
                s.generate();
            }
            say(to, s.line("done").replace("{secs}", "5"));
        } else {
            say(to, s.line("chat.0"));
        }
        return lose ? TurnEnd.STREAM_LOST : TurnEnd.COMPLETED;
    }

    @Override
    public RenderJob submitRender(Secret token, String sessionId, String id, Draft draft) {
        Session owner = session(token, sessionId, "submitRender");
        if (!draft.hasClips()) {
            throw new NemoException.BadResponse(400, 400, "nothing to export: the draft has no track with segments");
        }
        Render r = new Render(id, owner.owner, clock.instant(), takeOne(rendersToFail));
        if (renders.putIfAbsent(id, r) != null) {
            throw new NemoException.BadResponse(409, 409, "render id already used");
        }
        return r.job();
    }

    @Override
    public RenderJob renderStatus(Secret token, String id) {
        Account a = account(token, "renderStatus");
        Render r = renders.get(id);
        if (r == null || r.owner != a) { // a render belongs to its account (a renewed token polls it on)
            throw new NemoException.BadResponse(404, 404, "no such render");
        }
        return r.job();
    }

    @Override
    public long download(Secret token, RenderJob job, Path target, long maxBytes) {
        Account a = account(token, "download");
        Render r = renders.get(job.id());
        if (r == null || r.owner != a || r.job().status() != RenderJob.Status.COMPLETED) {
            throw new NemoException.BadResponse(404, 404, "the render is not completed"); // whatever the job says
        }
        if (MP4.length > maxBytes) {
            throw new dev.nemobot.core.backend.VideoTooLarge(MP4.length, maxBytes);
        }
        try {
            Files.write(target, MP4);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return MP4.length;
    }

    // ------------------------------------------------------------------ inside

    private void count(String call) {
        calls.computeIfAbsent(call, k -> new AtomicInteger()).incrementAndGet();
        java.util.Deque<RuntimeException> q = failNext.get(call);
        RuntimeException e = q == null ? null : q.poll();
        if (e != null) {
            throw e;
        }
    }

    /** Counts {@code call} (failing it when the spec asked for that), then checks the token. */
    private Account account(Secret token, String call) {
        count(call);
        return valid(token);
    }

    /** The account of a valid token (not counted as a call). */
    private Account valid(Secret token) {
        Account a = accountsByToken.get(token.reveal());
        if (a == null || !clock.instant().isBefore(a.expiresAt)) {
            throw new NemoException.TokenExpired(401, "token expired");
        }
        return a;
    }

    private Session session(Secret token, String sessionId, String call) {
        Account a = account(token, call);
        Session s = sessions.get(sessionId);
        if (s == null || s.owner != a) {
            throw new NemoException.SessionNotFound(404, "session not found");
        }
        return s;
    }

    /** Takes {@code cost} from the session's account; 2001, with the sign-up id, when it has not enough. */
    private void charge(Session s, int cost) {
        synchronized (s.owner) {
            if (s.owner.credits < cost) {
                throw new NemoException.NoCredits(200, "not enough credits", Optional.of("bind_" + s.owner.n));
            }
            s.owner.credits -= cost;
        }
    }

    /** Whether one of the {@code left} still to come is taken (counted down, never below zero). */
    private static boolean takeOne(AtomicInteger left) {
        return left.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    private void call(TurnListener to, String tool) {
        String id = "call_" + ids.incrementAndGet();
        to.onEvent(new AdkEvent("e" + ids.incrementAndGet(), "nemo_agent", false,
                List.of(new Part.FunctionCall(id, tool, "{}")), Optional.empty(), Optional.empty()));
        to.onEvent(new AdkEvent("e" + ids.incrementAndGet(), "nemo_agent", false,
                List.of(new Part.FunctionResponse(id, tool, "{\"status\":\"success\"}")), Optional.empty(),
                Optional.empty()));
    }

    private void say(TurnListener to, String text) {
        to.onEvent(new AdkEvent("e" + ids.incrementAndGet(), "nemo_agent", false, List.of(new Part.Text(text)),
                Optional.empty(), Optional.empty()));
    }

    /** Blocks (waiting, so the manual clock sees this thread as settled) until released or cancelled. */
    private static boolean await(CompletableFuture<Void> released, Cancellation cancellation) {
        CompletableFuture<Boolean> go = new CompletableFuture<>();
        released.thenRun(() -> go.complete(true));
        cancellation.onCancel(() -> go.complete(false));
        return go.join();
    }

    private static byte[] mp4() {
        byte[] b = new byte[4096];
        byte[] head = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm', 'm', 'p',
                '4', '2', 0, 0, 15, (byte) 232, 'm', 'd', 'a', 't'};
        System.arraycopy(head, 0, b, 0, head.length);
        return b;
    }

    /** Lets held turns go on. */
    public static final class Hold {
        private final CompletableFuture<Void> released;

        Hold(CompletableFuture<Void> released) {
            this.released = released;
        }

        public void release() {
            released.complete(null);
        }
    }

    private final class Account {
        final int n;
        volatile Secret token;
        volatile long credits = startCredits;
        volatile Instant expiresAt;
        private int renewals;

        Account(int n) {
            this.n = n;
            renew();
        }

        synchronized void renew() {
            token = Secret.of("nmv_usr_mem_" + n + "_" + renewals++);
            expiresAt = clock.instant().plus(Duration.ofDays(7));
        }
    }

    private final class Render {
        final String id;
        final Account owner;
        final Instant started;
        final boolean fails;

        Render(String id, Account owner, Instant started, boolean fails) {
            this.id = id;
            this.owner = owner;
            this.started = started;
            this.fails = fails;
        }

        RenderJob job() {
            Duration ran = Duration.between(started, clock.instant());
            if (ran.compareTo(renderTakes) >= 0) {
                return fails
                        ? new RenderJob(id, RenderJob.Status.FAILED, OptionalInt.empty(), Optional.empty(),
                        Optional.of("render failed"))
                        : new RenderJob(id, RenderJob.Status.COMPLETED, OptionalInt.of(100),
                        Optional.of(URI.create("https://cdn.nemovideo.test/renders/" + id + ".mp4")),
                        Optional.empty());
            }
            int pct = (int) (ran.toMillis() * 100 / Math.max(1, renderTakes.toMillis()));
            return new RenderJob(id, pct == 0 ? RenderJob.Status.PENDING : RenderJob.Status.PROCESSING,
                    OptionalInt.of(pct), Optional.empty(), Optional.empty());
        }
    }

    private static final class Session {
        final String id;
        final Account owner;
        final String language;
        private final List<UploadedFile> uploads = new ArrayList<>();
        private boolean hasImage;
        private String image = "image";
        private List<Track> tracks = List.of();
        private int generated;

        Session(String id, Account owner, String language) {
            this.id = id;
            this.owner = owner;
            this.language = language;
        }

        /**
         * The agent's sentence {@code key} in the session's language: nemo-simulator's own sentences (its
         * {@code agent*.properties}), so that a spec hears what an end-to-end test hears; English for a language it
         * has none for.
         */
        String line(String key) {
            return ResourceBundle.getBundle("dev.nemobot.simulator.agent",
                    Locale.forLanguageTag(language.strip().replace('_', '-')),
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES))
                    .getString(key);
        }

        synchronized void upload(String name, boolean isImage) {
            upload(name, isImage, URI.create("https://files.nemovideo.test/uploads/" + id + "/"
                    + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")));
        }

        /** An upload the backend keeps at {@code url} (listed as an image's URL when it is one). */
        synchronized void upload(String name, boolean isImage, URI url) {
            uploads.add(new UploadedFile(name, isImage ? Optional.of(url) : Optional.empty()));
            if (isImage) {
                hasImage = true;
                image = name;
            }
        }

        synchronized boolean hasImage() {
            return hasImage;
        }

        synchronized boolean hasClips() {
            return tracks.stream().anyMatch(t -> !t.clips().isEmpty());
        }

        synchronized void generate() {
            generated++;
            tracks = List.of(
                    new Track(Track.Kind.VIDEO, List.of(new Clip(0, 5000, image + " animated", Optional.empty(),
                            OptionalLong.empty()))),
                    new Track(Track.Kind.AUDIO, List.of(new Clip(0, 5000, "Lo-fi", Optional.empty(),
                            OptionalLong.of(35)))),
                    new Track(Track.Kind.TEXT, List.of(new Clip(0, 3000, "title", Optional.of("Golden Hour"),
                            OptionalLong.empty()))));
        }

        synchronized void edit(String lower) {
            List<Track> out = new ArrayList<>();
            for (Track t : tracks) {
                if (t.kind() == Track.Kind.AUDIO && lower.contains("music")) {
                    out.add(new Track(Track.Kind.AUDIO, List.of(new Clip(0, 5000, "Jazz", Optional.empty(),
                            OptionalLong.of(35)))));
                } else {
                    out.add(t);
                }
            }
            tracks = List.copyOf(out);
        }

        synchronized ProjectState project() {
            List<GeneratedMedia> media = new ArrayList<>();
            for (int i = 0; i < generated; i++) {
                media.add(new GeneratedMedia(GeneratedMedia.Status.COMPLETED));
            }
            // a project always has a draft, an empty one ({"t":[]}) until something is generated
            return new ProjectState(Optional.of(new Draft(tracks, json(tracks))), media, uploads);
        }

        /**
         * The draft as the backend sends it, in the contract's short keys: tracks {@code t} of type {@code tt}, their
         * segments {@code sg} with {@code s}, {@code d} and {@code m}.
         */
        private static String json(List<Track> tracks) {
            ObjectNode draft = JSON.createObjectNode();
            ArrayNode t = draft.putArray("t");
            for (Track track : tracks) {
                ObjectNode tn = t.addObject().put("tt", switch (track.kind()) {
                    case VIDEO -> 0;
                    case AUDIO -> 1;
                    case TEXT -> 7;
                    case OTHER -> 99;
                });
                ArrayNode sg = tn.putArray("sg");
                for (Clip c : track.clips()) {
                    ObjectNode m = sg.addObject().put("s", c.startMs()).put("d", c.durationMs()).putObject("m");
                    m.put("name", c.name());
                    c.text().ifPresent(text -> m.put("text", text));
                    c.volumePercent().ifPresent(v -> m.put("volume", v));
                }
            }
            return draft.toString();
        }
    }
}
