package dev.nemobot.core.identity;

import dev.nemobot.config.Secret;
import dev.nemobot.core.work.Cancellation;
import dev.nemobot.core.backend.Drafts;
import dev.nemobot.core.backend.NemoBackend;
import dev.nemobot.core.backend.NemoException;
import dev.nemobot.core.backend.SessionState;
import dev.nemobot.core.work.Pause;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * A user's backend calls for one piece of work, with the contract's invisible retries: on 1001 a new token for the
 * same client id and one retry; on 429 one retry after a pause (30 s by default). Everything else is thrown to the
 * caller. Used by one thread at a time.
 */
public final class UserSession {
    private final Identities identities;
    private final String userKey;
    private final String language;
    private final Pause pause;
    private final Duration rateLimitRetry;
    private final Cancellation cancellation;
    private Identity identity;

    public UserSession(Identities identities, String userKey, String language, Pause pause, Duration rateLimitRetry,
                       Cancellation cancellation) {
        this.identities = identities;
        this.userKey = userKey;
        this.language = language;
        this.pause = pause;
        this.rateLimitRetry = rateLimitRetry;
        this.cancellation = cancellation;
    }

    /** A backend call that needs the token and the session id. */
    @FunctionalInterface
    public interface Call<T> {
        T run(Secret token, String sessionId);
    }

    public Identity identity() {
        if (identity == null) {
            identity = identities.get(userKey, language);
        }
        return identity;
    }

    public String language() {
        return language;
    }

    public Cancellation cancellation() {
        return cancellation;
    }

    public boolean operatorMode() {
        return identities.operatorMode();
    }

    /** Replaces the session by a fresh one (after /new or 1002). */
    public Identity renewSession() {
        identity = identities.newSession(identity(), language);
        return identity;
    }

    /** The session's state; its count of finished clips noted ({@link #clipsSeen()}). */
    public SessionState state(NemoBackend backend) {
        return call((token, sid) -> {
            SessionState state = backend.state(token, sid);
            identities.sawClips(sid, Drafts.completedMedia(state));
            return state;
        });
    }

    /**
     * How many finished clips the session held when this instance last read its state (none when it created the
     * session); empty when unknown (after a restart, say).
     */
    public OptionalInt clipsSeen() {
        return identities.clipsSeen(identity().sessionId());
    }

    public <T> T call(Call<T> call) {
        Identity id = identity();
        try {
            return withRateLimitRetry(id, call);
        } catch (NemoException.TokenExpired e) {
            identity = identities.renewToken(id, e);
            return withRateLimitRetry(identity, call);
        }
    }

    private <T> T withRateLimitRetry(Identity id, Call<T> call) {
        try {
            return call.run(id.token(), id.sessionId());
        } catch (NemoException.RateLimited e) {
            Duration wait = e.retryAfter().filter(d -> d.compareTo(rateLimitRetry) < 0).orElse(rateLimitRetry);
            if (!pause.sleep(wait, cancellation)) {
                throw e;
            }
            return call.run(id.token(), id.sessionId());
        }
    }
}
