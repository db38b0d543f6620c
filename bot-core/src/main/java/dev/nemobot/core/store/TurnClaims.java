package dev.nemobot.core.store;

import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import java.time.Instant;
import java.util.List;

/**
 * The turns running now, one per user across every instance sharing the store, held under this instance's lease so
 * that the users of an instance that stopped or died are told their turn was cut off. Thread-safe.
 *
 * @throws StoreException from every method when the storage fails
 */
public interface TurnClaims {

    /**
     * Records that {@code user}'s turn {@code turnId} runs here, unless another live instance runs one of theirs:
     * false then (wait and try again). Per-user serialisation across instances rests on this.
     */
    boolean claim(ChatUser user, Conversation conversation, Instant startedAt, String turnId);

    /** The turn is over. Written behind (returns at once); a later turn of the same user is not affected. */
    void end(String userKey, String turnId);

    /**
     * Takes (and forgets) the turns of {@code platform}'s users that were cut off: those whose instance stopped
     * or died (another instance's lease lapsed) and, with {@code includeOwn} (at start), this instance's from before
     * a restart. Without it, this instance's own turns are never taken: they are running here.
     */
    List<InterruptedTurn> claimInterrupted(String platform, boolean includeOwn);
}
