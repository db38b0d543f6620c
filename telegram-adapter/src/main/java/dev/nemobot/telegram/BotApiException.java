package dev.nemobot.telegram;

/**
 * A Bot API call that failed, by cause. Messages carry Telegram's description and the method name, never a URL
 * (every Bot API URL holds the bot token).
 */
sealed abstract class BotApiException extends RuntimeException
        permits BotApiException.Refused, BotApiException.FloodWait, BotApiException.Unavailable,
        BotApiException.Unconfirmed {

    private BotApiException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Telegram answered with an error other than 429: retrying the same call will not help. */
    static final class Refused extends BotApiException {
        private final int code;
        private final String description;

        Refused(String method, int code, String description) {
            super(method + " refused: [" + code + "] " + description, null);
            this.code = code;
            this.description = description == null ? "" : description;
        }

        int code() {
            return code;
        }

        boolean notModified() {
            return code == 400 && description.contains("message is not modified");
        }

        boolean tooLarge() {
            return code == 413 || description.toLowerCase(java.util.Locale.ROOT).contains("too big")
                    || description.toLowerCase(java.util.Locale.ROOT).contains("too large");
        }
    }

    /** Telegram asked to wait longer than the adapter is allowed to block. */
    static final class FloodWait extends BotApiException {
        FloodWait(String method, int retryAfterSeconds) {
            super(method + ": flood limit, Telegram asked to wait " + retryAfterSeconds + " s, more than allowed", null);
        }
    }

    /** The server could not be reached, answered garbage or a server error; a later attempt may work. */
    static final class Unavailable extends BotApiException {
        private final boolean answered;
        private final boolean afterSending;

        Unavailable(String method, String why, Throwable cause) {
            this(method, why, cause, false, false);
        }

        /** {@code answered}: the server was reached and answered, but the answer could not be read. */
        Unavailable(String method, String why, Throwable cause, boolean answered) {
            this(method, why, cause, answered, answered);
        }

        /**
         * {@code afterSending}: the request (its body in part or whole) had gone out when the call failed, so the
         * server may have acted on it (a read time-out, a connection lost after the body was written, a server error
         * answered after it).
         */
        Unavailable(String method, String why, Throwable cause, boolean answered, boolean afterSending) {
            super(method + " failed: " + why, cause);
            this.answered = answered;
            this.afterSending = afterSending;
        }

        /** True when the server answered something that is not a Bot API answer (it was reachable). */
        boolean answered() {
            return answered;
        }

        /**
         * True when the call failed after its request had (perhaps) reached the server: it may have taken effect, and
         * sending it again may do it twice. False only when nothing was sent (no connection, a refused one, DNS).
         */
        boolean afterSending() {
            return afterSending;
        }
    }

    /**
     * Telegram answered that the call succeeded ({@code "ok": true}), but its result could not be read: a message was
     * sent (do not send it again), though its id is unknown.
     */
    static final class Unconfirmed extends BotApiException {
        Unconfirmed(String method, String why, Throwable cause) {
            super(method + " succeeded, but its answer could not be read (" + why + ")", cause);
        }
    }
}
