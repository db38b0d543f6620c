package dev.nemobot.simulator;

import com.fasterxml.jackson.databind.JsonNode;

/** A contract error to answer as an envelope ({@code code != 0}); the style decides the HTTP status. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int code;
    final transient JsonNode data;
    /** An HTTP status that does not depend on the error style, or 0. */
    final int fixedHttpStatus;

    ApiException(int code, String message) {
        this(code, message, null, 0);
    }

    ApiException(int code, String message, JsonNode data, int fixedHttpStatus) {
        super(message, null, false, false);
        this.code = code;
        this.data = data;
        this.fixedHttpStatus = fixedHttpStatus;
    }

    int httpStatus(ErrorStyle style) {
        if (fixedHttpStatus != 0) {
            return fixedHttpStatus;
        }
        if (style == ErrorStyle.ENVELOPE_200) {
            return 200;
        }
        return switch (code) {
            case 1001 -> 401;
            case 1002, 404 -> 404;
            case 2001, 402 -> 402;
            case 4001 -> 415;
            case 4002 -> 413;
            case 429 -> 429;
            case 405 -> 405;
            case 500 -> 500;
            default -> 400;
        };
    }
}
