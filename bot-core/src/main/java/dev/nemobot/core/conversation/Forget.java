package dev.nemobot.core.conversation;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.identity.Identities;
import dev.nemobot.core.lane.LaneRunner;
import dev.nemobot.core.store.Forgetting;
import dev.nemobot.core.store.Forgotten;
import dev.nemobot.core.store.StoreException;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /forget}: a user erases everything the bot keeps about them. The question first, with [Erase everything]
 * and [Cancel] (the buttons carry their owner, so only the asker can press them); a typed {@code /erase} only asks
 * again. On [Erase everything] their work is stopped ({@link #stop}, like /cancel: the running request, what waits in
 * their lane, their export running here), and then, in their lane once that work has ended ({@link #erase}), the
 * store's records (the ids of their recent messages too) are erased in one transaction and this instance's memory of
 * them dropped (the cached identity and
 * token, the language note, the rate-limit count). Another instance sharing the store sees the identity gone at the
 * user's next message ({@link Identities#get} checks the store), so every instance starts afresh: a new client id,
 * token and project. Thread-safe.
 */
public final class Forget {
    private static final Logger log = LoggerFactory.getLogger(Forget.class);

    private final Forgetting store;
    private final Identities identities;
    private final LaneRunner lanes;
    private final Exports exports;
    private final LaneWork work;
    private final Consumer<String> evict;

    /**
     * @param store  erases the records (the store, and a daily-spend ledger kept elsewhere)
     * @param evict  drops what this instance's intake keeps per user key (the rate-limit count)
     */
    Forget(Forgetting store, Identities identities, LaneRunner lanes, Exports exports, LaneWork work,
           Consumer<String> evict) {
        this.store = store;
        this.identities = identities;
        this.lanes = lanes;
        this.exports = exports;
        this.work = work;
        this.evict = evict;
    }

    /** /forget: what would be erased, and the two buttons. */
    public void ask(Replier to) {
        to.say(to.messages().forgetAsk(), Action.ERASE, Action.KEEP);
    }

    /** [Cancel] under the question: nothing is erased. */
    public void keep(Replier to) {
        to.say(to.messages().forgetKept());
    }

    /**
     * [Erase everything]: stops the user's work (the running request, what waits, their export running here) and
     * returns true; the caller then queues {@link #erase} in their lane, behind the stopped work. A typed
     * {@code /erase} (not the button) is answered with the question and returns false.
     */
    public boolean stop(Replier to) {
        if (!to.answersPress()) {
            ask(to);
            return false;
        }
        String key = to.user().key();
        lanes.cancel(key);
        identities.currentSessionId(key).ifPresent(exports::cancel);
        return true;
    }

    /** Erases the user's records and this instance's memory of them, and tells them what was erased. */
    public void erase(Replier to) {
        String key = to.user().key();
        Optional<String> session;
        Forgotten erased;
        try {
            session = identities.currentSessionId(key);
            session.ifPresent(exports::cancel); // one started meanwhile
            erased = store.forget(to.user());
        } catch (StoreException e) {
            log.warn("erasing a user's records failed: {}", e.getMessage());
            to.say(to.messages().forgetFailed());
            return;
        }
        identities.invalidate(key);
        session.ifPresent(identities::forgetSession);
        session.ifPresent(work::forgetSession);
        evict.accept(key);
        log.info("erased a user's records at their request: identity {}, {} result(s), {} export(s), {} turn(s), "
                + "{} day(s) of spend, {} handled message id(s), defaults {}", erased.identity(), erased.results(),
                erased.exports(), erased.turns(), erased.spendDays(), erased.messages(), erased.defaults());
        to.say(to.messages().forgotten(erased.identity(), erased.results(), erased.exports(), erased.turns(),
                erased.spendDays(), erased.messages(), erased.defaults()));
    }
}
