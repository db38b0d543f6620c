package dev.nemobot.core.store;

import dev.nemobot.core.chat.ChatUser;

/**
 * Erases everything the store keeps for one chat user (their {@code /forget}): the identity (client id, sealed token,
 * session), the requests of their delivered results, their export jobs, their running-turn record, their daily
 * spend and the ids of their messages handled lately, in one transaction, for every instance sharing the store at
 * once. Thread-safe.
 *
 * @throws StoreException when the storage fails (then nothing was erased)
 */
public interface Forgetting {

    /** Erases what is kept for {@code user} and says what that was; other users' records are untouched. */
    Forgotten forget(ChatUser user);
}
