package dev.nemobot.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writing answers; every status line goes through here, so every request is logged once. */
final class Exchanges {
    private static final Logger LOG = LoggerFactory.getLogger("dev.nemobot.simulator");

    private Exchanges() {
    }

    static void json(HttpExchange ex, int status, JsonNode body) throws IOException {
        bytes(ex, status, "application/json; charset=utf-8", Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    static void bytes(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        log(ex, status);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Starts a chunked answer (SSE). */
    static OutputStream stream(HttpExchange ex, String contentType) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        log(ex, 200);
        ex.sendResponseHeaders(200, 0);
        return ex.getResponseBody();
    }

    static void log(HttpExchange ex, int status) {
        // path only: no query, no header (the Authorization token never reaches a log line)
        LOG.info("{} {} {}", ex.getRequestMethod(), ex.getRequestURI().getRawPath(), status);
    }

    static void logDrop(HttpExchange ex, String why) {
        LOG.info("{} {} dropped ({})", ex.getRequestMethod(), ex.getRequestURI().getRawPath(), why);
    }

    static boolean headersSent(HttpExchange ex) {
        return ex.getResponseCode() != -1;
    }

    /** Reads and forgets the rest of a request body, so the client can read our answer. */
    static void drain(InputStream in) {
        try {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the client went away; nothing to answer then
        }
    }
}
