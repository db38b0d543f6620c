package dev.nemobot.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * A streaming multipart/form-data reader: parts are handed over in chunks, never held whole here, so a 20 MB
 * upload costs a 64 KB buffer. Not thread-safe; one per request.
 */
final class Multipart {
    static final int MAX_HEADER_BLOCK = 16 * 1024;

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

        MalformedException(String m) {
            super(m);
        }
    }

    private static final Sink DISCARD = new Sink() {
        @Override
        public void write(byte[] b, int off, int len) {
        }

        @Override
        public void end() {
        }
    };

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buf;
    private int start;
    private int end;

    private Multipart(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buf = new byte[64 * 1024 + delimiter.length];
        // a virtual CRLF in front lets the first boundary match the same delimiter as all others
        buf[0] = '\r';
        buf[1] = '\n';
        end = 2;
    }

    /** The boundary of a {@code multipart/form-data} content type, if it is one. */
    static Optional<String> boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return Optional.empty();
        }
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
                String b = p.substring(9).trim();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                return b.isEmpty() || b.length() > 200 ? Optional.empty() : Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /** Reads all parts of {@code in}; the stream is read to its end on success. */
    static void parse(InputStream in, String boundary, Parts parts) throws IOException {
        new Multipart(in, boundary).run(parts);
    }

    private void run(Parts parts) throws IOException {
        if (!scanTo(DISCARD)) {
            throw new MalformedException("no opening boundary");
        }
        while (true) {
            if (!ensure(2)) {
                throw new MalformedException("truncated after a boundary");
            }
            if (buf[start] == '-' && buf[start + 1] == '-') {
                in.transferTo(OutputStreamDiscard.INSTANCE); // epilogue
                return;
            }
            if (buf[start] != '\r' || buf[start + 1] != '\n') {
                throw new MalformedException("bad boundary line");
            }
            String headers = readHeaderBlock();
            String disposition = null;
            String type = null;
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Disposition")) {
                    disposition = value;
                } else if (name.equalsIgnoreCase("Content-Type")) {
                    type = value;
                }
            }
            Sink sink = parts.open(param(disposition, "name"), param(disposition, "filename"), type);
            if (!scanTo(sink)) {
                throw new MalformedException("part not closed by a boundary");
            }
            sink.end();
        }
    }

    /** The header block starting at the CRLF that ends the boundary line, up to and including CRLFCRLF. */
    private String readHeaderBlock() throws IOException {
        int from = start;
        while (true) {
            int at = indexOf(new byte[] {'\r', '\n', '\r', '\n'}, from);
            if (at >= 0) {
                String block = at == start ? "" : new String(buf, start + 2, at - start - 2, StandardCharsets.UTF_8);
                start = at + 4;
                return block;
            }
            if (end - start > MAX_HEADER_BLOCK) {
                throw new MalformedException("part headers too long");
            }
            from = Math.max(start, end - 3);
            int fromOffset = from - start;
            if (!fill()) {
                throw new MalformedException("truncated part headers");
            }
            from = start + fromOffset;
        }
    }

    /** Hands bytes to {@code sink} up to the next delimiter, which is consumed; false at end of input. */
    private boolean scanTo(Sink sink) throws IOException {
        while (true) {
            int at = indexOf(delimiter, start);
            if (at >= 0) {
                if (at > start) {
                    sink.write(buf, start, at - start);
                }
                start = at + delimiter.length;
                return true;
            }
            int safe = end - (delimiter.length - 1);
            if (safe > start) {
                sink.write(buf, start, safe - start);
                start = safe;
            }
            if (!fill()) {
                return false;
            }
        }
    }

    private boolean ensure(int n) throws IOException {
        while (end - start < n) {
            if (!fill()) {
                return false;
            }
        }
        return true;
    }

    /** Compacts and reads more; false at end of input. */
    private boolean fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buf.length) {
            throw new MalformedException("buffer full");
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            return false;
        }
        end += n;
        return true;
    }

    private int indexOf(byte[] pattern, int from) {
        int last = end - pattern.length;
        byte first = pattern[0];
        outer:
        for (int i = from; i <= last; i++) {
            if (buf[i] != first) {
                continue;
            }
            for (int j = 1; j < pattern.length; j++) {
                if (buf[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
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

    /** An OutputStream that forgets. */
    static final class OutputStreamDiscard extends java.io.OutputStream {
        static final OutputStreamDiscard INSTANCE = new OutputStreamDiscard();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
