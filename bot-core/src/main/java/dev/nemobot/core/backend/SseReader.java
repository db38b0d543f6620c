package dev.nemobot.core.backend;

import java.io.IOException;
import java.net.ProtocolException;
import java.util.Objects;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;

/**
 * Reads a {@code text/event-stream} (the WHATWG "server-sent events" format) from a byte source and reports what it
 * finds to a {@link Callback}. It knows nothing of HTTP: the transport hands it a source, tests hand it a buffer.
 *
 * <p>Lines may end with LF, CRLF or a lone CR, also when a CRLF pair is split between two network reads. A
 * {@code data:} field may repeat (values joined with LF), {@code id:} sets the last event id (kept across events, as
 * the format says), {@code event:} the type, {@code retry:} the reconnection time; lines starting with {@code :} are
 * comments. Unlike a browser this reader also reports a block that had an {@code event:} field but no {@code data:}
 * (an {@code event: heartbeat} block), because the backend uses that form as a keep-alive. A block left unfinished at
 * the end of the source is dropped, as the format requires.
 *
 * <p>Not thread-safe: one reader per stream, driven by one thread.
 */
final class SseReader {

    /** Receives what the reader finds, on the reading thread. */
    interface Callback {
        /**
         * One event.
         *
         * @param lastEventId the last {@code id:} seen in the stream so far, or null
         * @param type        the {@code event:} field of this block, or null
         * @param data        the {@code data:} lines joined with LF; "" for an empty {@code data:} or no data at all
         */
        void onEvent(String lastEventId, String type, String data);

        /** A comment line, without its leading colon. */
        void onComment(String comment);

        /** A {@code retry:} field asked to wait this long before reconnecting. */
        default void onRetry(long millis) {
        }
    }

    /** The longest line accepted: an ADK event with a large tool response stays far below. */
    static final long MAX_LINE_BYTES = 8L * 1024 * 1024;

    private static final ByteString LINE_ENDS = ByteString.encodeUtf8("\r\n");
    private static final ByteString BOM = ByteString.decodeHex("efbbbf");

    private final BufferedSource source;
    private final Callback callback;

    private String lastEventId;
    private String type;
    private StringBuilder data;
    private boolean blockHasFields;
    private boolean skipLeadingLf;
    private boolean atStart = true;

    SseReader(BufferedSource source, Callback callback) {
        this.source = Objects.requireNonNull(source, "source");
        this.callback = Objects.requireNonNull(callback, "callback");
    }

    /** The last {@code id:} seen so far, or null. */
    String lastEventId() {
        return lastEventId;
    }

    /**
     * Reads lines until one event or comment has been reported, or the source ends.
     *
     * @return false when the source is exhausted (nothing more will be reported)
     * @throws IOException when the source fails, or a line is longer than {@link #MAX_LINE_BYTES}
     */
    boolean processNext() throws IOException {
        while (true) {
            String line = readLine();
            if (line == null) {
                return false;
            }
            if (processLine(line)) {
                return true;
            }
        }
    }

    /** Reads everything until the source ends. */
    void processAll() throws IOException {
        while (processNext()) {
            // each call reports one thing
        }
    }

    /** @return true if the line made the reader report something */
    private boolean processLine(String line) {
        if (line.isEmpty()) {
            return dispatch();
        }
        if (line.charAt(0) == ':') {
            callback.onComment(line.substring(1).stripLeading());
            return true;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
                blockHasFields = true;
            }
            case "event" -> {
                type = value.isEmpty() ? null : value;
                blockHasFields = true;
            }
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventId = value.isEmpty() ? null : value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9') && value.length() < 18) {
                    callback.onRetry(Long.parseLong(value));
                }
            }
            default -> {
                // unknown fields are ignored, as the format says
            }
        }
        return false;
    }

    private boolean dispatch() {
        if (!blockHasFields) {
            return false;
        }
        String d = data == null ? "" : data.toString();
        String t = type;
        data = null;
        type = null;
        blockHasFields = false;
        callback.onEvent(lastEventId, t, d);
        return true;
    }

    /** The next line without its end, or null at the end of the source (an unfinished last line is dropped). */
    private String readLine() throws IOException {
        Buffer buffer = source.getBuffer();
        if (skipLeadingLf) {
            // the previous line ended with CR: a LF right after it belongs to that end. Looked at only now, so a
            // CR at the end of one read never makes the reader wait for the next before reporting an event.
            if (!source.request(1)) {
                return null;
            }
            if (buffer.getByte(0) == '\n') {
                buffer.skip(1);
            }
            skipLeadingLf = false;
        }
        if (atStart) {
            atStart = false;
            // a byte-order mark may open the stream; only then is it worth waiting for three bytes
            if (source.request(1) && buffer.getByte(0) == (byte) 0xEF && source.rangeEquals(0, BOM)) {
                source.skip(BOM.size());
            }
        }
        long scanned = 0;
        while (true) {
            long end = buffer.indexOfElement(LINE_ENDS, scanned);
            if (end >= 0) {
                String line = buffer.readUtf8(end);
                byte terminator = buffer.readByte();
                skipLeadingLf = terminator == '\r';
                return line;
            }
            scanned = buffer.size();
            if (scanned > MAX_LINE_BYTES) {
                throw new ProtocolException("event-stream line longer than " + MAX_LINE_BYTES + " bytes");
            }
            if (!source.request(scanned + 1)) {
                return null;
            }
        }
    }
}
