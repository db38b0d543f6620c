package dev.nemobot.core.metrics;

import dev.nemobot.config.Secret;
import dev.nemobot.core.backend.Cancellation;
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
import java.util.function.Supplier;

/** Times each call and counts each failure; otherwise passes everything through. Thread-safe. */
final class MeteredBackend implements NemoBackend {
    private final NemoBackend inner;
    private final EngineMetrics metrics;

    MeteredBackend(NemoBackend inner, EngineMetrics metrics) {
        this.inner = inner;
        this.metrics = metrics;
    }

    private <T> T timed(String call, Supplier<T> body) {
        long start = System.nanoTime();
        try {
            T out = body.get();
            metrics.backendCall(call, System.nanoTime() - start, null);
            return out;
        } catch (RuntimeException e) {
            metrics.backendCall(call, System.nanoTime() - start, e);
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
    public long download(Secret token, RenderJob job, Path target) {
        return timed("download", () -> inner.download(token, job, target));
    }
}
