package dev.nemobot.bench;

import dev.nemobot.core.backend.RenderJob;
import dev.nemobot.core.metrics.MeteredBackend;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * What the benchmark reads off bot-core's {@link MeteredBackend}: every backend call counted by endpoint, the failures
 * by cause, and, per thread, the time spent inside backend calls and the last render submitted: the engine runs one
 * user's job on one (virtual) thread, so a platform call on that thread can tell how much of the time so far was the
 * backend's. Thread-safe.
 */
final class BackendTally implements MeteredBackend.Listener {
    /** The calls, named as {@link MeteredBackend} names them (in lower case). */
    enum Call { TOKEN, SESSION, UPLOAD, CREDITS, STATE, RUN_SSE, RENDER_SUBMIT, RENDER_STATUS, DOWNLOAD }

    /** What the current thread has done with the backend so far. */
    static final class ThreadTally {
        long backendNanos;
        String renderId;
        long submittedNanos;
    }

    private static final ThreadLocal<ThreadTally> TALLY = ThreadLocal.withInitial(ThreadTally::new);

    private final Map<Call, LongAdder> counts = new EnumMap<>(Call.class);
    private final LongAdder errors = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> causes = new ConcurrentHashMap<>();

    BackendTally() {
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
                .collect(Collectors.joining("; "));
    }

    @Override
    public void called(String call, long startNanos, long nanos, Object result, RuntimeException failure) {
        counts.get(Call.valueOf(call.toUpperCase(Locale.ROOT))).increment();
        ThreadTally t = TALLY.get();
        t.backendNanos += nanos;
        if (failure != null) {
            errors.increment();
            String cause = call + ": " + failure.getClass().getSimpleName()
                    + (failure.getCause() == null ? "" : " (" + failure.getCause().getClass().getSimpleName() + ": "
                    + failure.getCause().getMessage() + ")");
            if (causes.size() < 50 || causes.containsKey(cause)) {
                causes.computeIfAbsent(cause, k -> new LongAdder()).increment();
            }
        } else if (result instanceof RenderJob job && call.equals("render_submit")) {
            // the job's clock starts somewhere inside the call: taking its start makes delays err on the long side
            t.renderId = job.id();
            t.submittedNanos = startNanos;
        }
    }
}
