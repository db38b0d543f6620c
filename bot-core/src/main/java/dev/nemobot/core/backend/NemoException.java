package dev.nemobot.core.backend;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Every way a backend call can fail, as one sealed hierarchy the engine switches on exhaustively. The backend may
 * signal an error with HTTP 200 and a non-zero {@code code}, or with an HTTP error status and the same body, or with
 * no JSON at all: the client maps all of them here. Messages never contain a token.
 */
public abstract sealed class NemoException extends RuntimeException {
    private final int code;
    private final int httpStatus;

    NemoException(int code, int httpStatus, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The envelope's {@code code}, or 0 when the failure had none. */
    public int code() {
        return code;
    }

    /** The HTTP status, or 0 when no answer came. */
    public int httpStatus() {
        return httpStatus;
    }

    /** 1001: the token is bad or expired; fetch a new one with the same client id and retry once. */
    public static final class TokenExpired extends NemoException {
        public TokenExpired(int httpStatus, String message) {
            super(1001, httpStatus, message, null);
        }
    }

    /** 1002: the session is gone. */
    public static final class SessionNotFound extends NemoException {
        public SessionNotFound(int httpStatus, String message) {
            super(1002, httpStatus, message, null);
        }
    }

    /** 2001: no credits left; {@code bindId} is the id for the sign-up link when the answer carried one. */
    public static final class NoCredits extends NemoException {
        private final Optional<String> bindId;

        public NoCredits(int httpStatus, String message, Optional<String> bindId) {
            super(2001, httpStatus, message, null);
            this.bindId = bindId;
        }

        public Optional<String> bindId() {
            return bindId;
        }
    }

    /** 4001: the file type is not accepted. */
    public static final class UnsupportedFile extends NemoException {
        public UnsupportedFile(int httpStatus, String message) {
            super(4001, httpStatus, message, null);
        }
    }

    /** 4002: the file is over the 20 MB limit. */
    public static final class FileTooLarge extends NemoException {
        public FileTooLarge(int httpStatus, String message) {
            super(4002, httpStatus, message, null);
        }
    }

    /** 400: the request lacked {@code X-Client-Id}: a bug on our side. */
    public static final class MissingClientId extends NemoException {
        public MissingClientId(int httpStatus, String message) {
            super(400, httpStatus, message, null);
        }
    }

    /** 402: the free plan does not allow export (a plan issue, not credits). */
    public static final class PlanRequired extends NemoException {
        public PlanRequired(int httpStatus, String message) {
            super(402, httpStatus, message, null);
        }
    }

    /** 429: rate limited (also: one anonymous token per client id per 7 days, about 10 per IP). */
    public static final class RateLimited extends NemoException {
        private final Optional<Duration> retryAfter;

        public RateLimited(int httpStatus, String message, Optional<Duration> retryAfter) {
            super(429, httpStatus, message, null);
            this.retryAfter = retryAfter;
        }

        public Optional<Duration> retryAfter() {
            return retryAfter;
        }
    }

    /** HTTP 5xx. */
    public static final class ServerError extends NemoException {
        public ServerError(int httpStatus, String message) {
            super(0, httpStatus, message, null);
        }
    }

    /** No answer in time (connect, read or the whole call). */
    public static final class Timeout extends NemoException {
        public Timeout(String message, Throwable cause) {
            super(0, 0, message, cause);
        }
    }

    /** The connection failed or broke (refused, reset, DNS). */
    public static final class Network extends NemoException {
        public Network(String message, Throwable cause) {
            super(0, 0, message, cause);
        }

        /**
         * Whether the server refused the request unprocessed (an HTTP/2 {@code REFUSED_STREAM}, past its limit of
         * streams a connection): sending it again is safe. The client sends such a request again itself unless its
         * body was a caller's stream, which only the caller can open again (an upload).
         */
        public boolean unprocessed() {
            return getCause() instanceof IOException e && StaleConnections.refusedUnprocessed(e);
        }
    }

    /** An answer that is not the JSON the contract describes, or a non-zero code the contract does not name. */
    public static final class BadResponse extends NemoException {
        public BadResponse(int code, int httpStatus, String message) {
            super(code, httpStatus, message, null);
        }
    }
}
