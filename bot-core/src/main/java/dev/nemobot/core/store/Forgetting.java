package dev.nemobot.core.store;

import dev.nemobot.core.chat.ChatUser;

/**
 * Erases everything the store keeps for one chat user (their {@code /forget}): the identity (client id, sealed token,
 * session), the requests of their delivered results, their export jobs, their running-turn record and their daily
 * spend, in one transaction, on every instance sharing the store at once. Handled message ids carry no user and are
 * not erased (they go after six hours). Thread-safe.
 *
 * @throws StoreException when the storage fails (then nothing was erased)
 */
public interface Forgetting {

    /** Erases what is kept for {@code user} and says what that was; other users' records are untouched. */
    Forgotten forget(ChatUser user);
}
