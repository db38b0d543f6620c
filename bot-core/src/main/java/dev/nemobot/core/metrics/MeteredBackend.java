package dev.nemobot.core.metrics;

import dev.nemobot.config.Secret;
import dev.nemobot.core.work.Cancellation;
import dev.nemobot.core.backend.Credits;
import dev.nemobot.core.backend.Draft;
import dev.nemobot.core.backend.NemoBackend;
import dev.nemobot.core.backend.RenderJob;
import dev.nemobot.core.backend.SessionInfo;
import dev.nemobot.core.backend.SessionState;
import dev.nemobot.core.backend.TokenGrant;
import dev.nemobot.core.backend.TurnEnd;
import dev.nemobot.core.backend.TurnListener;
import dev.nemobot.core.backend.UploadResult;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Times each call and tells a {@link Listener} of it, failures included; otherwise passes everything through. The
 * one metering decorator of the backend: the engine's meters ({@link EngineMetrics#meter(NemoBackend)}) and the
 * benchmark's tallies are listeners of it. Thread-safe when the listener is.
 */
public final class MeteredBackend implements NemoBackend {
    /** Told of every call once it has returned or failed, on the caller's thread. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param call       the call: token, session, upload, credits, state, run_sse, render_submit, render_status
         *                   or download
         * @param startNanos {@link System#nanoTime()} when it began
         * @param nanos      how long it took
         * @param result     what it returned (null when it failed)
         * @param failure    what it threw, or null
         */
        void called(String call, long startNanos, long nanos, Object result, RuntimeException failure);
    }

    private final NemoBackend inner;
    private final Listener listener;

    public MeteredBackend(NemoBackend inner, Listener listener) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    private <T> T timed(String call, Supplier<T> body) {
        long start = System.nanoTime();
        try {
            T out = body.get();
            listener.called(call, start, System.nanoTime() - start, out, null);
            return out;
        } catch (RuntimeException e) {
            listener.called(call, start, System.nanoTime() - start, null, e);
            throw e;
        }
    }

    @Override
    public TokenGrant anonymousToken(String clientId) {
        return timed("token", () -> inner.anonymousToken(clientId));
    }

    @Override
    public SessionInfo createSession(Secret token, String language) {
        return timed("session", () -> inner.createSession(token, language));
    }

    @Override
    public UploadResult upload(Secret token, String sessionId, String fileName, String contentType, Path file) {
        return timed("upload", () -> inner.upload(token, sessionId, fileName, contentType, file));
    }

    @Override
    public UploadResult upload(Secret token, String sessionId, String fileName, String contentType, InputStream in,
                               long size) {
        return timed("upload", () -> inner.upload(token, sessionId, fileName, contentType, in, size));
    }

    @Override
    public UploadResult uploadUrl(Secret token, String sessionId, URI url) {
        return timed("upload", () -> inner.uploadUrl(token, sessionId, url));
    }

    @Override
    public Credits credits(Secret token) {
        return timed("credits", () -> inner.credits(token));
    }

    @Override
    public SessionState state(Secret token, String sessionId) {
        return timed("state", () -> inner.state(token, sessionId));
    }

    @Override
    public TurnEnd runTurn(Secret token, String sessionId, String text, TurnListener listener,
                           Cancellation cancellation) {
        return timed("run_sse", () -> inner.runTurn(token, sessionId, text, listener, cancellation));
    }

    @Override
    public RenderJob submitRender(Secret token, String sessionId, String id, Draft draft) {
        return timed("render_submit", () -> inner.submitRender(token, sessionId, id, draft));
    }

    @Override
    public RenderJob renderStatus(Secret token, String id) {
        return timed("render_status", () -> inner.renderStatus(token, id));
    }

    @Override
    public long download(Secret token, RenderJob job, Path target, long maxBytes) {
        return timed("download", () -> inner.download(token, job, target, maxBytes));
    }
}
