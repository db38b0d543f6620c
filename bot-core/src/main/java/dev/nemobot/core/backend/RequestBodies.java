package dev.nemobot.core.backend;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.RequestBody;
import okio.BufferedSink;

/**
 * Request bodies. All are one-shot on purpose: OkHttp retries a request whose body it may send again after a
 * connection failure, and a second {@code /run_sse}, upload or token request is a second charge or a 429.
 */
final class RequestBodies {
    static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private RequestBodies() {
    }

    static RequestBody json(byte[] bytes) {
        return new OneShot(JSON, bytes);
    }

    static RequestBody empty() {
        return new OneShot(null, new byte[0]);
    }

    /** Streams a file from disk as it is sent; never holds it in memory. */
    static RequestBody file(Path path, MediaType type) throws IOException {
        return new StreamBody(() -> Files.newInputStream(path), true, type, Files.size(path));
    }

    /** Streams from {@code in} (left open: its owner closes it); {@code size} -1 sends it chunked. */
    static RequestBody stream(InputStream in, MediaType type, long size) {
        return new StreamBody(() -> in, false, type, size);
    }

    /**
     * Whether {@code body} may be sent again (no body may): bytes can be written again in full, a file is opened
     * again. A stream handed to us is not: the refused attempt may have read its first kilobytes, and what is left
     * would arrive cut short (or fail its length check). The failure says the request was refused unprocessed
     * ({@link NemoException.Network#unprocessed()}), so the stream's owner opens it again and sends it anew.
     */
    static boolean canResend(RequestBody body) {
        if (body == null || body instanceof OneShot) {
            return true;
        }
        if (body instanceof StreamBody s) {
            return s.closeAfter; // a file is opened again from its start
        }
        if (body instanceof MultipartBody m) {
            return m.parts().stream().allMatch(p -> canResend(p.body()));
        }
        return false;
    }

    private static final class OneShot extends RequestBody {
        private final MediaType type;
        private final byte[] bytes;

        OneShot(MediaType type, byte[] bytes) {
            this.type = type;
            this.bytes = bytes;
        }

        @Override
        public MediaType contentType() {
            return type;
        }

        @Override
        public long contentLength() {
            return bytes.length;
        }

        @Override
        public boolean isOneShot() {
            return true;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            sink.write(bytes);
        }
    }

    /** Opens the bytes to send, once per write. */
    @FunctionalInterface
    private interface Opener {
        InputStream open() throws IOException;
    }

    /** Copies a stream to the wire in 64 KB chunks, checking it gave the length it announced. */
    private static final class StreamBody extends RequestBody {
        private static final int CHUNK = 64 * 1024;
        private final Opener opener;
        private final boolean closeAfter;
        private final MediaType type;
        private final long size;

        private StreamBody(Opener opener, boolean closeAfter, MediaType type, long size) {
            this.opener = opener;
            this.closeAfter = closeAfter;
            this.type = type;
            this.size = size;
        }

        @Override
        public MediaType contentType() {
            return type;
        }

        @Override
        public long contentLength() {
            return size;
        }

        @Override
        public boolean isOneShot() {
            return true;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            InputStream in = opener.open();
            try {
                // a chat photo is often a few KB: no need to allocate (and zero) the whole 64 KB for it
                byte[] chunk = new byte[size > 0 && size < CHUNK ? (int) size : CHUNK];
                long written = 0;
                for (int n; (n = in.read(chunk)) != -1; ) {
                    sink.write(chunk, 0, n);
                    written += n;
                }
                if (size >= 0 && written != size) {
                    throw new IOException("stream gave " + written + " bytes, announced " + size);
                }
            } finally {
                if (closeAfter) {
                    in.close();
                }
            }
        }
    }
}
