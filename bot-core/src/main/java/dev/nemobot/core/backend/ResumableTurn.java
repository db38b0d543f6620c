package dev.nemobot.core.backend;

import dev.nemobot.config.Secret;
import dev.nemobot.core.work.Cancellation;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code /run_sse} turn: the first connection and its reconnects with {@code Last-Event-ID} (at least the
 * reconnect delay apart, {@link #MAX_RECONNECTS} failures in a row at most, all within the turn's cap). A request that
 * may have reached the server is never sent twice. Used by one thread.
 *
 * <p>The turn's cap is measured on {@link Timing#ticker()}, a monotonic nanosecond count (by default
 * {@link System#nanoTime()}): the same cap is also given to OkHttp as each connection's call time-out, and OkHttp
 * measures that on the monotonic clock, so the two have to agree.
 */
final class ResumableTurn implements SseReader.Callback {
    private static final Logger log = LoggerFactory.getLogger(ResumableTurn.class);

    static final int MAX_RECONNECTS = 3;

    /**
     * @param reconnectDelay the least wait before a reconnect (the server's {@code retry:} may ask for more)
     * @param turnTimeout    cap on the turn, reconnects included
     * @param ticker         monotonic nanoseconds
     */
    record Timing(Duration reconnectDelay, Duration turnTimeout, LongSupplier ticker) {
    }

    /**
     * The message to send: with whose token, to which session, as the {@code /run_sse} body.
     */
    record Message(Secret token, String sessionId, byte[] body) {
    }

    private final NemoHttp http;
    private final NemoCodec codec;
    private final Timing timing;
    private final OkHttpClient client;
    private final Secret token;
    private final byte[] body;
    private final TurnListener listener;
    private final Cancellation cancellation;
    private final long deadline;
    private String lastEventId;
    private long retryMillis;
    private boolean stop;
    private boolean progressed;

    ResumableTurn(NemoHttp http, NemoCodec codec, Timing timing, Message message, TurnListener listener,
                  Cancellation cancellation) {
        this.http = http;
        this.codec = codec;
        this.timing = timing;
        this.client = http.stream(message.sessionId());
        this.token = message.token();
        this.body = message.body();
        this.listener = listener;
        this.cancellation = cancellation;
        this.deadline = now() + timing.turnTimeout().toNanos();
    }

    private long now() {
        return timing.ticker().getAsLong();
    }

    TurnEnd run() {
        int failed = 0;
        boolean resuming = false;
        while (true) {
            if (cancellation.isCancelled()) {
                return TurnEnd.CANCELLED;
            }
            TurnEnd end = connect(resuming);
            if (end != null) {
                return end;
            }
            // dropped before a clean end
            if (lastEventId == null) {
                // nothing to resume from: sending the message again would start (and charge) the turn twice
                log.info("run_sse dropped before any event id; not resending");
                return TurnEnd.STREAM_LOST;
            }
            failed = progressed ? 1 : failed + 1;
            if (failed > MAX_RECONNECTS) {
                return TurnEnd.STREAM_LOST;
            }
            listener.onReconnecting(failed);
            TurnEnd waited = pause(Duration.ofMillis(Math.max(timing.reconnectDelay().toMillis(), retryMillis)));
            if (waited != null) {
                return waited;
            }
            resuming = true;
        }
    }

    /** @return how the turn ended, or null if the stream dropped (or a reconnect failed) */
    private TurnEnd connect(boolean resuming) {
        long remaining = deadline - now();
        if (remaining <= 0) {
            return TurnEnd.CALL_TIMEOUT;
        }
        Request.Builder rb = http.request(http.url("run_sse"), NemoHttp.bearer(token))
                .header("Accept", "text/event-stream")
                .post(RequestBodies.json(body));
        if (resuming) {
            rb.header("Last-Event-ID", lastEventId);
        }
        Request r = rb.build();
        Call[] call = new Call[1];
        progressed = false;
        Response response;
        try {
            // a turn that never reached the server (a stale pooled connection) is sent once more; one that may
            // have reached it never is
            response = NemoHttp.send(client, r, c -> {
                c.timeout().timeout(Math.max(1, deadline - now()), TimeUnit.NANOSECONDS);
                cancellation.onCancel(c::cancel);
                call[0] = c;
            });
        } catch (IOException e) {
            TurnEnd end = endedBy();
            if (end != null) {
                return end;
            }
            if (!resuming) {
                if (StaleConnections.unprocessed(call[0].request(), e)) {
                    throw http.failures().io(NemoHttp.what(r), e); // it never reached the server: nothing runs, say so
                }
                // no answer, but the server may have the turn and be running it: a lost stream, not resent
                log.info("run_sse: no answer ({}) to a turn the server may have received",
                        e.getClass().getSimpleName());
                return null;
            }
            log.info("run_sse reconnect failed: {}", e.getClass().getSimpleName());
            return null;
        }
        try (response) {
            MediaType type = response.body().contentType();
            boolean eventStream = type != null && type.type().equals("text") && type.subtype().equals("event-stream");
            if (!response.isSuccessful() || !eventStream) {
                NemoException e = http.failure(NemoHttp.what(r), response,
                        "expected an event stream, got a JSON answer");
                if (!resuming) {
                    throw e;
                }
                log.info("run_sse reconnect refused: {}", e.getMessage());
                return null;
            }
            SseReader reader = new SseReader(response.body().source(), this);
            while (reader.processNext()) {
                if (stop) {
                    call[0].cancel();
                    return TurnEnd.STOPPED;
                }
            }
            return TurnEnd.COMPLETED;
        } catch (IOException e) {
            TurnEnd end = endedBy();
            if (end != null) {
                return end;
            }
            log.info("run_sse stream dropped: {}", e.getClass().getSimpleName());
            return null;
        }
    }

    /** After an I/O failure: was it us (cancel) or the turn's cap? */
    private TurnEnd endedBy() {
        if (cancellation.isCancelled()) {
            return TurnEnd.CANCELLED;
        }
        // OkHttp's call time-out fires at the deadline; the slack covers the watchdog's scheduling
        if (now() - deadline >= -TimeUnit.MILLISECONDS.toNanos(100)) {
            return TurnEnd.CALL_TIMEOUT;
        }
        return null;
    }

    /** Waits before a reconnect; returns early (with why) on cancel or at the deadline. */
    private TurnEnd pause(Duration wait) {
        long remaining = deadline - now();
        if (remaining <= wait.toNanos()) {
            return TurnEnd.CALL_TIMEOUT;
        }
        CountDownLatch cancelled = new CountDownLatch(1);
        cancellation.onCancel(cancelled::countDown);
        try {
            return cancelled.await(wait.toNanos(), TimeUnit.NANOSECONDS) ? TurnEnd.CANCELLED : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return TurnEnd.CANCELLED;
        }
    }

    @Override
    public void onEvent(String id, String type, String data) {
        if (id != null) {
            lastEventId = id;
        }
        if ("heartbeat".equals(type) || data.isBlank()) {
            heartbeat();
            return;
        }
        Optional<AdkEvent> event = codec.event(data, id);
        if (event.isEmpty()) {
            log.warn("run_sse: skipped an event that is not an ADK event ({} chars)", data.length());
            return;
        }
        progressed = true;
        listener.onEvent(event.get());
    }

    @Override
    public void onComment(String comment) {
        heartbeat();
    }

    @Override
    public void onRetry(long millis) {
        retryMillis = Math.min(millis, Duration.ofMinutes(1).toMillis());
    }

    private void heartbeat() {
        if (!listener.onHeartbeat()) {
            stop = true;
        }
    }
}
