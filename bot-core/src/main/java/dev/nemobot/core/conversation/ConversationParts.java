package dev.nemobot.core.conversation;

import dev.nemobot.config.LimitSettings;
import dev.nemobot.core.backend.NemoBackend;
import dev.nemobot.core.identity.Identities;
import dev.nemobot.core.lane.LaneRunner;
import dev.nemobot.core.lane.WorkContext;
import dev.nemobot.core.metrics.EngineMetrics;
import dev.nemobot.core.store.CreditLedger;
import dev.nemobot.core.store.Forgetting;
import dev.nemobot.core.store.Results;
import dev.nemobot.core.store.TurnClaims;
import dev.nemobot.core.store.UserDefaults;
import dev.nemobot.core.work.Pause;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * What the conversation hands to intake, built together by {@link #wire}: the work in the user's lane (turns with
 * their admission, budget and recovery; uploads; exports), the instant commands, and /forget. The pieces inside
 * (TurnFlow, TurnRunner, TurnAdmission, TurnSlots, TurnBudget, DailyBudget, Recovery, AfterTurn, UploadFlow,
 * OptionDefaults, ActivityIndicator) are the package's own (issue 23.2).
 */
public record ConversationParts(LaneWork work, InstantCommands commands, Forget forget) {

    /**
     * How long the conversation waits, as the engine's timings give it.
     *
     * @param stillWorkingEvery    how often a long turn says it is still working
     * @param heartbeatOnlyTimeout how long a turn may send nothing but heartbeats
     * @param statePoll            how often recovery polls the project state
     * @param recoveryNotice       after how long recovery tells the user it is waiting
     * @param recoveryTimeout      when recovery gives up
     * @param activityEvery        how often "typing…" is repeated
     */
    public record Timings(Duration stillWorkingEvery, Duration heartbeatOnlyTimeout, Duration statePoll,
                          Duration recoveryNotice, Duration recoveryTimeout, Duration activityEvery) {
    }

    /**
     * The engine's parts the conversation calls.
     *
     * @param backend    the backend, metered
     * @param identities each user's backend identity
     * @param sessions  each user's session and the replies to them
     * @param lanes     the users' lanes (/cancel, /forget)
     * @param exports   the export's port
     * @param failures  what a failure tells the user
     */
    public record Peers(NemoBackend backend, Identities identities, Sessions sessions, LaneRunner lanes,
                        Exports exports, FailureReplies failures) {
    }

    /**
     * The store's ports the conversation keeps its records in.
     *
     * @param ledger     the daily-spend ledger
     * @param claims     the running turns, claimed per instance
     * @param results    the delivered videos (Again, Longer, /videos)
     * @param defaults   each user's default video options (/settings)
     * @param forgetting what /forget erases from the store
     */
    public record Stores(CreditLedger ledger, TurnClaims claims, Results results, UserDefaults defaults,
                         Forgetting forgetting) {
    }

    /**
     * Builds the conversation as the engine runs it, and registers the gauges of its turn slots
     * ({@code nemobot.turns.waiting}, {@code nemobot.turns.limit}).
     *
     * @param evict forgets a user's key at the gate
     */
    public static ConversationParts wire(LimitSettings limits, boolean autoExport, Timings timings, Peers peers,
                                         Stores stores, WorkContext context, Consumer<String> evict) {
        NemoBackend backend = peers.backend();
        Clock clock = context.clock();
        Pause pause = context.pause();
        EngineMetrics metrics = context.metrics();
        TurnBudget budget = new TurnBudget(
                new DailyBudget(limits, peers.identities().operatorMode(), stores.ledger(), clock), backend, metrics);
        Recovery recovery = new Recovery(backend, clock, pause, timings.statePoll(), timings.recoveryNotice(),
                timings.recoveryTimeout());
        TurnSlots slots = new TurnSlots(limits.maxTurns(), limits.waitingTurns());
        // BOT_MAX_TURNS as operators watch it: turns waiting for a slot, and the limit they wait on
        metrics.gauge("nemobot.turns.waiting", "turns waiting for a slot under BOT_MAX_TURNS", slots::waiting);
        metrics.gauge("nemobot.turns.limit", "turns that may run at once (BOT_MAX_TURNS)", limits::maxTurns);
        TurnAdmission admission = new TurnAdmission(slots, stores.claims(), clock, pause, metrics, context.closing());
        TurnFlow turns = new TurnFlow(
                new TurnRunner(backend, clock, timings.stillWorkingEvery(), timings.heartbeatOnlyTimeout()),
                admission, budget,
                new AfterTurn(backend, recovery, budget, peers.failures(), peers.exports(), autoExport),
                backend, stores.results(), clock);
        OptionDefaults defaults = new OptionDefaults(stores.defaults());
        ActivityIndicator activity = new ActivityIndicator(context.scheduler(), context.workers(),
                timings.activityEvery());
        LaneWork work = new LaneWork(peers.sessions(), activity, turns, new UploadFlow(backend), peers.exports(),
                defaults, clock);
        InstantCommands commands = new InstantCommands(peers.sessions(), backend, budget, peers.lanes(),
                peers.exports(), peers.identities(), defaults);
        Forget forget = new Forget(stores.forgetting(), peers.identities(), peers.lanes(), peers.exports(), work,
                evict);
        return new ConversationParts(work, commands, forget);
    }
}
