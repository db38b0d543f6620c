package dev.nemobot.core.backend;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one place where a failed call becomes a {@link NemoException}: an envelope with a non-zero {@code code} (under
 * HTTP 200 or an error status), an error status without JSON, an answer that is not JSON, or an I/O failure.
 * Every message it builds is redacted (no token) and short (the backend's text is clipped, a body never copied).
 * Stateless and thread-safe.
 */
final class NemoErrors {
    /** Longest piece of the backend's own message kept in an exception text. */
    static final int MAX_BACKEND_MESSAGE_CHARS = 200;

    // backend tokens look like nmv_usr_...; a "Bearer x" may be echoed by a proxy's error page
    private static final Pattern TOKEN_LIKE =
            Pattern.compile("(nmv_[A-Za-z0-9_\\-.]+)|((?i:bearer)\\s+[A-Za-z0-9_\\-.~+/=]+)");

    private final Clock clock;

    NemoErrors(Clock clock) {
        this.clock = clock;
    }

    /**
     * A JSON answer whose envelope {@code code} is not 0, or whose HTTP status is an error.
     *
     * @param what       "METHOD /path" of the call, for the message
     * @param code       the envelope's code, 0 when it had none
     * @param message    the envelope's message, may be null
     * @param bindId     the sign-up id the envelope's data carried
     * @param retryAfter the {@code Retry-After} header, may be null
     */
    NemoException envelope(String what, int httpStatus, int code, String message, Optional<String> bindId,
                           String retryAfter) {
        String text = describe(what, code, httpStatus, message);
        return switch (code) {
            case 1001 -> new NemoException.TokenExpired(httpStatus, text);
            case 1002 -> new NemoException.SessionNotFound(httpStatus, text);
            case 2001 -> new NemoException.NoCredits(httpStatus, text, bindId);
            case 4001 -> new NemoException.UnsupportedFile(httpStatus, text);
            case 4002 -> new NemoException.FileTooLarge(httpStatus, text);
            case 400 -> new NemoException.MissingClientId(httpStatus, text);
            case 402 -> new NemoException.PlanRequired(httpStatus, text);
            case 429 -> new NemoException.RateLimited(httpStatus, text, retryAfter(retryAfter));
            case 0 -> status(what, httpStatus, message, retryAfter);
            // a 5xx code in the envelope means the same as the status would
            default -> httpStatus >= 500 || (code >= 500 && code < 600)
                    ? new NemoException.ServerError(httpStatus, text)
                    : new NemoException.BadResponse(code, httpStatus, text);
        };
    }

    /** An HTTP error status with no usable envelope code; {@code message} may be null. */
    NemoException status(String what, int httpStatus, String message, String retryAfter) {
        String text = describe(what, 0, httpStatus, message);
        if (httpStatus >= 500) {
            return new NemoException.ServerError(httpStatus, text);
        }
        return switch (httpStatus) {
            case 401 -> new NemoException.TokenExpired(httpStatus, text);
            case 402 -> new NemoException.PlanRequired(httpStatus, text);
            case 413 -> new NemoException.FileTooLarge(httpStatus, text);
            case 415 -> new NemoException.UnsupportedFile(httpStatus, text);
            case 429 -> new NemoException.RateLimited(httpStatus, text, retryAfter(retryAfter));
            default -> new NemoException.BadResponse(0, httpStatus, text);
        };
    }

    /** An answer the contract does not describe (not JSON, wrong shape, wrong content type). */
    NemoException badResponse(String what, int httpStatus, String problem) {
        return new NemoException.BadResponse(0, httpStatus, what + ": " + problem + " (HTTP " + httpStatus + ")");
    }

    /** No answer: connect or read failure, or a time-out. */
    NemoException io(String what, IOException e) {
        // InterruptedIOException covers socket time-outs and OkHttp's whole-call time-out
        String kind = e.getClass().getSimpleName();
        String detail = e.getMessage() == null ? "" : ": " + clip(redact(e.getMessage()));
        if (e instanceof InterruptedIOException) {
            return new NemoException.Timeout(what + ": no answer in time (" + kind + detail + ")", e);
        }
        if (StaleConnections.refusedUnprocessed(e)) {
            // (the exception thrown may be the body write's bare "stream closed")
            return new NemoException.Network(what + ": the server refused the stream unprocessed (REFUSED_STREAM)", e);
        }
        return new NemoException.Network(what + ": connection failed (" + kind + detail + ")", e);
    }

    static String describe(String what, int code, int httpStatus, String backendMessage) {
        StringBuilder sb = new StringBuilder(what).append(':');
        if (code != 0) {
            sb.append(" code ").append(code);
        }
        sb.append(" (HTTP ").append(httpStatus).append(')');
        if (backendMessage != null && !backendMessage.isBlank()) {
            sb.append(": ").append(clip(redact(backendMessage.strip())));
        }
        return sb.toString();
    }

    /** Removes anything that looks like a token. */
    static String redact(String s) {
        return TOKEN_LIKE.matcher(s).replaceAll("***");
    }

    static String clip(String s) {
        String oneLine = s.replaceAll("[\\r\\n\\t]+", " ");
        return oneLine.length() <= MAX_BACKEND_MESSAGE_CHARS
                ? oneLine : oneLine.substring(0, MAX_BACKEND_MESSAGE_CHARS) + "…";
    }

    /** {@code Retry-After}: delta-seconds or an HTTP date. */
    Optional<Duration> retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String h = header.strip();
        if (h.chars().allMatch(Character::isDigit) && h.length() < 10) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(h)));
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration d = Duration.between(clock.instant(), at.toInstant());
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
