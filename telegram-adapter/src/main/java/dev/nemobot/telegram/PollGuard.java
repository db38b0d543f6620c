package dev.nemobot.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OkHttp interceptor on the long-polling client only (TelegramBots' extension point: the poller's
 * {@code OkHttpClient} supplier), which takes every failure of {@code getUpdates} out of TelegramBots' hands.
 * TelegramBots' poller logs each failed getUpdates as an ERROR with a stack trace (224 lines for a 20 s outage, and one
 * ERROR on every clean stop, when the held poll is cancelled); here a failed, refused or unreadable getUpdates is
 * answered to the poller as an empty list after the back-off pause, and logged by this class: one WARN when polling
 * starts failing (saying what was wrong: not reachable, a server error, a refusal, or an answer that is not a Bot API
 * answer), one INFO when it works again, no stack trace, and nothing at all for the cancelled poll of a clean stop.
 *
 * <p>It also paces empty answers that came back early (a server that ignores {@code timeout} answers at once, and the
 * poller would ask thousands of times a second): after {@link #EARLY_EMPTY_BEFORE_PACING} such answers in a row, polls
 * start at least {@link #PACE} apart, until an answer carries updates or takes its time.
 *
 * <p>And it notices update ids that started over. Telegram picks a random next update id after a week without updates,
 * and a self-hosted Bot API server whose data was wiped counts again from 1: the server then answers updates whose
 * ids are below the offset asked for (it answers from its oldest update when the offset lies beyond its newest).
 * TelegramBots' poller drops every update whose id is not above the last one it saw, and would poll on at once,
 * for ever, without a word. Here such an answer is taken: the poller's last id is moved back below the answer's
 * ids ({@link #rewindWith}), so it hands them on and asks from the newest of them on; one WARN says what happened.
 * A server that keeps answering updates below the offset (one that ignores it) is polled at most every
 * {@link #PACE}; the intake's de-duplication drops what comes again.
 *
 * <p>Runs on the single polling thread; {@link #receiving()}, {@link #stopping()} and {@link #rewindWith} may be
 * called from any thread.
 */
final class PollGuard implements Interceptor {
    static final Duration PACE = Duration.ofMillis(500);
    static final int EARLY_EMPTY_BEFORE_PACING = 2;
    private static final Logger log = LoggerFactory.getLogger(PollGuard.class);
    private static final MediaType JSON = MediaType.get("application/json");
    private static final String EMPTY = "{\"ok\":true,\"result\":[]}";

    private final OkHttpClient http;
    private final PollBackOff backOff;
    private final Duration pollTimeout;
    private final Tuning.Sleeper sleeper;
    private final LongSupplier nanoClock;
    private final ObjectMapper json = new ObjectMapper();

    private volatile boolean failing;
    private volatile boolean stopping;
    private volatile Call current;
    private volatile IntConsumer rewind;
    private int earlyEmpty;
    private int lastCount;
    private int lowestId;
    private int highestId;
    private int staleInARow;
    private long failures;
    private long failingSince;

    /** {@code http} makes the real getUpdates calls: a client without this interceptor. */
    PollGuard(OkHttpClient http, PollBackOff backOff, Duration pollTimeout, Tuning.Sleeper sleeper,
              LongSupplier nanoClock) {
        this.http = http;
        this.backOff = backOff;
        this.pollTimeout = pollTimeout;
        this.sleeper = sleeper;
        this.nanoClock = nanoClock;
    }

    /** False from a failed getUpdates until one is answered again. */
    boolean receiving() {
        return !failing;
    }

    /**
     * How to move the poller's last seen update id (TelegramBots' {@code BotSession#getLastReceivedUpdate}), so that
     * it takes updates whose ids started over.
     */
    void rewindWith(IntConsumer lastReceived) {
        this.rewind = lastReceived;
    }

    /** From now on a failing poll is the stop's doing: answered empty, logged not at all. */
    void stopping() {
        stopping = true;
        Call held = current;
        if (held != null) {
            held.cancel();
        }
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        if (!request.url().encodedPath().toLowerCase(java.util.Locale.ROOT).endsWith("/getupdates")) {
            return chain.proceed(request);
        }
        long started = nanoClock.getAsLong();
        String problem;
        // the real call is a call of its own: cancelling it at a stop fails it here, where it is answered empty (a
        // cancelled call of the poller's own would fail in TelegramBots, which logs that as an ERROR)
        Call call = http.newCall(request);
        current = call;
        if (stopping) {
            call.cancel();
        }
        try (Response response = call.execute()) {
            String body = response.body().string();
            problem = check(request, response.code(), body);
            if (problem == null) {
                recovered();
                pace(started, lastCount == 0);
                idsBelow(offset(request));
                return answer(request, body);
            }
        } catch (IOException e) {
            if (stopping || call.isCanceled() || e instanceof InterruptedIOException
                    || Thread.currentThread().isInterrupted()) {
                return answer(request, EMPTY);
            }
            problem = "is not reachable (" + describe(e) + ")";
        } finally {
            current = null;
        }
        if (stopping) {
            return answer(request, EMPTY);
        }
        failed(problem);
        return answer(request, EMPTY);
    }

    /** Null when {@code body} is a successful Bot API answer; else what was wrong with it. */
    private String check(Request request, int status, String body) {
        JsonNode node = BotApi.Answers.botApiAnswer(json, body);
        if (node == null) {
            return "answered HTTP " + status + " with a body that is not a Bot API answer ("
                    + BotApi.Answers.said(json, body, request) + ")";
        }
        if (!node.get("ok").asBoolean()) {
            // Telegram's description holds no secret: it is what the operator needs to read
            return (status >= 500 ? "failed with a server error: [" : "refused getUpdates: [")
                    + node.path("error_code").asInt(status) + "] "
                    + node.path("description").asText("no description");
        }
        if (status < 200 || status > 299 || !node.path("result").isArray()) {
            return "answered HTTP " + status + " with a Bot API answer without a list of updates";
        }
        JsonNode result = node.get("result");
        lastCount = result.size();
        lowestId = Integer.MAX_VALUE;
        highestId = Integer.MIN_VALUE;
        for (JsonNode update : result) {
            JsonNode id = update.path("update_id");
            if (id.isInt() && id.asInt() > 0) {
                lowestId = Math.min(lowestId, id.asInt());
                highestId = Math.max(highestId, id.asInt());
            }
        }
        return null;
    }

    /** The offset getUpdates asked for (TelegramBots sends it as JSON), or 0 when it cannot be read. */
    private int offset(Request request) {
        if (request.body() == null) {
            return 0;
        }
        try (Buffer buffer = new Buffer()) {
            request.body().writeTo(buffer);
            return json.readTree(buffer.readUtf8()).path("offset").asInt(0);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * After an answer was read: when it holds updates whose ids are below {@code offset}, the server's ids started
     * over; the poller is told to take them (and asks from the newest of them on).
     */
    private void idsBelow(int offset) {
        if (lastCount == 0 || offset <= 1 || lowestId >= offset) { // (no usable id: lowestId is MAX_VALUE)
            staleInARow = 0;
            return;
        }
        staleInARow++;
        IntConsumer target = rewind;
        if (staleInARow == 1) {
            log.warn("telegram: the Bot API's update ids started over (its data was reset, or Telegram chose new ids "
                    + "after a week without updates): asked for updates from id {} and got {} with ids {} to {}; "
                    + "taking them, and asking from id {} on", offset, lastCount, lowestId, highestId,
                    (long) highestId + 1);
        } else {
            // the server answers below the offset again and again (it ignores it): no faster than the pace; what
            // comes twice is dropped by the intake's de-duplication
            log.debug("telegram: getUpdates answered ids {} to {} below the offset {} again", lowestId, highestId,
                    offset);
            pause(PACE);
        }
        if (target != null) {
            target.accept(lowestId - 1);
        }
    }

    private void pace(long started, boolean empty) {
        long elapsed = nanoClock.getAsLong() - started;
        // early: well before the timeout asked for (or, with a timeout of 0, faster than the pace)
        boolean early = elapsed < Math.max(pollTimeout.toNanos() / 2, PACE.toNanos());
        if (!empty || !early) {
            earlyEmpty = 0;
            return;
        }
        earlyEmpty++;
        if (earlyEmpty < EARLY_EMPTY_BEFORE_PACING) {
            return;
        }
        long wait = PACE.toNanos() - elapsed;
        if (wait > 0) {
            if (earlyEmpty == EARLY_EMPTY_BEFORE_PACING) {
                log.debug("telegram: getUpdates answers empty at once (the server ignores its timeout): "
                        + "polling at most every {} ms", PACE.toMillis());
            }
            pause(Duration.ofNanos(wait));
        }
    }

    private void failed(String problem) {
        failures++;
        if (!failing) {
            failing = true;
            failingSince = nanoClock.getAsLong();
            log.warn("telegram: polling failed, Telegram's Bot API {}; retrying with back-off", problem);
        } else {
            log.debug("telegram: polling failed again: {}", problem);
        }
        earlyEmpty = 0;
        pause(Duration.ofMillis(backOff.nextBackOffMillis()));
    }

    private void recovered() {
        if (failing) {
            Duration down = Duration.ofNanos(nanoClock.getAsLong() - failingSince);
            log.info("telegram: polling works again after {} failed attempts in {} s", failures, down.toSeconds());
            failing = false;
            failures = 0;
        }
        backOff.reset();
    }

    private void pause(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            // the poller is being stopped: let it see the interrupt
            Thread.currentThread().interrupt();
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        // OkHttp's messages name host and port (never the path, which holds the token): keep them short anyway
        return e.getClass().getSimpleName() + (m == null || m.contains("/bot") ? "" : ": " + m);
    }

    private static Response answer(Request request, String body) {
        return new Response.Builder().request(request).protocol(Protocol.HTTP_1_1).code(200).message("OK")
                .body(ResponseBody.create(body, JSON)).build();
    }
}
