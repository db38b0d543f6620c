package dev.nemobot.core.intake;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.nemobot.config.Settings;
import dev.nemobot.core.EngineTimings;
import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Activity;
import dev.nemobot.core.chat.Attachment;
import dev.nemobot.core.chat.ChatPlatform;
import dev.nemobot.core.chat.Incoming;
import dev.nemobot.core.conversation.TurnSlots;
import dev.nemobot.core.conversation.QuickEdits;
import dev.nemobot.core.export.Drafts;
import dev.nemobot.core.export.Exporter;
import dev.nemobot.core.identity.Identities;
import dev.nemobot.core.intake.AttachmentCheck;
import dev.nemobot.core.lane.Lanes;
import dev.nemobot.core.store.CreditLedger;
import dev.nemobot.core.intake.DailyBudget;
import dev.nemobot.core.intake.FileNames;
import dev.nemobot.core.intake.Gatekeeper;
import dev.nemobot.core.identity.UserSession;
import dev.nemobot.core.metrics.EngineMetrics;
import dev.nemobot.core.backend.Cancellation;
import dev.nemobot.core.backend.Credits;
import dev.nemobot.core.backend.NemoBackend;
import dev.nemobot.core.backend.NemoException;
import dev.nemobot.core.backend.SessionState;
import dev.nemobot.core.backend.TurnEnd;
import dev.nemobot.core.intake.Intent;
import dev.nemobot.core.intake.Route;
import dev.nemobot.core.intake.Router;
import dev.nemobot.core.store.HandledMessages;
import dev.nemobot.core.store.InterruptedTurn;
import dev.nemobot.core.store.TurnClaims;
import dev.nemobot.core.conversation.EditGate;
import dev.nemobot.core.conversation.Failures;
import dev.nemobot.core.conversation.Keepalive;
import dev.nemobot.core.conversation.LogContext;
import dev.nemobot.core.backend.Pause;
import dev.nemobot.core.conversation.Replier;
import dev.nemobot.core.lane.WorkCounter;
import dev.nemobot.core.store.StoreException;
import dev.nemobot.core.conversation.LiveMessage;
import dev.nemobot.core.text.Followup;
import dev.nemobot.core.chat.Lang;
import dev.nemobot.core.text.Messages;
import dev.nemobot.core.text.SafeText;
import dev.nemobot.core.text.TimelineSummary;
import dev.nemobot.core.conversation.TurnOutcome;
import dev.nemobot.core.conversation.TurnRunner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes each incoming message from the platform's thread (returning at once), routes it and runs it on a virtual
 * thread: quick reads (help, credits, status, cancel, joining an export) at once; turns, uploads and /new through
 * the user's lane, one at a time, with a small bounded queue. Thread-safe.
 */
public final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** How long, and how many, handled message ids are remembered (platforms redeliver within minutes). */
    static final Duration SEEN_FOR = Duration.ofHours(6);
    /** How often a turn waiting for another instance to finish the same user's turn looks again. */
    private static final Duration TURN_CLAIM_RETRY = Duration.ofMillis(500);
    static final int SEEN_MAX = 20_000;

    private final Settings settings;
    private final NemoBackend backend;
    private final Identities identities;
    private final Exporter exporter;
    private final TurnRunner turns;
    /** The global bound on turns running at once (BOT_MAX_TURNS), with its line (BOT_MAX_WAITING_TURNS). */
    private final TurnSlots slots;
    private final Failures failures;
    private final EngineTimings timings;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private final WorkCounter work;
    private final Pause pause;
    private final EditGate gate;
    private final Lanes<LaneJob> lanes;
    private final Gatekeeper keeper;
    private final DailyBudget budget;
    private final EngineMetrics metrics;
    /**
     * Messages already handled here: checked on the platform's thread, so in memory, a fast path only. What decides
     * is the claim in the shared store ({@link HandledMessages#claim}), made on a virtual thread before any work.
     */
    private final Cache<String, Boolean> seen = Caffeine.newBuilder().maximumSize(SEEN_MAX)
            .expireAfterWrite(SEEN_FOR).build();
    private final TurnClaims turnClaims;
    private final HandledMessages handled;
    /**
     * The request of each session's last generation, for the "Again" and "Longer" buttons under its video. Kept in
     * memory, bounded: after a restart (or for an older project) the buttons get a polite answer instead.
     */
    private final Cache<String, String> lastPrompts = Caffeine.newBuilder().maximumSize(LAST_PROMPTS_MAX)
            .expireAfterAccess(Duration.ofDays(2)).build();
    static final int LAST_PROMPTS_MAX = 20_000;
    private volatile boolean closed;

    public Dispatcher(Settings settings, NemoBackend backend, TurnClaims turnClaims, HandledMessages handled,
               Identities identities, Exporter exporter,
               TurnRunner turns, Failures failures, EngineTimings timings, Clock clock,
               ScheduledExecutorService scheduler, ExecutorService workers, WorkCounter work, Pause pause,
               EditGate gate, EngineMetrics metrics, CreditLedger ledger) {
        this.settings = settings;
        this.backend = backend;
        this.identities = identities;
        this.exporter = exporter;
        this.turns = turns;
        this.slots = new TurnSlots(settings.limits().maxTurns(), settings.limits().waitingTurns());
        this.failures = failures;
        this.timings = timings;
        this.clock = clock;
        this.scheduler = scheduler;
        this.workers = workers;
        this.work = work;
        this.pause = pause;
        this.gate = gate;
        // BOT_QUEUE_LIMIT, unless the timings (tests) ask for fewer
        this.lanes = new Lanes<>(Math.min(timings.queueCapacity(), settings.limits().queuedMessages()));
        this.keeper = new Gatekeeper(settings.access(), settings.limits(), clock);
        this.budget = new DailyBudget(settings.limits(), identities.operatorMode(), ledger, clock);
        this.metrics = metrics;
        this.turnClaims = turnClaims;
        this.handled = handled;
        // what was handled before a restart stays handled: platforms redeliver what they saw unconfirmed
        Instant now = clock.instant();
        handled.forgetBefore(now.minus(SEEN_FOR));
        handled.since(now.minus(SEEN_FOR), SEEN_MAX).forEach(e -> seen.put(e.getKey() + "\u0000" + e.getValue(), Boolean.TRUE));
    }

    /**
     * A message waiting for, or running in, its user's lane; {@code claim} is asked first (in the lane, so a user's
     * messages keep their order) and the job is dropped when it says no (another instance handled the message).
     */
    private record LaneJob(Route route, Replier to, Cancellation cancellation, BooleanSupplier claim)
            implements Lanes.Job {
        LaneJob(Route route, Replier to, Cancellation cancellation) {
            this(route, to, cancellation, () -> true);
        }
    }

    /**
     * The message that acknowledges a request at once ("Uploading…", "Working on it…") with a Cancel button, and
     * then becomes the first reply: the turn's streamed answer, or the first thing said after it. Used on the
     * request's own thread only.
     */
    private static final class Ack {
        private final Replier to;
        private final LiveMessage live;
        private boolean consumed;

        Ack(Replier to) {
            this.to = to;
            this.live = to.live().withButtons(Action.CANCEL);
        }

        LiveMessage live() {
            return live;
        }

        /** Shows {@code text} in the acknowledgement (sending it if not yet shown), unless something replaced it. */
        void show(String text) {
            if (!consumed) {
                live.placeholder(text);
            }
        }

        /** Says {@code text}: in place of the acknowledgement the first time, as a new message after that. */
        void say(String text, Action... actions) {
            if (!consumed && live.started()) {
                consumed = true;
                live.finish(text, actions);
            } else {
                to.say(text, actions);
            }
        }

        /** Marks the acknowledgement as replaced (by the turn's streamed answer). */
        void consume() {
            consumed = true;
        }

        boolean consumed() {
            return consumed;
        }

        /** An acknowledgement nothing replaced (the request was cancelled or failed) ends as {@code text}. */
        void close(String text) {
            if (!consumed && live.started()) {
                consumed = true;
                live.finish(text);
            }
        }
    }

    Replier replier(ChatPlatform platform, Incoming m, Lang lang) {
        return new Replier(platform, m.conversation(), m.user(), lang, gate, pause);
    }

    UserSession session(Replier to, Cancellation cancellation) {
        return new UserSession(identities, to.user().key(), to.lang().code(), pause, timings.rateLimitRetry(),
                cancellation);
    }

    /** Never blocks: everything that may block runs on a virtual thread. */
    public void accept(ChatPlatform platform, Incoming raw) {
        Objects.requireNonNull(raw, "message");
        // control and invisible characters go before anything counts, routes or forwards the text
        Incoming m = raw.withText(SafeText.inbound(raw.text()));
        String seenKey = platform.name() + "\u0000" + m.messageId();
        if (seen.getIfPresent(seenKey) != null) {
            log.debug("{}: duplicate message {} ignored", platform.name(), m.messageId());
            return;
        }
        Replier to = replier(platform, m, Lang.of(m.user(), m.text()));
        // every answer passes the gate first: the adapters' own refusals and the shutdown notice too
        if (keeper.check(m) instanceof Gatekeeper.Verdict.Refuse r) {
            metrics.refused(r.reason());
            log.debug("{}: message refused ({})", platform.name(), r.reason());
            r.text().ifPresent(t -> spawn(() -> to.say(t)));
            return; // not recorded as handled: a denied user's updates are not stored
        }
        if (closed) {
            // not claimed either: a redelivery to another instance is handled there
            spawn(() -> to.say(to.messages().shuttingDown()));
            return;
        }
        if (seen.asMap().putIfAbsent(seenKey, Boolean.TRUE) != null) {
            log.debug("{}: duplicate message {} ignored", platform.name(), m.messageId());
            return;
        }
        BooleanSupplier claim = () -> claim(platform.name(), m.messageId());
        if (m.refusal().isPresent()) {
            String refusal = m.refusal().get();
            metrics.refused("adapter");
            spawn(() -> {
                if (claim.getAsBoolean()) {
                    to.say(refusal);
                }
            });
            return;
        }
        Route route = Router.route(m);
        if (route instanceof Route.Nothing && !raw.text().isBlank()) {
            route = new Route.Do(Intent.HELP); // nothing but invisible characters: say what the bot understands
        }
        switch (route) {
            case Route.Nothing n -> {
            }
            case Route.Do d when !laneWork(d.intent()) -> spawn(() -> {
                try (LogContext c = LogContext.of(to)) {
                    if (claim.getAsBoolean()) {
                        instant(d, to);
                    }
                }
            });
            default -> enqueue(to.user().key(), new LaneJob(route, to, new Cancellation(), claim));
        }
    }

    /**
     * Claims a message in the shared store, on a virtual thread before any work: true when this instance is the
     * first to take it; false when it was handled already (here before a restart, or by another instance the
     * platform delivered it to). A store that cannot answer lets the message through (the memory check still holds).
     */
    private boolean claim(String platform, String messageId) {
        try {
            if (handled.claim(platform, messageId, clock.instant())) {
                return true;
            }
            log.info("{}: message {} was handled already (another instance, or before a restart); ignored", platform,
                    messageId);
            return false;
        } catch (StoreException e) {
            log.warn("{}: could not claim message {} in the store ({}); handling it here", platform, messageId,
                    e.getMessage());
            return true;
        }
    }

    /** Forgets the handled messages past their retention (the store keeps them {@link #SEEN_FOR}). */
    public void forgetHandled() {
        handled.forgetBefore(clock.instant().minus(SEEN_FOR));
    }

    public void close() {
        closed = true;
    }

    /** Intents that run in the user's lane: a new project, and the quick edits (each a backend turn). */
    private static boolean laneWork(Intent intent) {
        return intent == Intent.NEW_SESSION || quickEdit(intent);
    }

    private static boolean quickEdit(Intent intent) {
        return intent == Intent.AGAIN || intent == Intent.LONGER || intent == Intent.ADD_MUSIC;
    }

    public int activeTurns() {
        return lanes.running();
    }

    public int queuedMessages() {
        return lanes.waiting();
    }

    public void cancelAll() {
        lanes.cancelAll();
    }

    private void spawn(Runnable task) {
        work.begin();
        try {
            workers.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("task failed", e);
                } finally {
                    work.end();
                }
            });
        } catch (RuntimeException rejected) {
            work.end();
            log.warn("engine is closed; dropped a task");
        }
    }

    private void enqueue(String key, LaneJob job) {
        work.begin();
        Lanes.Admission a = lanes.offer(key, job);
        switch (a) {
            case Lanes.Admission.Started s -> {
                try {
                    workers.execute(() -> drain(key, job));
                } catch (RuntimeException rejected) {
                    work.end();
                    lanes.next(key);
                }
            }
            case Lanes.Admission.Queued q -> spawn(() -> job.to().say(job.to().messages().queued(q.position())));
            case Lanes.Admission.Rejected r -> {
                work.end();
                metrics.refused("queue_full");
                spawn(() -> job.to().say(job.to().messages().busy()));
            }
        }
    }

    private void drain(String key, LaneJob first) {
        LaneJob job = first;
        while (job != null) {
            try (LogContext c = LogContext.of(job.to())) {
                runLane(job);
            } catch (RuntimeException e) {
                log.error("lane job failed", e);
            } finally {
                work.end();
            }
            job = lanes.next(key);
        }
    }

    // ---------------------------------------------------------------- lane work

    private void runLane(LaneJob job) {
        if (!job.claim().getAsBoolean()) {
            return;
        }
        Replier to = job.to();
        UserSession s = session(to, job.cancellation());
        try (Keepalive k = Keepalive.start(scheduler, workers, timings.activityEvery(), to, Activity.TYPING)) {
            switch (job.route()) {
                case Route.Turn t -> {
                    if (withinBudget(to)) {
                        turn(s, to, t.text(), t.text(), k, new Ack(to));
                    }
                }
                case Route.Upload u -> {
                    Ack ack = new Ack(to);
                    Optional<String> uploaded = upload(s, to, u, ack);
                    if (uploaded.isPresent() && !u.caption().isBlank()) {
                        if (!job.cancellation().isCancelled() && withinBudget(to)) {
                            turn(s, to, u.caption(), u.caption(), k, ack.consumed() ? new Ack(to) : ack);
                        } else {
                            ack.close(to.messages().uploaded(uploaded.get())); // "Uploading…" does not stay
                        }
                    }
                }
                case Route.Do d when quickEdit(d.intent()) -> quickEdit(s, to, d.intent(), k);
                case Route.Do d when d.intent() == Intent.NEW_SESSION -> {
                    s.identity();
                    s.renewSession();
                    to.say(to.messages().newSession());
                }
                case Route.Do d when d.intent() == Intent.EXPORT -> exporter.request(s, to, false);
                case Route.Do d -> instant(d, to);
                case Route.Nothing n -> {
                }
            }
        } catch (RuntimeException e) {
            if (!job.cancellation().isCancelled()) {
                fail(s, to, e);
            }
        }
    }

    private void fail(UserSession s, Replier to, RuntimeException e) {
        if (e instanceof NemoException.SessionNotFound) {
            try {
                s.renewSession();
                to.say(to.messages().sessionLost());
                return;
            } catch (RuntimeException again) {
                failures.report(to, s, again);
                return;
            }
        }
        failures.report(to, s, e);
    }

    /**
     * Uploads every file that passes {@link AttachmentCheck}; what arrived ("photo.png", "2 files"), empty when
     * nothing did. {@code ack} says "Uploading…" at once and then what came of it.
     */
    private Optional<String> upload(UserSession s, Replier to, Route.Upload u, Ack ack) {
        Messages m = to.messages();
        List<String> uploaded = new ArrayList<>();
        for (Attachment a : u.files()) {
            String shown = FileNames.forDisplay(a.name());
            Optional<AttachmentCheck.Problem> early = AttachmentCheck.beforeDownload(a);
            if (early.isPresent()) {
                ack.say(early.get().text(m, shown));
                continue;
            }
            ack.show(m.uploading(u.files().size() == 1 ? shown
                    : m.uploadedFiles(u.files().size())));
            try {
                try {
                    uploaded.add(uploadOne(s, a));
                } catch (NemoException.SessionNotFound e) {
                    s.renewSession();
                    to.say(m.sessionReplaced());
                    uploaded.add(uploadOne(s, a));
                }
            } catch (AttachmentCheck.Refused e) {
                log.info("attachment refused: {}", e.getMessage());
                ack.say(e.problem().text(m, shown));
            } catch (NemoException.UnsupportedFile e) {
                ack.say(m.unsupportedFile(shown));
            } catch (NemoException.FileTooLarge e) {
                ack.say(m.fileTooLarge(shown));
            }
        }
        if (uploaded.isEmpty()) {
            return Optional.empty();
        }
        String what = uploaded.size() == 1 ? uploaded.getFirst()
                : m.uploadedFiles(uploaded.size());
        if (u.caption().isBlank()) {
            ack.say(m.uploaded(what));
        }
        return Optional.of(what);
    }

    /** Checks and uploads one file; the name it was uploaded under. */
    private String uploadOne(UserSession s, Attachment a) {
        // checked before any backend call: a refused file costs a new user no token and no session either
        AtomicReference<AttachmentCheck.Checked> first = new AtomicReference<>(AttachmentCheck.open(a));
        try {
            return s.call((token, sid) -> {
                // a retry (after 1001 or 429) opens and checks a fresh stream
                AttachmentCheck.Checked fresh = first.getAndSet(null);
                try (AttachmentCheck.Checked c = fresh != null ? fresh : AttachmentCheck.open(a)) {
                    try {
                        backend.upload(token, sid, c.name(), c.type().mimeType(), c.stream(), c.size());
                    } catch (RuntimeException e) {
                        // the client reports a failed read of the user's file as a failed call: the file comes first
                        if (c.problem().isPresent()) {
                            throw new AttachmentCheck.Refused(c.problem().get());
                        }
                        throw e;
                    }
                    return c.name();
                }
            });
        } finally {
            AttachmentCheck.Checked unused = first.getAndSet(null);
            if (unused != null) {
                unused.close();
            }
        }
    }

    /**
     * Runs a turn, recorded as running while it does: if the bot stops before it ends (a crash, or a shutdown that
     * had to cut it), the next start tells the user and shows the state instead of sending it again. The record is
     * also the user's claim across instances: while another instance runs one of their turns, this one waits.
     */
    private void turn(UserSession s, Replier to, String text, String request, Keepalive k, Ack ack) {
        TurnSlots.Entry entry = slots.enter(s.cancellation(), place -> to.say(to.messages().inLine(place)));
        switch (entry) {
            case TurnSlots.Full f -> {
                metrics.refused("turns_full");
                ack.say(to.messages().lineFull());
                return;
            }
            case TurnSlots.Cancelled c -> {
                ack.close(to.messages().stopped());
                return;
            }
            case TurnSlots.Slot slot -> {
                try (slot) {
                    claimedTurn(s, to, text, request, k, ack);
                }
            }
        }
    }

    private void claimedTurn(UserSession s, Replier to, String text, String request, Keepalive k, Ack ack) {
        String turnId = UUID.randomUUID().toString();
        if (!claimTurn(s, to, turnId)) {
            ack.close(to.messages().stopped());
            return;
        }
        boolean ended = false;
        try {
            // said at once; the answer streams into the same message
            ack.show(to.messages().working());
            runTurn(s, to, text, request, k, ack);
            ended = !s.cancellation().isCancelled();
        } finally {
            // a turn the user cancelled is over; one the shutdown cut off is told about at the next start
            if (ended || !closed) {
                turnClaims.end(to.user().key(), turnId);
            }
        }
    }

    /** Claims the user's turn; while another instance holds it, says so once and waits. False when cancelled. */
    private boolean claimTurn(UserSession s, Replier to, String turnId) {
        boolean told = false;
        while (!turnClaims.claim(to.user(), to.conversation(), clock.instant(), turnId)) {
            if (!told) {
                told = true;
                to.say(to.messages().queued(1));
            }
            if (!pause.sleep(TURN_CLAIM_RETRY, s.cancellation())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Tells each user whose turn a stop cut off what their project holds now; nothing is sent again.
     *
     * @param includeOwn true at start: this instance's own turns from before a restart are taken too
     */
    public void resumeInterrupted(ChatPlatform platform, boolean includeOwn) {
        for (InterruptedTurn t : turnClaims.claimInterrupted(platform.name(), includeOwn)) {
            Replier to = new Replier(platform, t.conversation(), t.user(), Lang.of(t.user().locale()), gate, pause);
            spawn(() -> {
                UserSession s = session(to, new Cancellation());
                try (LogContext c = LogContext.of(to)) {
                    SessionState state = s.call(backend::state);
                    String summary = TimelineSummary.summarize(state.draft().orElse(null), to.lang());
                    if (Drafts.exportable(state)) {
                        to.say(to.messages().interrupted(summary), Action.EXPORT, Action.STATUS);
                    } else {
                        to.say(to.messages().interrupted(summary));
                    }
                } catch (RuntimeException e) {
                    fail(s, to, e);
                }
            });
        }
    }

    /**
     * Runs one turn and what follows it. {@code request} is the user's own request behind {@code text} (they differ
     * for "Again" and "Longer"): a generation's is remembered for those buttons.
     */
    private void runTurn(UserSession s, Replier to, String text, String request, Keepalive k, Ack ack) {
        LocalDate day = budget.today();
        TurnOutcome o = turns.run(s, to, text, k, ack.live());
        if (!o.silent()) {
            ack.consume(); // the answer took the acknowledgement's place
        }
        try {
            afterTurn(s, to, o, day, ack);
        } finally {
            ack.close(to.messages().stopped());
        }
        if (o.generation()) {
            lastPrompts.put(s.identity().sessionId(), request);
        }
    }

    private void afterTurn(UserSession s, Replier to, TurnOutcome o, LocalDate day, Ack ack) {
        Messages m = to.messages();
        budget.spend(to.user().key(), day, o.generation(), !o.tools().isEmpty());
        if (s.cancellation().isCancelled() || o.end() == TurnEnd.CANCELLED) {
            return;
        }
        if (o.end() == TurnEnd.STOPPED || o.end() == TurnEnd.CALL_TIMEOUT) {
            ack.say(m.timedOut(), Action.STATUS);
            return;
        }
        if (o.errorCode().isPresent()) {
            ack.say("2001".equals(o.errorCode().get()) ? failures.noCredits(m, s, Optional.empty()) : m.turnFailed());
            return;
        }
        SessionState state = null;
        boolean generation = o.generation();
        if (o.end() == TurnEnd.STREAM_LOST) {
            Recovered r = recover(s, to, o.generation(), o.heard());
            if (r == null) {
                return;
            }
            state = r.state();
            if (!o.heard()) {
                if (!r.moved()) {
                    // nothing of the turn arrived and the project did not change while watched: no false "Done.",
                    // no resend; what the project holds, and the buttons to go on
                    String summary = TimelineSummary.summarize(state.draft().orElse(null), to.lang());
                    if (Drafts.exportable(state)) {
                        ack.say(m.answerLost(summary), Action.EXPORT, Action.STATUS);
                    } else {
                        ack.say(m.answerLost(summary), Action.STATUS);
                    }
                    return;
                }
                generation = r.generated();
            }
        }
        boolean wantExport = settings.autoExport() && (generation || o.followups().contains(Followup.EXPORT));
        if (state == null && (o.silent() || wantExport || !o.followups().isEmpty())) {
            state = generation ? settle(s) : s.call(backend::state);
            if (state == null) {
                return;
            }
        }
        String summary = state == null ? "" : TimelineSummary.summarize(state.draft().orElse(null), to.lang());
        if (o.silent()) {
            ack.say(summary.isBlank() && o.end() != TurnEnd.STREAM_LOST ? m.done("") : m.done(summary));
        }
        for (Followup f : o.followups()) {
            switch (f) {
                case TIMELINE -> {
                    if (!o.silent()) {
                        ack.say(summary.isBlank() ? m.emptyProject() : summary);
                    }
                }
                case CREDITS -> ack.say(credits(s, to));
                case UPLOAD -> ack.say(m.uploadHelp());
                case DESCRIBE_EDIT -> ack.say(m.describeEdit());
                case EXPORT -> {
                    if (!settings.autoExport() && state != null && Drafts.exportable(state)) {
                        ack.say(m.exportHint(), Action.EXPORT);
                    }
                }
            }
        }
        if (wantExport && state != null && Drafts.exportable(state) && !Drafts.processing(state)
                && !s.cancellation().isCancelled()) {
            exporter.request(s, to, true);
        }
    }

    /** After a generation: the state once no media is still processing (null if cancelled). */
    private SessionState settle(UserSession s) {
        Instant deadline = clock.instant().plus(timings.recoveryTimeout());
        SessionState state = readState(s, deadline);
        while (state != null && Drafts.processing(state) && clock.instant().isBefore(deadline)) {
            if (!pause.sleep(timings.statePoll(), s.cancellation())) {
                return null;
            }
            state = readState(s, deadline);
        }
        return state;
    }

    /**
     * The state, read again after a pause while the backend fails for a moment (a 5xx, no answer): after a
     * generation the user has paid, and a "try again" would make them pay twice. Null if cancelled; the failure is
     * thrown once {@code deadline} has passed.
     */
    private SessionState readState(UserSession s, Instant deadline) {
        while (true) {
            try {
                return s.call(backend::state);
            } catch (NemoException.ServerError | NemoException.Timeout | NemoException.Network e) {
                if (!clock.instant().isBefore(deadline)) {
                    throw e;
                }
                log.info("reading the state after a turn failed ({}); reading again", e.getClass().getSimpleName());
                if (!pause.sleep(timings.statePoll(), s.cancellation())) {
                    return null;
                }
            }
        }
    }

    /**
     * What a recovery found: the settled state; whether the project moved while it watched (always true when some
     * of the turn's events had arrived); and whether that was a generation.
     */
    private record Recovered(SessionState state, boolean moved, boolean generated) {
    }

    /**
     * A dropped stream the client could not resume: poll the state until it settles (nothing processing and the
     * draft unchanged between two reads; after a generation also something to export, since the draft does not
     * change while the raw video is made); tell the user only when that takes longer than the notice time. When
     * none of the turn's events had arrived ({@code heard} false) nothing is known of what the backend does: wait
     * until the project moves (a clip processing, a new draft or clip), and take a new finished clip for a
     * generation; a project that never moves ends the wait at the recovery time-out. Null when cancelled, or when
     * the state could not be read at all (the user is then told).
     */
    private Recovered recover(UserSession s, Replier to, boolean generation, boolean heard) {
        Instant start = clock.instant();
        Instant deadline = start.plus(timings.recoveryTimeout());
        boolean told = false;
        boolean moved = heard;
        boolean generated = generation;
        SessionState first = null;
        SessionState previous = null;
        while (true) {
            SessionState state;
            try {
                state = s.call(backend::state);
            } catch (NemoException.ServerError | NemoException.Timeout | NemoException.Network e) {
                state = null;
            }
            if (state != null && first == null) {
                first = state;
            } else if (state != null && !heard) {
                moved = moved || Drafts.processing(state) || !Objects.equals(state.draft(), first.draft())
                        || Drafts.completedMedia(state) != Drafts.completedMedia(first);
                generated = Drafts.completedMedia(state) > Drafts.completedMedia(first);
            }
            if (moved && state != null && previous != null && !Drafts.processing(state)
                    && Objects.equals(state.draft(), previous.draft()) && (!generated || Drafts.exportable(state))) {
                return new Recovered(state, true, generated);
            }
            if (state != null) {
                previous = state;
            }
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                if (previous == null) {
                    to.say(to.messages().backendUnavailable());
                    return null;
                }
                return new Recovered(previous, moved, generated);
            }
            if (!told && Duration.between(start, now).compareTo(timings.recoveryNotice()) > 0) {
                told = true;
                to.say(to.messages().recovering());
            }
            if (!pause.sleep(timings.statePoll(), s.cancellation())) {
                return null;
            }
        }
    }

    /**
     * The buttons under a delivered video: "Again" and "Longer" send the session's last generation request again as
     * a new take (longer), "Add music" asks for background music; each is a follow-up prompt in the same session.
     * A button from an earlier project (the request is not known for this session, or the project is empty) gets a
     * polite answer and costs nothing.
     */
    private void quickEdit(UserSession s, Replier to, Intent intent, Keepalive k) {
        Messages m = to.messages();
        String sid = s.identity().sessionId();
        String request = lastPrompts.getIfPresent(sid);
        if (intent != Intent.ADD_MUSIC && request == null) {
            to.say(m.staleButton());
            return;
        }
        if (intent == Intent.ADD_MUSIC && !Drafts.exportable(s.call(backend::state))) {
            to.say(m.nothingToEdit());
            return;
        }
        if (!withinBudget(to)) {
            return;
        }
        String prompt = switch (intent) {
            case AGAIN -> QuickEdits.again(request);
            case LONGER -> QuickEdits.longer(request);
            default -> QuickEdits.addMusic();
        };
        turn(s, to, prompt, request == null ? prompt : request, k, new Ack(to));
    }

    // ---------------------------------------------------------------- instant work

    private void instant(Route.Do d, Replier to) {
        Intent intent = d.intent();
        Messages m = to.messages();
        UserSession s = session(to, new Cancellation());
        if (intent == Intent.CREDITS || intent == Intent.STATUS || intent == Intent.START || intent == Intent.EXPORT) {
            to.activity(Activity.TYPING); // these wait on the backend: acknowledge at once
        }
        try {
            switch (intent) {
                case START -> {
                    to.say(m.welcome());
                    s.identity();
                    to.say(m.ready());
                }
                case HELP -> to.say(m.help());
                case UNKNOWN_COMMAND -> to.say(m.unknownCommand(d.command()));
                case UPLOAD_HELP -> to.say(m.uploadHelp());
                case CREDITS -> to.say(credits(s, to));
                case STATUS -> status(s, to);
                case CANCEL -> cancel(to);
                case EXPORT -> export(s, to);
                case NEW_SESSION, AGAIN, LONGER, ADD_MUSIC ->
                        enqueue(to.user().key(), new LaneJob(new Route.Do(intent), to, new Cancellation()));
            }
        } catch (RuntimeException e) {
            fail(s, to, e);
        }
    }

    /** The balance, and under a daily budget what is left of the user's. */
    private String credits(UserSession s, Replier to) {
        Credits c = s.call((token, sid) -> backend.credits(token));
        String text = to.messages().credits(c);
        return budget.describe(to.user().key(), to.messages()).map(b -> text + "\n" + b).orElse(text);
    }

    /** True when the user's daily budget allows a turn; else they are told when it renews. */
    private boolean withinBudget(Replier to) {
        Optional<String> refusal = budget.refusal(to.user().key(), to.messages());
        if (refusal.isPresent()) {
            metrics.refused("daily_budget");
            to.say(refusal.get(), Action.STATUS);
            return false;
        }
        return true;
    }

    private void status(UserSession s, Replier to) {
        Messages m = to.messages();
        SessionState state = s.call(backend::state);
        String summary = TimelineSummary.summarize(state.draft().orElse(null), to.lang());
        List<String> uploads = Drafts.uploadNames(state);
        String text = !summary.isBlank() ? summary
                : uploads.isEmpty() ? m.emptyProject()
                : m.uploadWaiting(String.join(", ", uploads.stream().map(FileNames::forDisplay).toList()));
        if (Drafts.processing(state)) {
            text += "\n" + m.generating();
        }
        if (Drafts.exportable(state)) {
            to.say(text, Action.EXPORT);
        } else {
            to.say(text);
        }
    }

    private void export(UserSession s, Replier to) {
        String key = to.user().key();
        if (exporter.running(s.identity().sessionId()) || !lanes.busy(key)) {
            exporter.request(s, to, false);
        } else {
            enqueue(key, new LaneJob(new Route.Do(Intent.EXPORT), to, new Cancellation()));
        }
    }

    private void cancel(Replier to) {
        String key = to.user().key();
        Lanes.Cancelled c = lanes.cancel(key);
        c.dropped().forEach(j -> work.end());
        boolean export = identities.currentSessionId(key).map(exporter::cancel).orElse(false);
        if (!c.wasRunning() && c.dropped().isEmpty() && !export) {
            to.say(to.messages().nothingToCancel());
        } else {
            to.say(to.messages().cancelled(c.dropped().size()), Action.STATUS);
        }
    }
}
