package dev.nemobot.telegram;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.function.LongSupplier;
import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
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
 * <p>Runs on the single polling thread; {@link #receiving()} and {@link #stopping()} may be called from any thread.
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
    private int earlyEmpty;
    private int lastCount;
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
            problem = check(response.code(), body);
            if (problem == null) {
                recovered();
                pace(started, lastCount == 0);
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
    private String check(int status, String body) {
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JacksonException e) {
            node = null;
        }
        if (node == null || !node.isObject() || !node.path("ok").isBoolean()) {
            return "answered HTTP " + status + " with a body that is not a Bot API answer"
                    + (body.isBlank() ? " (empty)" : " (" + body.length() + " characters, not JSON of the Bot API)");
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
        lastCount = node.get("result").size();
        return null;
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
