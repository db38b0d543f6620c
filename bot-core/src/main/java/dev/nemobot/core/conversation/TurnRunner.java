package dev.nemobot.core.conversation;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.identity.UserSession;
import dev.nemobot.core.backend.AdkEvent;
import dev.nemobot.core.backend.NemoBackend;
import dev.nemobot.core.backend.TurnEnd;
import dev.nemobot.core.backend.TurnListener;
import dev.nemobot.core.conversation.Keepalive;
import dev.nemobot.core.conversation.LiveMessage;
import dev.nemobot.core.conversation.Replier;
import dev.nemobot.core.text.Followup;
import dev.nemobot.core.text.GuiTranslator;
import dev.nemobot.core.text.Translation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code /run_sse} turn as the user sees it: text streamed into one message edited in place (GUI talk removed,
 * never duplicated: a whole event replaces the partial chunks it repeats), tool events kept internal, "still
 * working" after {@code stillWorkingEvery} without text, and a stop after {@code heartbeatOnlyTimeout} of heartbeats
 * only. What happens after the stream (silent turn, recovery, export) is the caller's. Stateless between runs;
 * thread-safe.
 */
final class TurnRunner {
    private static final Logger log = LoggerFactory.getLogger(TurnRunner.class);

    private final NemoBackend backend;
    private final Clock clock;
    private final Duration stillWorkingEvery;
    private final Duration heartbeatOnlyTimeout;

    public TurnRunner(NemoBackend backend, Clock clock, Duration stillWorkingEvery, Duration heartbeatOnlyTimeout) {
        this.backend = backend;
        this.clock = clock;
        this.stillWorkingEvery = stillWorkingEvery;
        this.heartbeatOnlyTimeout = heartbeatOnlyTimeout;
    }

    /**
     * Sends {@code text} and follows the turn to its end.
     *
     * @throws dev.nemobot.core.backend.NemoException when the turn could not start (after the invisible retries)
     */
    public TurnOutcome run(UserSession session, Replier to, String text, Keepalive keepalive) {
        return run(session, to, text, keepalive, to.live());
    }

    /**
     * Sends {@code text} and follows the turn to its end, streaming into {@code live}: a message the caller may
     * have shown already ("Working on it…"), which the answer then replaces.
     */
    public TurnOutcome run(UserSession session, Replier to, String text, Keepalive keepalive, LiveMessage live) {
        // before the turn: what its own state reads (a recovery's, say) must not move
        OptionalInt clipsBefore = session.clipsSeen();
        Stream stream = new Stream(to, live);
        Runnable check = stream::checkStillWorking;
        keepalive.addCheck(check);
        try {
            TurnEnd end = session.call((token, sid) ->
                    backend.runTurn(token, sid, text, stream, session.cancellation()));
            return stream.finish(end, clipsBefore);
        } finally {
            keepalive.removeCheck(check);
        }
    }

    /** The listener of one turn; callbacks come on the turn's thread, the still-working check from the keepalive. */
    private final class Stream implements TurnListener {
        private final Replier to;
        private final LiveMessage live;
        private final List<String> segments = new ArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private final Set<String> tools = new java.util.HashSet<>();
        private volatile Instant lastEventAt;
        private volatile Instant quietSince;
        private volatile boolean stoppedForSilence;
        private volatile boolean heard;
        private Optional<String> error = Optional.empty();
        /** The translation of the whole segments so far, and how many it covers: partial chunks do not change it. */
        private Translation segmentsTranslated;
        private int segmentsTranslatedCount = -1;

        Stream(Replier to, LiveMessage live) {
            this.to = to;
            this.live = live;
            this.lastEventAt = clock.instant();
            this.quietSince = lastEventAt;
        }

        @Override
        public void onEvent(AdkEvent event) {
            heard = true;
            lastEventAt = clock.instant();
            if (event.isError()) {
                synchronized (this) {
                    // after a whole answer an error is the backend's harmless trailing remark; before it, a failure
                    if (error.isEmpty() && segments.isEmpty()) {
                        error = Optional.of(event.errorCode().orElse("error"));
                    }
                }
                log.info("in-stream error event (code {})", event.errorCode().orElse("none"));
                return;
            }
            for (AdkEvent.Part p : event.parts()) {
                switch (p) {
                    case AdkEvent.Part.FunctionCall c -> tools.add(c.name());
                    case AdkEvent.Part.FunctionResponse r -> tools.add(r.name());
                    case AdkEvent.Part.Text t -> {
                    }
                }
            }
            if ("user".equals(event.author())) {
                return;
            }
            String t = event.text();
            if (t.isEmpty()) {
                return;
            }
            String show;
            synchronized (this) {
                if (event.partial()) {
                    partial.append(t);
                } else {
                    segments.add(t);
                    partial.setLength(0);
                }
                show = current(false).text();
            }
            if (!show.isBlank()) {
                quietSince = clock.instant();
            }
            live.update(show);
        }

        @Override
        public boolean onHeartbeat() {
            live.flush();
            if (Duration.between(lastEventAt, clock.instant()).compareTo(heartbeatOnlyTimeout) >= 0) {
                stoppedForSilence = true;
                return false;
            }
            return true;
        }

        @Override
        public void onReconnecting(int attempt) {
            log.info("turn stream dropped; reconnect attempt {}", attempt);
        }

        void checkStillWorking() {
            Instant now = clock.instant();
            if (Duration.between(quietSince, now).compareTo(stillWorkingEvery) >= 0) {
                quietSince = now;
                to.say(to.messages().stillWorking());
            }
        }

        /** The text to show; {@code complete} once the stream is over (trailing "temporary issue" dropped). */
        private Translation current(boolean complete) {
            Translation whole;
            if (!complete) {
                // every partial chunk would otherwise translate all the whole text again (quadratic in a turn)
                if (segmentsTranslatedCount != segments.size()) {
                    segmentsTranslated = translate(new ArrayList<>(segments), false);
                    segmentsTranslatedCount = segments.size();
                }
                whole = segmentsTranslated;
            } else {
                List<String> kept = new ArrayList<>(segments);
                if (!partial.isEmpty()) {
                    kept.add(partial.toString());
                }
                whole = translate(kept, true);
            }
            if (complete || partial.isEmpty()) {
                return whole;
            }
            String streaming = GuiTranslator.translatePartial(partial.toString());
            String text = whole.text().isBlank() ? streaming
                    : streaming.isBlank() ? whole.text() : whole.text() + "\n\n" + streaming;
            return new Translation(text, whole.followups());
        }

        private static Translation translate(List<String> kept, boolean complete) {
            boolean substance = kept.stream().anyMatch(s -> !GuiTranslator.isTemporaryIssue(s));
            if (substance) {
                kept.removeIf(GuiTranslator::isTemporaryIssue);
            } else if (complete) {
                kept.clear(); // only the backend's "temporary issue" remark: treat the turn as silent
            }
            return GuiTranslator.translate(String.join("\n\n", kept));
        }

        TurnOutcome finish(TurnEnd end, OptionalInt clipsBefore) {
            TurnEnd result = end == TurnEnd.STOPPED && !stoppedForSilence ? TurnEnd.CANCELLED : end;
            Translation t;
            Optional<String> err;
            synchronized (this) {
                t = current(true);
                err = error;
            }
            boolean generation = tools.stream().anyMatch(n -> n.toLowerCase(Locale.ROOT).contains("generat"));
            if (!t.text().isBlank()) {
                if (!tools.isEmpty() && !generation && result == TurnEnd.COMPLETED) {
                    // an edit: what users do next is export it, look at it, or start again
                    live.finish(t.text(), Action.EXPORT, Action.STATUS, Action.NEW);
                } else {
                    live.finish(t.text());
                }
            }
            Set<Followup> followups = t.followups().isEmpty() ? EnumSet.noneOf(Followup.class) : EnumSet.copyOf(t.followups());
            return new TurnOutcome(result, t.text(), followups, generation, err, tools, heard, clipsBefore);
        }
    }
}
