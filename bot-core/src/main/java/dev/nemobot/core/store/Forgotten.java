package dev.nemobot.core.store;

/**
 * What {@link Forgetting#forget} erased for one user, per kind of record, so the user can be told.
 *
 * @param identity   their identity row (client id, sealed token, current session) was there
 * @param results    delivered results whose requests were kept (prompt and image reference)
 * @param exports    export jobs (renders, running or finished within the last week)
 * @param turns      a running-turn record (0 or 1)
 * @param spendDays  days of daily-budget spend counted for them
 * @param messages   ids of their messages handled within the last hours (kept so a redelivered one is handled once)
 * @param defaults   their default video options ({@code /settings}) were there
 */
public record Forgotten(boolean identity, int results, int exports, int turns, int spendDays, int messages,
                        boolean defaults) {
    public Forgotten {
        if (results < 0 || exports < 0 || turns < 0 || spendDays < 0 || messages < 0) {
            throw new IllegalArgumentException("counts must be >= 0");
        }
    }

    /** Nothing was kept for the user. */
    public static final Forgotten NOTHING = new Forgotten(false, 0, 0, 0, 0, 0, false);

    /** True when nothing was erased. */
    public boolean nothing() {
        return equals(NOTHING);
    }

    /** Both erasures together (the store's, and a ledger kept elsewhere). */
    public Forgotten plus(Forgotten other) {
        return new Forgotten(identity || other.identity, results + other.results, exports + other.exports,
                turns + other.turns, spendDays + other.spendDays, messages + other.messages,
                defaults || other.defaults);
    }
}
