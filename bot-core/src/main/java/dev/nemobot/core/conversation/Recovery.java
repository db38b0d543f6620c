package dev.nemobot.core.conversation;

import dev.nemobot.core.backend.Drafts;
import dev.nemobot.core.backend.NemoBackend;
import dev.nemobot.core.backend.NemoException;
import dev.nemobot.core.work.Pause;
import dev.nemobot.core.backend.SessionState;
import dev.nemobot.core.identity.UserSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a turn, the project's state once it has settled: read again while the backend fails for a moment, polled
 * while media is still processing, and watched after a dropped stream until it stops moving. Thread-safe.
 */
final class Recovery {
    private static final Logger log = LoggerFactory.getLogger(Recovery.class);

    private final NemoBackend backend;
    private final Clock clock;
    private final Pause pause;
    private final Duration statePoll;
    private final Duration notice;
    private final Duration timeout;

    /**
     * @param statePoll poll the session state this often while waiting for it to settle
     * @param notice    tell the user about a dropped stream only when recovering takes longer
     * @param timeout   stop polling a turn's state after this long
     */
    public Recovery(NemoBackend backend, Clock clock, Pause pause, Duration statePoll, Duration notice,
                    Duration timeout) {
        this.backend = backend;
        this.clock = clock;
        this.pause = pause;
        this.statePoll = statePoll;
        this.notice = notice;
        this.timeout = timeout;
    }

    /** After a generation: the state once no media is still processing (null if cancelled). */
    SessionState settle(UserSession s) {
        Instant deadline = clock.instant().plus(timeout);
        SessionState state = readState(s, deadline);
        while (state != null && Drafts.processing(state) && clock.instant().isBefore(deadline)) {
            if (!pause.sleep(statePoll, s.cancellation())) {
                return null;
            }
            state = readState(s, deadline);
        }
        return state;
    }

    /**
     * The state, read again after a pause while the backend fails for a moment (a 5xx, no answer): after a
     * generation the user has paid, and a "try again" would make them pay twice. Null if cancelled; the failure is
     * thrown once {@code deadline} has passed.
     */
    private SessionState readState(UserSession s, Instant deadline) {
        while (true) {
            try {
                return s.state(backend);
            } catch (NemoException.ServerError | NemoException.Timeout | NemoException.Network e) {
                if (!clock.instant().isBefore(deadline)) {
                    throw e;
                }
                log.info("reading the state after a turn failed ({}); reading again", e.getClass().getSimpleName());
                if (!pause.sleep(statePoll, s.cancellation())) {
                    return null;
                }
            }
        }
    }

    /**
     * What a recovery found: the settled state; whether the project moved while it watched (always true when some
     * of the turn's events had arrived); and whether that was a generation.
     */
    record Recovered(SessionState state, boolean moved, boolean generated) {
    }

    /**
     * A dropped stream the client could not resume: poll the state until it settles (nothing processing and the
     * draft unchanged between two reads; after a generation also something to export, since the draft does not
     * change while the raw video is made); tell the user only when that takes longer than the notice time. A count
     * of finished clips above {@code clipsBefore} (the session's before the turn, when known) is a generation, even
     * when the stream broke before its tool call arrived or the first read already shows the clip (a stall longer
     * than the work). When none of the turn's events had arrived ({@code heard} false) nothing else is known of what
     * the backend does: wait until the project moves (a clip processing, a new draft or clip, against the first read
     * and against {@code clipsBefore}); a project that never moves ends the wait at the recovery time-out. Null when
     * cancelled, or when the state could not be read at all (the user is then told).
     */
    Recovered recover(UserSession s, Replier to, boolean generation, boolean heard, OptionalInt clipsBefore) {
        Instant start = clock.instant();
        Instant deadline = start.plus(timeout);
        boolean told = false;
        boolean moved = heard;
        boolean generated = generation;
        SessionState first = null;
        SessionState previous = null;
        while (true) {
            SessionState state;
            try {
                state = s.state(backend);
            } catch (NemoException.ServerError | NemoException.Timeout | NemoException.Network e) {
                state = null;
            }
            if (state != null) {
                int clips = Drafts.completedMedia(state);
                if (first == null) {
                    first = state;
                }
                if (clipsBefore.isPresent()) {
                    moved = moved || clips != clipsBefore.getAsInt();
                    generated = generated || clips > clipsBefore.getAsInt();
                }
                if (!heard) {
                    moved = moved || Drafts.processing(state) || !Objects.equals(state.draft(), first.draft())
                            || clips != Drafts.completedMedia(first);
                    generated = generated || clips > Drafts.completedMedia(first);
                }
            }
            if (moved && state != null && previous != null && !Drafts.processing(state)
                    && Objects.equals(state.draft(), previous.draft()) && (!generated || Drafts.exportable(state))) {
                return new Recovered(state, true, generated);
            }
            if (state != null) {
                previous = state;
            }
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                if (previous == null) {
                    to.say(to.messages().backendUnavailable());
                    return null;
                }
                return new Recovered(previous, moved, generated);
            }
            if (!told && Duration.between(start, now).compareTo(notice) > 0) {
                told = true;
                to.say(to.messages().recovering());
            }
            if (!pause.sleep(statePoll, s.cancellation())) {
                return null;
            }
        }
    }
}
