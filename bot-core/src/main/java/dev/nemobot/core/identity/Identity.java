package dev.nemobot.core.identity;

import dev.nemobot.config.Secret;
import dev.nemobot.core.backend.SessionInfo;
import java.time.Instant;
import java.util.Objects;

/**
 * A chat user's backend identity: the token to use and their session. {@code toString} hides the token.
 *
 * @param userKey        {@code ChatUser.key()}
 * @param clientId       the durable {@code X-Client-Id}
 * @param token          the anonymous token, or the operator's NEMO_TOKEN
 * @param tokenExpiresAt when the token expires ({@link Instant#MAX} for the operator's)
 * @param operatorToken  true when {@code token} is the operator's shared NEMO_TOKEN
 * @param session        the user's own session
 * @param language       the language the session was created in
 */
public record Identity(String userKey, String clientId, Secret token, Instant tokenExpiresAt, boolean operatorToken,
                       SessionInfo session, String language) {
    public Identity {
        Objects.requireNonNull(userKey, "userKey");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(tokenExpiresAt, "tokenExpiresAt");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(language, "language");
    }

    public String sessionId() {
        return session.sessionId();
    }
}
