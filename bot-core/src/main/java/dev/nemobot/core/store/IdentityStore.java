package dev.nemobot.core.store;

import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engine's durable memory: per-user identities, export jobs until delivered, running turns, handled platform
 * messages. Two engines, one schema (Flyway migrations): an embedded SQLite file (the default) and PostgreSQL
 * ({@code DATABASE_URL}), which any number of instances may share. Work that must be done by one instance at a time
 * (an export job, a user's turn) is held under a lease in this instance's name ({@link #instanceId()}), renewed in the
 * background while the store is open; another instance takes it over once the lease has lapsed. Tokens are kept
 * sealed with AES-GCM ({@link TokenCipher}). Implementations are thread-safe and every call is short (meant to be
 * called from virtual threads). Closed by whoever opened it.
 *
 * @throws StoreException from every method when the storage fails
 */
public interface IdentityStore extends AutoCloseable {

    /**
     * Opens (creating or migrating) the SQLite database {@code file}, its tokens sealed with the key kept in
     * {@code secret.key} beside it (generated once, owner-only).
     */
    static IdentityStore sqlite(Path file) {
        return sqlite(file, TokenCipher.fromKeyFile(file.toAbsolutePath().resolveSibling(KEY_FILE)));
    }

    /** Opens (creating or migrating) the SQLite database {@code file}, its tokens sealed with {@code cipher}. */
    static IdentityStore sqlite(Path file, TokenCipher cipher) {
        return open(StoreOptions.sqlite(file, cipher));
    }

    /** Opens (creating or migrating) the store {@code options} describe. */
    static IdentityStore open(StoreOptions options) {
        return JdbcStore.open(options);
    }

    /** The key file's name, beside the database, when no key is configured. */
    String KEY_FILE = "secret.key";

    /** This process's name in the leases it holds. */
    String instanceId();

    Optional<StoredIdentity> find(String userKey);

    /** Inserts or replaces the row of {@code identity.userKey()}. */
    void save(StoredIdentity identity);

    /** Records an export job (before it is submitted), held by this instance. */
    void savePendingExport(PendingExport export);

    /** Forgets a job that was never submitted under this id. */
    void removePendingExport(String renderId);

    /**
     * Marks the job as being delivered by this instance: true when it still holds the job (no other instance took it
     * over) and nobody delivered it yet. Only then may the video be sent.
     */
    boolean startDelivery(String renderId);

    /** The job is over: delivered, or ended otherwise (failed, timed out, nothing to export). Kept a week. */
    void finishExport(String renderId, boolean delivered);

    /** {@code rendering}, {@code delivering}, {@code delivered} or {@code ended}; empty when unknown. */
    Optional<String> exportState(String renderId);

    /** True when another live instance is rendering or delivering an export of {@code sessionId}. */
    boolean exportRunningElsewhere(String sessionId);

    /**
     * Takes over at most {@code max} unfinished jobs of {@code platform}'s conversations whose instance stopped or
     * died (another instance's lease has lapsed), oldest first; with {@code includeOwn} (at start) also those held in
     * this instance's name before a restart. Without it, this instance's own jobs are never taken: they are running
     * here. The jobs taken are this instance's from now on.
     */
    List<PendingExport> claimExports(String platform, boolean includeOwn, int max);

    /** Gives a claimed job back (this instance cannot deliver it): the next instance to look takes it. */
    void releaseExport(String renderId);

    /** Every unfinished job of {@code platform}'s conversations, whoever holds it (a read, for tests and tools). */
    List<PendingExport> pendingExports(String platform);

    /**
     * Records that {@code user}'s turn {@code turnId} runs here, unless another live instance runs one of theirs:
     * false then (wait and try again). Per-user serialisation across instances rests on this.
     */
    boolean claimTurn(ChatUser user, Conversation conversation, Instant startedAt, String turnId);

    /** The turn is over. Written behind (returns at once); a later turn of the same user is not affected. */
    void endTurn(String userKey, String turnId);

    /**
     * Takes (and forgets) the turns of {@code platform}'s users that were cut off: those whose instance stopped
     * or died (another instance's lease lapsed) and, with {@code includeOwn} (at start), this instance's from before
     * a restart. Without it, this instance's own turns are never taken: they are running here.
     */
    List<InterruptedTurn> claimInterruptedTurns(String platform, boolean includeOwn);

    /** Extends this instance's lease, which holds all its work (also done in the background every third of it). */
    void renewLeases();

    /** Credits {@code userKey} spent on {@code day} (UTC) of the operator's token, 0 when none. */
    long creditsSpent(String userKey, LocalDate day);

    /** Adds {@code credits} to what {@code userKey} spent on {@code day}; concurrent adds all count. */
    void addCreditsSpent(String userKey, LocalDate day, long credits);

    /** Remembers that a platform's message (update) was handled, so a redelivery after a restart is ignored. */
    void recordHandled(String platform, String messageId, Instant at);

    /**
     * Claims a platform's message (update) for handling: true for the first caller across every instance sharing
     * the store, false when it was claimed (or recorded) before, so a re-delivered update is handled once. Waits
     * for the store (call it off the platform's thread).
     */
    boolean claimHandled(String platform, String messageId, Instant at);

    /** The messages handled since {@code since}, as {@code (platform, messageId)}, newest first, at most {@code max}. */
    List<Map.Entry<String, String>> handledSince(Instant since, int max);

    /** Forgets the handled messages older than {@code before} (retention). */
    void forgetHandledBefore(Instant before);

    /**
     * Forgets what is kept only for a while: export jobs finished over a week ago and daily spend rows of days
     * over three days ago (also done at every start).
     */
    void pruneExpired();

    @Override
    void close();
}
