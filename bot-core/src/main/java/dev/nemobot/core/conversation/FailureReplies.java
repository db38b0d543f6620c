package dev.nemobot.core.conversation;

import dev.nemobot.config.NemoSettings;
import dev.nemobot.core.identity.SignupsExhaustedException;
import dev.nemobot.core.identity.UserSession;
import dev.nemobot.core.backend.NemoException;
import dev.nemobot.core.text.Messages;
import dev.nemobot.core.text.TaskLink;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The contract's error table in one place: what the user is told for each failure. Never shows a token, a URL of
 * ours or the backend's raw text. Thread-safe.
 */
public final class FailureReplies {
    private static final Logger log = LoggerFactory.getLogger(FailureReplies.class);
    private final NemoSettings nemo;

    public FailureReplies(NemoSettings nemo) {
        this.nemo = nemo;
    }

    /** Tells the user about {@code failure}; {@code session} gives the sign-up id and whether the token is shared. */
    void report(Replier to, UserSession session, Throwable failure) {
        to.say(message(to.messages(), session, failure));
    }

    public String message(Messages m, UserSession session, Throwable failure) {
        if (failure instanceof SignupsExhaustedException) {
            log.warn("the backend refused a new anonymous token: sign-ups are used up (set NEMO_TOKEN)");
            return m.signupsUsedUp();
        }
        if (!(failure instanceof NemoException e)) {
            log.error("unexpected failure", failure);
            return m.internalError();
        }
        log.info("backend call failed: {} (code {}, HTTP {})", e.getClass().getSimpleName(), e.code(), e.httpStatus());
        return switch (e) {
            case NemoException.TokenExpired x -> session.operatorMode() ? m.operatorTokenRejected() : m.backendUnavailable();
            case NemoException.SessionNotFound x -> m.sessionLost();
            case NemoException.NoCredits x -> noCredits(m, session, x.bindId());
            case NemoException.UnsupportedFile x -> m.unsupportedFile("that file");
            case NemoException.FileTooLarge x -> m.fileTooLarge("That file");
            case NemoException.MissingClientId x -> m.internalError();
            case NemoException.PlanRequired x -> m.planRequired();
            case NemoException.RateLimited x -> m.rateLimited();
            case NemoException.ServerError x -> m.backendUnavailable();
            case NemoException.Timeout x -> m.backendUnavailable();
            case NemoException.Network x -> m.backendUnavailable();
            case NemoException.BadResponse x -> m.backendUnavailable();
        };
    }

    /** 2001: a sign-up link for anonymous users, "top up" for the operator's account. */
    String noCredits(Messages m, UserSession session, Optional<String> bindId) {
        if (session.operatorMode()) {
            return m.noCreditsRegistered();
        }
        Optional<String> id = bindId.or(() -> {
            try {
                return session.identity().session().bindId();
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        });
        return m.noCreditsAnonymous(id.map(b -> TaskLink.signup(nemo, b)).orElse(nemo.webUrl().toString()));
    }
}
