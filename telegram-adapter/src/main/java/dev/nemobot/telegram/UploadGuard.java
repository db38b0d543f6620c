package dev.nemobot.telegram;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

/**
 * An OkHttp interceptor on the upload client: a call that fails once its request body has begun to go out fails with
 * {@link AfterSending}, so that it is never sent again. A Bot API server answers {@code sendVideo} only after it has
 * passed the video on to Telegram (a self-hosted one re-uploads it whole), so a read time-out or a lost connection
 * then says nothing about whether the video was posted. A failure before (no connection, refused, DNS) stays as it
 * was, and may be retried. The client it sits on must not retry by itself ({@code retryOnConnectionFailure(false)}).
 * Thread-safe.
 */
final class UploadGuard implements Interceptor {

    /** The call failed after its body had begun to go out: the server may have acted on it. */
    static final class AfterSending extends IOException {
        AfterSending(IOException cause) {
            super(cause.getClass().getSimpleName() + " after the upload was sent, with no answer", cause);
        }
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        RequestBody body = request.body();
        if (body == null) {
            return chain.proceed(request);
        }
        AtomicBoolean started = new AtomicBoolean();
        RequestBody watched = new RequestBody() {
            @Override
            public MediaType contentType() {
                return body.contentType();
            }

            @Override
            public long contentLength() throws IOException {
                return body.contentLength();
            }

            @Override
            public boolean isOneShot() {
                return true; // never written twice, not even by OkHttp
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                started.set(true);
                body.writeTo(sink);
            }
        };
        try {
            return chain.proceed(request.newBuilder().method(request.method(), watched).build());
        } catch (AfterSending e) {
            throw e;
        } catch (IOException e) {
            if (started.get()) {
                throw new AfterSending(e);
            }
            throw e;
        }
    }
}
