package dev.nemobot.core.store;

import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engine's durable memory: per-user identities and exports in flight. Implementations are thread-safe and
 * every call is short (meant to be called from virtual threads). The embedded implementation is SQLite; tokens are
 * kept sealed with AES-GCM ({@link TokenCipher}). Closed by whoever opened it.
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
        return SqliteIdentityStore.open(file, cipher);
    }

    /** The key file's name, beside the database, when no key is configured. */
    String KEY_FILE = "secret.key";

    Optional<StoredIdentity> find(String userKey);

    /** Inserts or replaces the row of {@code identity.userKey()}. */
    void save(StoredIdentity identity);

    void savePendingExport(PendingExport export);

    void removePendingExport(String renderId);

    List<PendingExport> pendingExports(String platform);

    /**
     * Records that {@code user}'s turn is running (one per user), until {@link #endTurn}. This, {@link #endTurn} and
     * {@link #recordHandled} are written behind, in order and in batches, and return at once unless the backlog is
     * full; {@link #close()} writes what is left.
     */
    void beginTurn(ChatUser user, Conversation conversation, Instant startedAt);

    void endTurn(String userKey);

    /** The turns of {@code platform}'s users that were still running when the bot stopped. */
    List<InterruptedTurn> runningTurns(String platform);

    /** Remembers that a platform's message (update) was handled, so a redelivery after a restart is ignored. */
    void recordHandled(String platform, String messageId, Instant at);

    /** The messages handled since {@code since}, as {@code (platform, messageId)}, newest first, at most {@code max}. */
    List<Map.Entry<String, String>> handledSince(Instant since, int max);

    /** Forgets the handled messages older than {@code before} (retention). */
    void forgetHandledBefore(Instant before);

    @Override
    void close();
}
