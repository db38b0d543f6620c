package dev.nemobot.core.conversation;

import dev.nemobot.config.LimitSettings;
import dev.nemobot.core.backend.NemoBackend;
import dev.nemobot.core.identity.Identities;
import dev.nemobot.core.lane.LaneRunner;
import dev.nemobot.core.metrics.EngineMetrics;
import dev.nemobot.core.store.CreditLedger;
import dev.nemobot.core.store.Forgetting;
import dev.nemobot.core.store.Results;
import dev.nemobot.core.store.TurnClaims;
import dev.nemobot.core.store.UserDefaults;
import dev.nemobot.core.work.Pause;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
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
     * Builds the conversation as the engine runs it, and registers the gauges of its turn slots
     * ({@code nemobot.turns.waiting}, {@code nemobot.turns.limit}).
     *
     * @param ledger     the daily-spend ledger
     * @param forgetting what /forget erases from the store
     * @param evict      forgets a user's key at the gate
     * @param closing    true once the engine is closing
     */
    public static ConversationParts wire(LimitSettings limits, boolean autoExport, Timings timings,
                                         NemoBackend backend, Identities identities, Sessions sessions,
                                         LaneRunner lanes, Exports exports, FailureReplies failures,
                                         CreditLedger ledger, TurnClaims claims, Results results,
                                         UserDefaults userDefaults, Forgetting forgetting, Consumer<String> evict,
                                         ScheduledExecutorService scheduler, Executor workers, Clock clock,
                                         Pause pause, EngineMetrics metrics, BooleanSupplier closing) {
        TurnBudget budget = new TurnBudget(new DailyBudget(limits, identities.operatorMode(), ledger, clock),
                backend, metrics);
        Recovery recovery = new Recovery(backend, clock, pause, timings.statePoll(), timings.recoveryNotice(),
                timings.recoveryTimeout());
        TurnSlots slots = new TurnSlots(limits.maxTurns(), limits.waitingTurns());
        // BOT_MAX_TURNS as operators watch it: turns waiting for a slot, and the limit they wait on
        metrics.gauge("nemobot.turns.waiting", "turns waiting for a slot under BOT_MAX_TURNS", slots::waiting);
        metrics.gauge("nemobot.turns.limit", "turns that may run at once (BOT_MAX_TURNS)", limits::maxTurns);
        TurnAdmission admission = new TurnAdmission(slots, claims, clock, pause, metrics, closing);
        TurnFlow turns = new TurnFlow(
                new TurnRunner(backend, clock, timings.stillWorkingEvery(), timings.heartbeatOnlyTimeout()),
                admission, budget, new AfterTurn(backend, recovery, budget, failures, exports, autoExport),
                backend, results, clock);
        OptionDefaults defaults = new OptionDefaults(userDefaults);
        ActivityIndicator activity = new ActivityIndicator(scheduler, workers, timings.activityEvery());
        LaneWork work = new LaneWork(sessions, activity, turns, new UploadFlow(backend), exports, defaults, clock);
        InstantCommands commands = new InstantCommands(sessions, backend, budget, lanes, exports, identities,
                defaults);
        Forget forget = new Forget(forgetting, identities, lanes, exports, work, evict);
        return new ConversationParts(work, commands, forget);
    }
}
