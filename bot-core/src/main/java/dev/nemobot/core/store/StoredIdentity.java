package dev.nemobot.core.store;

import dev.nemobot.config.Secret;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What is kept durably for one chat user. {@code toString} never shows the token ({@link Secret}).
 *
 * @param userKey   {@code ChatUser.key()}
 * @param clientId  the UUID sent as {@code X-Client-Id}; kept forever so a restart never asks for a second token
 * @param token     the anonymous token, when one was issued (empty when the operator's NEMO_TOKEN is used)
 * @param tokenExpiresAt when {@code token} expires
 * @param session   the user's current backend session, when one was created
 */
public record StoredIdentity(String userKey, String clientId, Optional<Secret> token, Optional<Instant> tokenExpiresAt,
                             Optional<StoredSession> session) {
    public StoredIdentity {
        Objects.requireNonNull(userKey, "userKey");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(tokenExpiresAt, "tokenExpiresAt");
        Objects.requireNonNull(session, "session");
        if (token.isPresent() != tokenExpiresAt.isPresent()) {
            throw new IllegalArgumentException("token and tokenExpiresAt go together");
        }
    }

    public StoredIdentity withToken(Secret newToken, Instant expiresAt) {
        return new StoredIdentity(userKey, clientId, Optional.of(newToken), Optional.of(expiresAt), session);
    }

    public StoredIdentity withSession(StoredSession newSession) {
        return new StoredIdentity(userKey, clientId, token, tokenExpiresAt, Optional.of(newSession));
    }

    /** A backend session: {@code bindId} for the sign-up link, {@code language} it was created in. */
    public record StoredSession(String taskId, String sessionId, Optional<String> bindId, String language) {
        public StoredSession {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(sessionId, "sessionId");
            Objects.requireNonNull(bindId, "bindId");
            Objects.requireNonNull(language, "language");
        }
    }
}
