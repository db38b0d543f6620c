package dev.nemobot.discord;

import dev.nemobot.core.chat.Attachment;
import dev.nemobot.core.chat.kit.CappedInputStream;
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
        return new CappedInputStream(response.body().byteStream(), maxBytes, response);
    }
}
