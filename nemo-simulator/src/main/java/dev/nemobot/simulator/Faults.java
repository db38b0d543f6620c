package dev.nemobot.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Fault knobs of a running {@link NemoSimulator}. Thread-safe; each knob is one-shot unless it takes a count or a
 * value. Obtained from {@link NemoSimulator#faults()}.
 */
public final class Faults {
    private final Set<String> expiredTokens = ConcurrentHashMap.newKeySet();
    private final AtomicLong expiryEpoch = new AtomicLong();
    private final Set<String> lostSessions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger dropAfter = new AtomicInteger(-1);
    private final AtomicInteger dropReconnects = new AtomicInteger();
    private final List<PathFault> pathFaults = new ArrayList<>(); // guarded by itself
    private volatile Duration slow = Duration.ZERO;
    private volatile boolean stagesHeld;
    private final AtomicBoolean silentNext = new AtomicBoolean();
    private final AtomicBoolean heartbeatsOnlyNext = new AtomicBoolean();
    private final AtomicBoolean failRender = new AtomicBoolean();
    private volatile String completedRenderId;
    private volatile String completedOutputUrl;
    private final AtomicInteger streamError = new AtomicInteger(); // 0 none, 1 {"error"}, 2 errorCode event
    private volatile ErrorStyle errorStyle = ErrorStyle.ENVELOPE_200;
    private volatile String eol = "\n";
    private final AtomicBoolean malformedNext = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicReference<String> agentSays =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final Clock clock;
    private volatile OutageWindow outage;
    private volatile Consumer<Outage> outageStarted = how -> {
    };

    Faults(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private record OutageWindow(Instant until, Outage how) {
    }

    /** The next use of {@code token} (and every later one) answers 1001; a new token can then be fetched. */
    public void expireToken(String token) {
        expiredTokens.add(Objects.requireNonNull(token, "token"));
    }

    /** Every token issued so far answers 1001 from now on. */
    public void expireAllTokens() {
        expiryEpoch.incrementAndGet();
    }

    /** The next use of this session (and every later one) answers 1002. */
    public void loseSession(String sessionId) {
        lostSessions.add(Objects.requireNonNull(sessionId, "sessionId"));
    }

    /** The next {@code /run_sse} connection is cut (socket closed, no clean end) after {@code events} events. */
    public void dropNextStreamAfter(int events) {
        if (events < 0) {
            throw new IllegalArgumentException("events < 0");
        }
        dropAfter.set(events);
    }

    /** The next {@code times} reconnects (requests with {@code Last-Event-ID}) are cut at once, unanswered. */
    public void dropReconnectsToo(int times) {
        if (times < 0) {
            throw new IllegalArgumentException("times < 0");
        }
        dropReconnects.set(times);
    }

    /**
     * The next {@code times} requests whose path starts with {@code pathPrefix} get {@code httpStatus} with a
     * non-JSON (HTML) body, as a failing gateway would answer.
     */
    public void failNext(String pathPrefix, int httpStatus, int times) {
        if (httpStatus < 400 || httpStatus > 599 || times < 0) {
            throw new IllegalArgumentException("httpStatus must be 4xx/5xx and times >= 0");
        }
        synchronized (pathFaults) {
            pathFaults.add(new PathFault(Objects.requireNonNull(pathPrefix, "pathPrefix"), httpStatus, false, times));
        }
    }

    /** The next {@code times} requests whose path starts with {@code pathPrefix} get HTTP 429 with a code 429 envelope. */
    public void rateLimitNext(String pathPrefix, int times) {
        if (times < 0) {
            throw new IllegalArgumentException("times < 0");
        }
        synchronized (pathFaults) {
            pathFaults.add(new PathFault(Objects.requireNonNull(pathPrefix, "pathPrefix"), 429, true, times));
        }
    }

    /** Waits {@code extra} before every answer; {@link Duration#ZERO} undoes it. */
    public void slowAnswers(Duration extra) {
        if (Objects.requireNonNull(extra, "extra").isNegative()) {
            throw new IllegalArgumentException("extra is negative");
        }
        slow = extra;
    }

    /**
     * From now on, a generation or edit stage does not end (after its {@code stageDelay}) until
     * {@link #releaseStages()}: its stream sends heartbeats meanwhile. Tests use it instead of a long stage delay to
     * keep a turn running for exactly as long as they need.
     */
    public void holdStages() {
        stagesHeld = true;
    }

    /** Lets the held stages (and every later one) end after their {@code stageDelay}. */
    public void releaseStages() {
        stagesHeld = false;
    }

    boolean stagesHeld() {
        return stagesHeld;
    }

    /** The next turn closes with no text at all (after its tool events). */
    public void silentNextTurn() {
        silentNext.set(true);
    }

    /** The next turn sends only heartbeats until the client gives up (or the simulator closes); nothing is charged. */
    public void heartbeatsOnlyNextTurn() {
        heartbeatsOnlyNext.set(true);
    }

    /** The next render job ends {@code failed}. */
    public void failNextRender() {
        failRender.set(true);
    }

    /**
     * From now on, a completed render's answer says {@code id} and {@code outputUrl} instead of its own (null: its
     * own): a misbehaving or compromised backend pointing the client elsewhere. Not in the published API sheet.
     */
    public void completedRendersAnswer(String id, String outputUrl) {
        this.completedRenderId = id;
        this.completedOutputUrl = outputUrl;
    }

    String completedRenderId() {
        return completedRenderId;
    }

    String completedOutputUrl() {
        return completedOutputUrl;
    }

    /**
     * The next turn sends its first event, then an error and ends. Not in the published API sheet: an addition.
     *
     * @param adkForm true for an event with {@code errorCode}/{@code errorMessage}, false for {@code {"error": …}}
     */
    public void streamErrorNextTurn(boolean adkForm) {
        streamError.set(adkForm ? 2 : 1);
    }

    /**
     * The next {@code times} requests whose path starts with {@code pathPrefix} get HTTP 200 with an HTML page
     * instead of JSON (or an event stream), as a captive portal or a misrouted proxy would answer. An addition.
     */
    public void garbageNext(String pathPrefix, int times) {
        if (times < 0) {
            throw new IllegalArgumentException("times < 0");
        }
        synchronized (pathFaults) {
            pathFaults.add(new PathFault(Objects.requireNonNull(pathPrefix, "pathPrefix"), 200, false, times));
        }
    }

    /**
     * The next turn's stream starts with {@code data:} lines the contract does not describe: text that is not JSON,
     * JSON that is not an object, objects whose fields have the wrong types. The turn then
     * runs as usual. An addition.
     */
    public void malformedEventsNextTurn() {
        malformedNext.set(true);
    }

    /**
     * The next turn is a chat turn (nothing charged) whose whole answer is {@code text}, whatever it holds: a
     * hostile or broken agent (secrets, control characters, raw JSON, huge text). An addition.
     */
    public void agentSaysNextTurn(String text) {
        agentSays.set(Objects.requireNonNull(text, "text"));
    }

    /** How contract errors are answered from now on. */
    public void errorStyle(ErrorStyle style) {
        errorStyle = Objects.requireNonNull(style, "style");
    }

    /** Line ending of the SSE stream: "\n" (default) or "\r\n". */
    public void sseLineEndings(String eol) {
        if (!"\n".equals(eol) && !"\r\n".equals(eol)) {
            throw new IllegalArgumentException("eol must be \\n or \\r\\n");
        }
        this.eol = eol;
    }

    /**
     * The backend is down from now until {@code length} has passed on the simulator's clock: with
     * {@link Outage#REFUSE} nothing listens (every connection is refused), with {@link Outage#HTTP_503} every
     * request is answered 503 with an HTML page. Either way the streams open when it starts are cut. Work already
     * accepted goes on meanwhile (turns generate, renders render, by the clock): only the front door is shut. It ends
     * by itself once the clock passes its end; a new outage replaces the current one.
     */
    public void outage(Duration length, Outage how) {
        Objects.requireNonNull(how, "how");
        if (Objects.requireNonNull(length, "length").isNegative() || length.isZero()) {
            throw new IllegalArgumentException("length must be positive, was " + length);
        }
        outage = new OutageWindow(clock.instant().plus(length), how);
        outageStarted.accept(how);
    }

    /** Ends an outage at once (nothing happens without one). */
    public void endOutage() {
        outage = null;
    }

    // ---- read side, for the server ----

    /** The outage under way now, if any. */
    Optional<Outage> outageNow() {
        OutageWindow w = outage;
        if (w == null || !clock.instant().isBefore(w.until())) {
            return Optional.empty();
        }
        return Optional.of(w.how());
    }

    /** Called (on the caller's thread) each time an outage starts. */
    void onOutage(Consumer<Outage> hook) {
        outageStarted = Objects.requireNonNull(hook, "hook");
    }

    boolean tokenExpired(String token, long issuedInEpoch) {
        return expiredTokens.contains(token) || issuedInEpoch < expiryEpoch.get();
    }

    long expiryEpoch() {
        return expiryEpoch.get();
    }

    boolean sessionLost(String sessionId) {
        return lostSessions.contains(sessionId);
    }

    int takeDropAfter() {
        return dropAfter.getAndSet(-1);
    }

    boolean takeReconnectDrop() {
        return dropReconnects.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    /** The fault for this path, consuming one use of it. */
    Optional<PathFault> takePathFault(String path) {
        synchronized (pathFaults) {
            for (Iterator<PathFault> it = pathFaults.iterator(); it.hasNext(); ) {
                PathFault f = it.next();
                if (f.remaining <= 0) {
                    it.remove();
                } else if (path.startsWith(f.prefix)) {
                    f.remaining--;
                    if (f.remaining == 0) {
                        it.remove();
                    }
                    return Optional.of(f);
                }
            }
        }
        return Optional.empty();
    }

    Duration slow() {
        return slow;
    }

    boolean takeSilent() {
        return silentNext.getAndSet(false);
    }

    boolean takeHeartbeatsOnly() {
        return heartbeatsOnlyNext.getAndSet(false);
    }

    boolean takeFailRender() {
        return failRender.getAndSet(false);
    }

    int takeStreamError() {
        return streamError.getAndSet(0);
    }

    boolean takeMalformed() {
        return malformedNext.getAndSet(false);
    }

    String takeAgentSays() {
        return agentSays.getAndSet(null);
    }

    ErrorStyle style() {
        return errorStyle;
    }

    String eol() {
        return eol;
    }

    static final class PathFault {
        final String prefix;
        final int status;
        final boolean json;
        int remaining;

        PathFault(String prefix, int status, boolean json, int remaining) {
            this.prefix = prefix;
            this.status = status;
            this.json = json;
            this.remaining = remaining;
        }
    }
}
