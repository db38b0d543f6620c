package dev.nemobot.core;

import dev.nemobot.config.Settings;
import dev.nemobot.core.chat.ChatEngine;
import dev.nemobot.core.chat.ChatPlatform;
import dev.nemobot.core.chat.ButtonPress;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.chat.Incoming;
import dev.nemobot.core.export.ExportResumption;
import dev.nemobot.core.export.Exporter;
import dev.nemobot.core.intake.Intake;
import dev.nemobot.core.store.CreditLedger;
import dev.nemobot.core.store.Forgetting;
import dev.nemobot.core.store.Forgotten;
import dev.nemobot.core.identity.Identities;
import dev.nemobot.core.metrics.EngineMetrics;
import dev.nemobot.core.metrics.MeteredBackend;
import dev.nemobot.core.metrics.MetricsServer;
import dev.nemobot.core.backend.NemoBackend;
import dev.nemobot.core.store.Store;
import dev.nemobot.core.store.StoreOptions;
import dev.nemobot.core.conversation.ConversationParts;
import dev.nemobot.core.conversation.FailureReplies;
import dev.nemobot.core.work.Pause;
import dev.nemobot.core.conversation.InterruptedTurns;
import dev.nemobot.core.conversation.Sessions;
import dev.nemobot.core.conversation.VideoHistory;
import dev.nemobot.core.lane.LaneRunner;
import dev.nemobot.core.lane.ShortTasks;
import dev.nemobot.core.lane.WorkContext;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conversation engine: connects chat platforms to NemoVideo's backend. Every turn and export runs on a virtual
 * thread; {@link Inbox#accept} returns at once. Thread-safe. The caller that built it closes it: {@link #close()}
 * stops intake, waits a bounded time ({@link EngineTimings#shutdownGrace()}) for work in flight, then cancels what
 * is left; exports still rendering stay recorded in the store and are resumed by the next engine when their
 * platform attaches. The backend and a scheduler given to the builder are not closed here.
 */
public final class Engine implements ChatEngine, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Engine.class);
    static final String STORE_FILE = StoreOptions.SQLITE_FILE;

    private final Store store;
    private final boolean ownStore;
    private final Identities identities;
    private final Exporter exporter;
    /** Where each message comes in, on the platform's thread. */
    private final Intake intake;
    /** The users' lanes: one message's work at a time per user. */
    private final LaneRunner lanes;
    private final Sessions sessions;
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;
    private final boolean ownScheduler;
    /** The short tasks and, through the lanes built on them, all work in flight: closing waits for it. */
    private final ShortTasks tasks;
    private final EngineTimings timings;
    private final Pause pause;
    private final EngineMetrics metrics;
    private final List<ChatPlatform> attached = new CopyOnWriteArrayList<>();
    /** Resumes this instance's work when a platform attaches, then takes over that of lapsed instances. */
    private final Takeover takeover;
    private final Housekeeping housekeeping;
    private volatile boolean closed;

    private Engine(Builder b) {
        Settings settings = Objects.requireNonNull(b.settings, "settings");
        this.metrics = b.metrics;
        NemoBackend backend = metrics.meter(Objects.requireNonNull(b.backend, "backend"), b.backendCalls);
        this.timings = b.timings;
        this.ownScheduler = b.scheduler == null;
        this.scheduler = ownScheduler ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nemobot-timers");
            t.setDaemon(true);
            return t;
        }) : b.scheduler;
        this.workers = Executors.newThreadPerTaskExecutor(b.threads != null ? b.threads
                : Thread.ofVirtual().name("nemobot-", 0).factory());
        this.pause = new Pause(scheduler);
        this.ownStore = b.store == null;
        this.store = ownStore ? Store.open(StoreOptions.from(settings, b.clock)) : b.store;
        // every user with a turn under way or waiting keeps theirs in memory (at N=50 000 a cache of 10 000 made
        // each of their messages read and unseal it again)
        this.identities = new Identities(backend, store.identities(), settings.nemo().token(), b.clock,
                (int) Math.min(Integer.MAX_VALUE, (long) settings.limits().maxTurns() + settings.limits().waitingTurns()));
        FailureReplies failures = new FailureReplies(settings.nemo());
        this.tasks = new ShortTasks(workers);
        WorkContext context = new WorkContext(b.clock, scheduler, workers, tasks, pause, metrics, () -> closed);
        this.exporter = Exporter.wire(backend, settings, timings.renderTimeout(), store.exports(), store.results(),
                failures, context);
        this.sessions = new Sessions(identities, b.clock, timings.editGap(), pause,
                timings.rateLimitRetry(), failures);
        // BOT_QUEUE_LIMIT, unless the timings (tests) ask for fewer
        this.lanes = new LaneRunner(Math.min(timings.queueCapacity(), settings.limits().queuedMessages()), tasks,
                metrics);
        this.intake = Intake.wire(settings, store.handled(), sessions, lanes,
                evict -> conversation(settings, backend, failures, evict, b.creditLedger, context),
                new VideoHistory(store.results()), context);
        this.takeover = new Takeover(new ExportResumption(store.exports(), exporter, sessions),
                new InterruptedTurns(store.turns(), sessions, backend, tasks), attached, scheduler, workers,
                settings.database().lease().dividedBy(2), () -> closed);
        metrics.gauge("nemobot.turns.active", "users whose message is being worked on", lanes::running);
        metrics.gauge("nemobot.messages.queued", "messages waiting behind a running one", lanes::waiting);
        metrics.gauge("nemobot.renders.inflight", "exports being rendered or delivered", exporter::inFlight);
        this.housekeeping = new Housekeeping(intake, store, scheduler, workers, () -> closed);
    }

    /**
     * What a routed message is handed to: the instant commands, and the work in the user's lane (turns with their
     * admission, budget and recovery; uploads; exports).
     *
     * @param evict forgets a user at the gate (/forget)
     * @param given a daily-spend ledger given apart from the store (tests), or null
     */
    private ConversationParts conversation(Settings settings, NemoBackend backend, FailureReplies failures,
                                           Consumer<String> evict, CreditLedger given, WorkContext context) {
        // a daily-spend ledger given apart from the store is erased with it
        CreditLedger ledger = given != null ? given : store.credits();
        Forgetting forgetting = given == null ? store
                : user -> store.forget(user).plus(new Forgotten(false, 0, 0, 0, given.forget(user.key()), 0, false));
        return ConversationParts.wire(settings.limits(), settings.autoExport(),
                new ConversationParts.Timings(timings.stillWorkingEvery(), timings.heartbeatOnlyTimeout(),
                        timings.statePoll(), timings.recoveryNotice(), timings.recoveryTimeout(),
                        timings.activityEvery()),
                new ConversationParts.Peers(backend, identities, sessions, lanes, exporter, failures),
                new ConversationParts.Stores(ledger, store.turns(), store.results(), store.defaults(), forgetting),
                context, evict);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configures an {@link Engine}; not thread-safe. */
    public static final class Builder {
        private Settings settings;
        private NemoBackend backend;
        private Clock clock = Clock.systemUTC();
        private ScheduledExecutorService scheduler;
        private EngineTimings timings = EngineTimings.defaults();
        private EngineMetrics metrics;
        private CreditLedger creditLedger;
        private Store store;
        private ThreadFactory threads;
        private MeteredBackend.Listener backendCalls;

        private Builder() {
        }

        /**
         * Where identities, export jobs, running turns, handled messages and the daily spend are kept (engine specs:
         * a {@link dev.nemobot.core.store.memory.MemoryStore}). The engine does not close a store it is given. By
         * default it opens the one the settings describe under {@code settings.dataDir()}, and closes it.
         */
        public Builder store(Store store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Where the daily budget ({@code BOT_DAILY_CREDITS}) counts what each user spent; by default the store
         * (kept across restarts, shared by the instances sharing the store).
         */
        public Builder creditLedger(CreditLedger ledger) {
            this.creditLedger = Objects.requireNonNull(ledger, "ledger");
            return this;
        }

        /** Where the engine's meters go (by default an in-memory registry nobody reads). */
        public Builder metrics(EngineMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * Told of every backend call besides the engine's own meters, on the caller's thread (the benchmark's tallies):
         * both listen to the engine's one metering decorator, so a call is timed once.
         */
        public Builder backendCalls(MeteredBackend.Listener listener) {
            this.backendCalls = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The backend settings, the data directory and auto export. */
        public Builder settings(Settings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** The backend: NemoClient in production, the same against the simulator in tests. */
        public Builder backend(NemoBackend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Timers (activity, pauses, polls); by default one daemon platform thread owned by the engine. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Makes the threads the engine's work runs on (one per task): by default virtual threads named
         * {@code nemobot-N}. Engine specs give one that keeps track of them, so a manual clock moves on only once every
         * one of them waits.
         */
        public Builder threads(ThreadFactory threads) {
            this.threads = Objects.requireNonNull(threads, "threads");
            return this;
        }

        public Builder timings(EngineTimings timings) {
            this.timings = Objects.requireNonNull(timings, "timings");
            return this;
        }

        /**
         * Opens the store under {@code settings.dataDir()} (unless one was given).
         *
         * @throws dev.nemobot.core.store.StoreException when the store cannot be opened
         */
        public Engine build() {
            if (metrics == null) {
                metrics = EngineMetrics.inMemory();
            }
            return new Engine(this);
        }
    }

    /** Connects {@code platform}, and resumes the exports its users were waiting for before a restart. */
    @Override
    public Inbox attach(ChatPlatform platform) {
        Objects.requireNonNull(platform, "platform");
        if (closed) {
            throw new IllegalStateException("engine is closed");
        }
        ChatPlatform metered = metrics.meter(platform);
        takeover.resumeOwn(metered);
        attached.add(metered);
        metrics.platformConnected(metered.name(), () -> connected(metered.name()));
        takeover.start();
        return new Inbox() {
            @Override
            public void accept(Incoming message) {
                intake.accept(metered, message);
            }

            @Override
            public void press(Incoming message, ButtonPress press) {
                intake.press(metered, message, press);
            }
        };
    }

    /**
     * What the health endpoint reports: up while the engine takes messages, whether each attached platform delivers
     * them, and how busy it is.
     */
    public MetricsServer.Health health() {
        Map<String, Boolean> platforms = new LinkedHashMap<>();
        for (ChatPlatform p : attached) {
            platforms.computeIfAbsent(p.name(), this::connected);
        }
        return new MetricsServer.Health(!closed, platforms, lanes.running(), lanes.waiting(),
                exporter.inFlight());
    }

    /** Whether every attached platform of that name delivers messages (the gauge and {@link #health} agree). */
    private boolean connected(String platform) {
        return attached.stream().filter(p -> p.name().equals(platform)).allMatch(ChatPlatform::connected);
    }

    /**
     * True when {@code message} asks to cancel the user's request (/cancel, however typed): the console lets it past
     * the lines waiting behind the running one, as a chat platform delivers it at once.
     */
    public static boolean asksToCancel(Incoming message) {
        return Intake.asksToCancel(message);
    }

    /** True once no message, queue or export is in flight; false if {@code timeout} passed first. */
    public boolean awaitIdle(Duration timeout) {
        return tasks.awaitIdle(timeout);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        takeover.stop();
        housekeeping.stop();
        if (!tasks.awaitIdle(timings.shutdownGrace())) {
            log.info("stopping {} task(s) still in flight; exports stay recorded and resume on the next start",
                    tasks.inFlight());
        }
        exporter.shutdown();
        lanes.cancelAll();
        tasks.awaitIdle(Duration.ofSeconds(5));
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownScheduler) {
            scheduler.shutdownNow();
        }
        if (ownStore) {
            store.close();
        }
    }
}
