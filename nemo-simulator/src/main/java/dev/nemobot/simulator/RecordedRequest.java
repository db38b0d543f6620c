package dev.nemobot.simulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One request the simulator received, for assertions in tests. Immutable.
 *
 * @param method  HTTP method
 * @param path    the path, without the query
 * @param query   the raw query, "" when none
 * @param headers the request headers; the map's keys are case-insensitive ({@code get("authorization")} and
 *                {@code get("Authorization")} both work)
 * @param body    the body as received, truncated to the first {@value #MAX_BODY} bytes (uploads can be 20 MB)
 * @param protocol the HTTP version it came in, e.g. {@code HTTP/1.1} or {@code HTTP/2.0}
 */
public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
                              byte[] body, String protocol) {
    /** Recorded bodies are cut after this many bytes. */
    public static final int MAX_BODY = 1024 * 1024;

    public RecordedRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = query == null ? "" : query;
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Objects.requireNonNull(headers, "headers").forEach((k, v) -> {
            if (k != null) {
                copy.merge(k, List.copyOf(v), (a, b) -> {
                    List<String> both = new ArrayList<>(a);
                    both.addAll(b);
                    return List.copyOf(both);
                });
            }
        });
        headers = Collections.unmodifiableMap(copy);
        body = Objects.requireNonNull(body, "body").clone();
        protocol = protocol == null ? "" : protocol;
    }

    /** Of unknown protocol. */
    public RecordedRequest(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        this(method, path, query, headers, body, "");
    }

    /** A copy of the (possibly truncated) body. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The first value of a header, any case. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    @Override
    public String toString() {
        // never print header values: Authorization carries a token
        return "RecordedRequest[" + method + " " + path + (query.isEmpty() ? "" : "?…") + ", " + body.length + " bytes]";
    }
}
