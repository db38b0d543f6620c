package dev.nemobot.discord;

import dev.nemobot.core.chat.Attachment;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Opens an attachment's bytes from Discord's CDN with JDA's HTTP client (which adds no credentials: CDN links
 * are signed and need no bot token). The URL never leaves this class: not in a log line, not in an exception.
 */
final class Downloads {
    private Downloads() {
    }

    /** A source that downloads {@code url} each time it is opened, failing once more than {@code maxBytes} arrive. */
    static Attachment.Source source(OkHttpClient http, String url, long maxBytes) {
        return () -> open(http, url, maxBytes);
    }

    static InputStream open(OkHttpClient http, String url, long maxBytes) throws IOException {
        Response response;
        try {
            response = http.newCall(new Request.Builder().url(url).get().build()).execute();
        } catch (IllegalArgumentException e) {
            throw new IOException("the attachment has no valid address");
        }
        if (!response.isSuccessful()) {
            int code = response.code();
            response.close();
            throw new IOException("the attachment download failed with HTTP " + code);
        }
        long declared = response.body().contentLength();
        if (declared > maxBytes) {
            response.close();
            throw new IOException("the attachment is larger than " + maxBytes + " bytes");
        }
        return new Capped(response, maxBytes);
    }

    /** Stops reading past the cap, whatever the server declared, and closes the response with the stream. */
    private static final class Capped extends FilterInputStream {
        private final Response response;
        private final long max;
        private long read;

        Capped(Response response, long max) {
            super(response.body().byteStream());
            this.response = response;
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > max) {
                throw new IOException("the attachment is larger than " + max + " bytes");
            }
        }

        @Override
        public void close() {
            response.close();
        }
    }
}
