package dev.nemobot.core.conversation;

import dev.nemobot.core.work.Cancellation;
import dev.nemobot.core.backend.NemoException;
import dev.nemobot.core.work.Pause;
import dev.nemobot.core.chat.ChatPlatform;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.Lang;
import dev.nemobot.core.chat.ReplyTo;
import dev.nemobot.core.identity.Identities;
import dev.nemobot.core.identity.UserSession;
import java.time.Clock;
import java.time.Duration;

/**
 * The two handles every piece of work on a user's message holds: a {@link Replier} to answer them through (past the
 * edit pacing) and a {@link UserSession} for their backend calls; and what the user is told when the work fails.
 * Thread-safe.
 */
public final class Sessions {
    private final Identities identities;
    private final EditGate gate;
    private final Pause pause;
    private final Duration rateLimitRetry;
    private final FailureReplies failures;

    /**
     * @param editGap        the least time between two edits of one message ({@link EditGate})
     * @param rateLimitRetry wait this long before the one retry after a 429
     */
    public Sessions(Identities identities, Clock clock, Duration editGap, Pause pause, Duration rateLimitRetry,
                    FailureReplies failures) {
        this.identities = identities;
        this.gate = new EditGate(clock, editGap);
        this.pause = pause;
        this.rateLimitRetry = rateLimitRetry;
        this.failures = failures;
    }

    /** A replier for work that answers no message in particular (a turn interrupted by a restart). */
    Replier replier(ChatPlatform platform, Conversation conversation, ChatUser user, Lang lang) {
        return new Replier(platform, conversation, user, lang, gate, pause);
    }

    /** A replier whose every answer goes to {@code to}'s request; {@code prompt} is what the user asked for. */
    public Replier replier(ChatPlatform platform, ReplyTo to, ChatUser user, String prompt, Lang lang) {
        return new Replier(platform, to, user, prompt, lang, gate, pause);
    }

    public UserSession session(Replier to, Cancellation cancellation) {
        return new UserSession(identities, to.user().key(), to.lang().code(), pause, rateLimitRetry, cancellation);
    }

    /** Tells the user what went wrong; a lost session is replaced first (and the user told that instead). */
    void fail(UserSession s, Replier to, RuntimeException e) {
        if (e instanceof NemoException.SessionNotFound) {
            try {
                s.renewSession();
                to.say(to.messages().sessionLost());
                return;
            } catch (RuntimeException again) {
                failures.report(to, s, again);
                return;
            }
        }
        failures.report(to, s, e);
    }
}
