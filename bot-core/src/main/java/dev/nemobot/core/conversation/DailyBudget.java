package dev.nemobot.core.conversation;

import dev.nemobot.config.LimitSettings;
import dev.nemobot.core.store.CreditLedger;
import dev.nemobot.core.text.Messages;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The per-user daily budget of the operator's credits ({@code BOT_DAILY_CREDITS}), in force only when every user
 * shares the operator's {@code NEMO_TOKEN} and the budget is above 0.
 *
 * <p>How a turn's cost is known: the contract publishes no price per operation and its stream reports no credits,
 * and a shared token's balance moves with every user's work (and every bot instance's), so a before/after reading
 * cannot be pinned on one user. The budget therefore counts an estimate from the tools the backend ran in the turn:
 * a generation tool counts {@link LimitSettings#generationCredits()}, any other tool (an edit)
 * {@link LimitSettings#editCredits()}, a turn without tools (a chat answer) nothing. Exports are free by the
 * contract and never counted or refused.
 *
 * <p>Since the backend, not the bot, decides whether a message generates, a turn starts only while the user has at
 * least the most a turn can cost left: the budget is a cap, never overshot by a turn it admitted (unless it is
 * smaller than one generation: then the first turn of the day may start). Days are UTC days; a turn counts on the
 * day it started. Thread-safe.
 */
final class DailyBudget {
    private final long budget;
    private final long generationCost;
    private final long editCost;
    private final CreditLedger ledger;
    private final Clock clock;

    /**
     * @param operatorMode true when every user shares the operator's token (else the budget is off)
     */
    public DailyBudget(LimitSettings limits, boolean operatorMode, CreditLedger ledger, Clock clock) {
        this.budget = operatorMode ? limits.dailyCredits() : 0;
        this.generationCost = limits.generationCredits();
        this.editCost = limits.editCredits();
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public boolean enabled() {
        return budget > 0;
    }

    /** Today, in UTC: the day a turn starting now counts on. */
    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** Time until the budget renews (the next 00:00 UTC). */
    public Duration untilRenewal() {
        return Duration.between(clock.instant(), today().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /** The user's credits left today; empty when no budget applies. */
    public OptionalLong remaining(String userKey) {
        if (!enabled()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(0, budget - ledger.spent(userKey, today())));
    }

    /** Empty when {@code userKey} may start a turn now, else the polite refusal saying when the budget renews. */
    public Optional<String> refusal(String userKey, Messages m) {
        if (!enabled() || remaining(userKey).orElseThrow() >= perTurn()) {
            return Optional.empty();
        }
        return Optional.of(m.dailyBudgetUsed(budget, untilRenewal()));
    }

    /** The most one turn can cost, but never more than the whole budget (else nothing could ever start). */
    private long perTurn() {
        return Math.max(1, Math.min(budget, Math.max(generationCost, editCost)));
    }

    /**
     * How many of {@code takes} turns the user's budget lets start now, each counted at the most a turn can cost (a
     * batch of images is refused before anything is spent when they do not all fit): {@code takes} when no budget
     * applies.
     */
    public int fits(String userKey, int takes) {
        if (!enabled()) {
            return takes;
        }
        return (int) Math.min(takes, remaining(userKey).orElseThrow() / perTurn());
    }

    /** The refusal of a batch of {@code takes} of which only {@code fit} (less than all) fit in the budget. */
    public String batchRefusal(int takes, int fit, Messages m) {
        return fit == 0 ? m.dailyBudgetUsed(budget, untilRenewal()) : m.batchBudget(takes, fit, budget, untilRenewal());
    }

    /** The line /credits adds for the user; empty when no budget applies. */
    public Optional<String> describe(String userKey, Messages m) {
        OptionalLong left = remaining(userKey);
        return left.isPresent() ? Optional.of(m.dailyBudget(left.getAsLong(), budget, untilRenewal()))
                : Optional.empty();
    }

    /**
     * Counts a finished turn that started on {@code day}.
     *
     * @param generation true when a generation tool ran
     * @param anyTool    true when any tool ran
     * @return the credits counted
     */
    public long spend(String userKey, LocalDate day, boolean generation, boolean anyTool) {
        if (!enabled()) {
            return 0;
        }
        long cost = generation ? generationCost : anyTool ? editCost : 0;
        if (cost > 0) {
            ledger.add(userKey, day, cost);
        }
        return cost;
    }
}
