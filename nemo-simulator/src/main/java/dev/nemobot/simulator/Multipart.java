package dev.nemobot.simulator;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.util.Locale;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.MultipartReader;
import okio.BufferedSource;
import okio.Okio;

/**
 * Streams a multipart/form-data body part by part through OkHttp's {@link MultipartReader}: parts are handed over
 * in chunks, never held whole here, so a 20 MB upload costs a 64 KB buffer. Not thread-safe; one per request.
 */
final class Multipart {

    /** Receives one part's bytes. */
    interface Sink {
        void write(byte[] b, int off, int len);

        void end();
    }

    /** Opens a sink for a part; {@code fileName} null for a plain field. */
    interface Parts {
        Sink open(String fieldName, String fileName, String contentType);
    }

    static final class MalformedException extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedException(String m, Throwable cause) {
            super(m, cause);
        }
    }

    private Multipart() {
    }

    /** The boundary of a {@code multipart/form-data} content type, if it is one. */
    static Optional<String> boundary(String contentType) {
        MediaType type = contentType == null ? null : MediaType.parse(contentType);
        if (type == null || !type.type().equals("multipart") || !type.subtype().toLowerCase(Locale.ROOT).equals("form-data")) {
            return Optional.empty();
        }
        String b = type.parameter("boundary");
        return b == null || b.isEmpty() || b.length() > 200 ? Optional.empty() : Optional.of(b);
    }

    /** Reads all parts of {@code in}. */
    static void parse(InputStream in, String boundary, Parts parts) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (BufferedSource source = Okio.buffer(Okio.source(in));
             MultipartReader reader = new MultipartReader(source, boundary)) {
            for (MultipartReader.Part next = reader.nextPart(); next != null; next = reader.nextPart()) {
                try (MultipartReader.Part part = next) {
                    String disposition = part.headers().get("Content-Disposition");
                    Sink sink = parts.open(param(disposition, "name"), param(disposition, "filename"),
                            part.headers().get("Content-Type"));
                    for (int n = part.body().read(chunk); n != -1; n = part.body().read(chunk)) {
                        sink.write(chunk, 0, n);
                    }
                    sink.end();
                }
            }
        } catch (ProtocolException | EOFException e) {
            throw new MalformedException(e.getMessage() == null ? "truncated body" : e.getMessage(), e);
        }
    }

    /** A parameter of a Content-Disposition value, unquoted; null when absent. */
    static String param(String disposition, String name) {
        if (disposition == null) {
            return null;
        }
        int i = 0;
        int n = disposition.length();
        while (i < n) {
            int semi = disposition.indexOf(';', i);
            if (semi < 0) {
                return null;
            }
            i = semi + 1;
            while (i < n && disposition.charAt(i) == ' ') {
                i++;
            }
            int eq = disposition.indexOf('=', i);
            if (eq < 0) {
                return null;
            }
            String key = disposition.substring(i, eq).trim();
            i = eq + 1;
            String value;
            if (i < n && disposition.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (i < n && disposition.charAt(i) != '"') {
                    char c = disposition.charAt(i);
                    if (c == '\\' && i + 1 < n) {
                        c = disposition.charAt(++i);
                    }
                    sb.append(c);
                    i++;
                }
                i++;
                value = sb.toString();
            } else {
                int stop = disposition.indexOf(';', i);
                value = disposition.substring(i, stop < 0 ? n : stop).trim();
                i = stop < 0 ? n : stop;
            }
            if (key.equalsIgnoreCase(name)) {
                return value;
            }
        }
        return null;
    }

}
