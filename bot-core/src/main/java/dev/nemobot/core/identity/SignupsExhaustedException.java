package dev.nemobot.core.identity;

/**
 * The backend refused a new anonymous token (429: one per client id per 7 days, about 10 per IP). The user is told
 * the bot's free sign-ups are used up, and that the operator can set NEMO_TOKEN.
 */
public final class SignupsExhaustedException extends RuntimeException {
    SignupsExhaustedException(Throwable cause) {
        super("the backend refused a new anonymous token", cause);
    }
}
