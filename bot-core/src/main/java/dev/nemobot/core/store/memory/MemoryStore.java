package dev.nemobot.core.store.memory;

import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.store.CreditLedger;
import dev.nemobot.core.store.Forgotten;
import dev.nemobot.core.store.ExportJobs;
import dev.nemobot.core.store.HandledMessages;
import dev.nemobot.core.store.IdentityRecords;
import dev.nemobot.core.store.Results;
import dev.nemobot.core.store.Store;
import dev.nemobot.core.store.TurnClaims;
import dev.nemobot.core.store.UserDefaults;
import java.time.Clock;
import java.util.UUID;

/**
 * A {@link Store} in memory for one instance (engine specs, tools): every port in memory, bounded, timed by the
 * given clock, lost when the process ends. Nothing to open or close. Thread-safe.
 */
public final class MemoryStore implements Store {
    /** The bounds of {@link #MemoryStore(Clock)}: far above what a test or a single bot process holds. */
    public static final int MAX_USERS = 1_000_000;
    public static final int MAX_JOBS = 100_000;
    public static final int MAX_HANDLED = 100_000;

    private final String instance;
    private final MemoryIdentities identities;
    private final MemoryExportJobs exports;
    private final MemoryTurnClaims turns;
    private final MemoryHandledMessages handled;
    private final MemoryLedger credits;
    private final MemoryResults results;
    private final MemoryUserDefaults defaults;

    /** A store under a random instance id, with the default bounds. */
    public MemoryStore(Clock clock) {
        this(UUID.randomUUID().toString(), clock, MAX_USERS, MAX_JOBS, MAX_HANDLED);
    }

    public MemoryStore(String instance, Clock clock, int maxUsers, int maxJobs, int maxHandled) {
        this.instance = instance;
        this.identities = new MemoryIdentities(maxUsers);
        this.exports = new MemoryExportJobs(instance, clock, maxJobs);
        this.turns = new MemoryTurnClaims(maxUsers);
        this.handled = new MemoryHandledMessages(maxHandled);
        this.credits = new MemoryLedger(clock);
        this.results = new MemoryResults(clock, maxJobs);
        this.defaults = new MemoryUserDefaults(maxUsers);
    }

    @Override
    public String instanceId() {
        return instance;
    }

    @Override
    public IdentityRecords identities() {
        return identities;
    }

    @Override
    public ExportJobs exports() {
        return exports;
    }

    @Override
    public TurnClaims turns() {
        return turns;
    }

    @Override
    public HandledMessages handled() {
        return handled;
    }

    @Override
    public CreditLedger credits() {
        return credits;
    }

    @Override
    public Results results() {
        return results;
    }

    @Override
    public UserDefaults defaults() {
        return defaults;
    }

    /** Forgets jobs finished over a week ago and results kept over {@link Results#KEEP} ago; the ledger forgets each day two days after it was last written. */
    @Override
    public void pruneExpired() {
        exports.pruneFinished();
        credits.cleanUp();
        results.pruneOld();
    }

    /** Erases the user's records from every port, under this store's lock (one user's erasure at a time). */
    @Override
    public synchronized Forgotten forget(ChatUser user) {
        String key = user.key();
        return new Forgotten(identities.remove(key), results.removeUser(key),
                exports.removeUser(user.platform(), user.id()), turns.removeUser(key), credits.forget(key),
                handled.removeUser(key), defaults.remove(key));
    }

    @Override
    public void renewLeases() {
        // one instance: nobody to hold its work against
    }

    @Override
    public void close() {
    }
}
