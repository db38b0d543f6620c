package dev.nemobot.core.backend;

import dev.nemobot.config.Secret;
import java.time.Instant;
import java.util.Objects;

/** An anonymous token: valid until {@code expiresAt} (7 days from issue), with {@code credits} to start. */
public record TokenGrant(Secret token, int credits, Instant expiresAt) {
    public TokenGrant {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
