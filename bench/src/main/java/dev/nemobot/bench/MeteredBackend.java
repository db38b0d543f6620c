package dev.nemobot.bench;

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
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Counts every backend call by endpoint and keeps, per thread, the time spent inside backend calls and the last
 * render submitted: the engine runs one user's job on one (virtual) thread, so a platform call on that thread can
 * tell how much of the time so far was the backend's. Thread-safe.
 */
final class MeteredBackend implements NemoBackend {
    enum Call { TOKEN, SESSION, UPLOAD, CREDITS, STATE, RUN_SSE, RENDER_SUBMIT, RENDER_STATUS, DOWNLOAD }

    /** What the current thread has done with the backend so far. */
    static final class ThreadTally {
        long backendNanos;
        String renderId;
        long submittedNanos;
    }

    private static final ThreadLocal<ThreadTally> TALLY = ThreadLocal.withInitial(ThreadTally::new);

    private final NemoBackend inner;
    private final Map<Call, LongAdder> counts = new EnumMap<>(Call.class);
    private final LongAdder errors = new LongAdder();
    private final java.util.concurrent.ConcurrentHashMap<String, LongAdder> causes =
            new java.util.concurrent.ConcurrentHashMap<>();

    MeteredBackend(NemoBackend inner) {
        this.inner = inner;
        for (Call c : Call.values()) {
            counts.put(c, new LongAdder());
        }
    }

    static ThreadTally tally() {
        return TALLY.get();
    }

    long count(Call c) {
        return counts.get(c).sum();
    }

    long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    long errors() {
        return errors.sum();
    }

    /** The backend's failures by call and cause, most frequent first. */
    String errorSummary() {
        return causes.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
                .limit(8).map(e -> e.getValue().sum() + " x " + e.getKey())
                .collect(java.util.stream.Collectors.joining("; "));
    }

    private <T> T timed(Call c, Supplier<T> call) {
        counts.get(c).increment();
        long start = System.nanoTime();
        try {
            return call.get();
        } catch (RuntimeException e) {
            errors.increment();
            String cause = c.name().toLowerCase(java.util.Locale.ROOT) + ": " + e.getClass().getSimpleName()
                    + (e.getCause() == null ? "" : " (" + e.getCause().getClass().getSimpleName() + ": "
                    + e.getCause().getMessage() + ")");
            if (causes.size() < 50 || causes.containsKey(cause)) {
                causes.computeIfAbsent(cause, k -> new LongAdder()).increment();
            }
            throw e;
        } finally {
            TALLY.get().backendNanos += System.nanoTime() - start;
        }
    }

    @Override
    public TokenGrant anonymousToken(String clientId) {
        return timed(Call.TOKEN, () -> inner.anonymousToken(clientId));
    }

    @Override
    public SessionInfo createSession(Secret token, String language) {
        return timed(Call.SESSION, () -> inner.createSession(token, language));
    }

    @Override
    public UploadResult upload(Secret token, String sessionId, String fileName, String contentType, Path file) {
        return timed(Call.UPLOAD, () -> inner.upload(token, sessionId, fileName, contentType, file));
    }

    @Override
    public UploadResult upload(Secret token, String sessionId, String fileName, String contentType, InputStream in,
                               long size) {
        return timed(Call.UPLOAD, () -> inner.upload(token, sessionId, fileName, contentType, in, size));
    }

    @Override
    public UploadResult uploadUrl(Secret token, String sessionId, URI url) {
        return timed(Call.UPLOAD, () -> inner.uploadUrl(token, sessionId, url));
    }

    @Override
    public Credits credits(Secret token) {
        return timed(Call.CREDITS, () -> inner.credits(token));
    }

    @Override
    public SessionState state(Secret token, String sessionId) {
        return timed(Call.STATE, () -> inner.state(token, sessionId));
    }

    @Override
    public TurnEnd runTurn(Secret token, String sessionId, String text, TurnListener listener,
                           Cancellation cancellation) {
        return timed(Call.RUN_SSE, () -> inner.runTurn(token, sessionId, text, listener, cancellation));
    }

    @Override
    public RenderJob submitRender(Secret token, String sessionId, String id, Draft draft) {
        // the job's clock starts somewhere inside this call: taking its start makes delays err on the long side
        long start = System.nanoTime();
        RenderJob job = timed(Call.RENDER_SUBMIT, () -> inner.submitRender(token, sessionId, id, draft));
        ThreadTally t = TALLY.get();
        t.renderId = job.id();
        t.submittedNanos = start;
        return job;
    }

    @Override
    public RenderJob renderStatus(Secret token, String id) {
        return timed(Call.RENDER_STATUS, () -> inner.renderStatus(token, id));
    }

    @Override
    public long download(Secret token, RenderJob job, Path target) {
        return timed(Call.DOWNLOAD, () -> inner.download(token, job, target));
    }
}
