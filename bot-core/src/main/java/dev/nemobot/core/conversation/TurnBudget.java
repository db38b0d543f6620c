package dev.nemobot.core.conversation;

import dev.nemobot.core.backend.Credits;
import dev.nemobot.core.backend.NemoBackend;
import dev.nemobot.core.chat.Action;
import dev.nemobot.core.identity.UserSession;
import dev.nemobot.core.metrics.EngineMetrics;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The user's daily budget ({@link DailyBudget}) as the conversation meets it: a turn asks first, spends after, and
 * the balance shows what is left of it. Thread-safe.
 */
final class TurnBudget {
    private final DailyBudget budget;
    private final NemoBackend backend;
    private final EngineMetrics metrics;

    public TurnBudget(DailyBudget budget, NemoBackend backend, EngineMetrics metrics) {
        this.budget = budget;
        this.backend = backend;
        this.metrics = metrics;
    }

    /** True when the user's daily budget allows a turn; else they are told when it renews. */
    boolean allows(Replier to) {
        Optional<String> refusal = budget.refusal(to.user().key(), to.messages());
        if (refusal.isPresent()) {
            metrics.refused("daily_budget");
            to.say(refusal.get(), Action.STATUS);
            return false;
        }
        return true;
    }

    /**
     * True when the user's daily budget allows all {@code takes} turns of a batch; else, before anything is spent,
     * they are told how many would fit and when the budget renews.
     */
    boolean allows(Replier to, int takes) {
        int fit = budget.fits(to.user().key(), takes);
        if (fit < takes) {
            metrics.refused("daily_budget");
            to.say(budget.batchRefusal(takes, fit, to.messages()), Action.STATUS);
            return false;
        }
        return true;
    }

    /** The balance, and under a daily budget what is left of the user's. */
    String balance(UserSession s, Replier to) {
        Credits c = s.call((token, sid) -> backend.credits(token));
        String text = to.messages().credits(c);
        return budget.describe(to.user().key(), to.messages()).map(b -> text + "\n" + b).orElse(text);
    }

    /** The budget's day now: a turn is counted on the day it started. */
    LocalDate today() {
        return budget.today();
    }

    void spend(String userKey, LocalDate day, boolean generation, boolean anyTool) {
        metrics.budgetSpent(budget.spend(userKey, day, generation, anyTool));
    }
}
