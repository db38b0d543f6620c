package dev.nemobot.core.nemo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;
import okio.Okio;
import okio.Source;

/**
 * Request bodies. All are one-shot on purpose: OkHttp retries a request whose body it may send again after a
 * connection failure, and a second {@code /run_sse}, upload or token request is a second charge or a 429.
 */
final class Bodies {
    static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private Bodies() {
    }

    static RequestBody json(byte[] bytes) {
        return new OneShot(JSON, bytes);
    }

    static RequestBody empty() {
        return new OneShot(null, new byte[0]);
    }

    /** Streams a file from disk as it is sent; never holds it in memory. */
    static RequestBody file(Path path, MediaType type) throws IOException {
        return new PathBody(path, type, Files.size(path));
    }

    /** Streams from {@code in} (left open: its owner closes it); {@code size} -1 sends it chunked. */
    static RequestBody stream(InputStream in, MediaType type, long size) {
        return new StreamBody(in, type, size);
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

    private static final class PathBody extends RequestBody {
        private final Path path;
        private final MediaType type;
        private final long size;

        PathBody(Path path, MediaType type, long size) {
            this.path = path;
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
            try (Source source = Okio.source(Files.newInputStream(path))) {
                sink.writeAll(source);
            }
        }
    }

    private static final class StreamBody extends RequestBody {
        private final InputStream in;
        private final MediaType type;
        private final long size;

        StreamBody(InputStream in, MediaType type, long size) {
            this.in = in;
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
            byte[] chunk = new byte[64 * 1024];
            long written = 0;
            for (int n; (n = in.read(chunk)) != -1; ) {
                sink.write(chunk, 0, n);
                written += n;
            }
            if (size >= 0 && written != size) {
                throw new IOException("stream gave " + written + " bytes, announced " + size);
            }
        }
    }
}
