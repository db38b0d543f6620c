package dev.nemobot.core.store;

import java.time.LocalDate;

/**
 * Credits each user spent per day (UTC) of the operator's shared token, for the daily budget. Implementations are
 * thread-safe; {@link #add} for one user and day never loses an update to a concurrent one.
 */
public interface CreditLedger {

    /** Credits {@code userKey} spent on {@code day} (0 when nothing is known). */
    long spent(String userKey, LocalDate day);

    /** Counts {@code credits} (≥ 0) more for {@code userKey} on {@code day}. */
    void add(String userKey, LocalDate day, long credits);

    /** Forgets every day counted for {@code userKey} (their /forget); how many days there were. */
    int forget(String userKey);
}
