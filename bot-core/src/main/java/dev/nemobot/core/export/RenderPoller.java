package dev.nemobot.core.export;

import dev.nemobot.core.work.Cancellation;
import dev.nemobot.core.backend.NemoBackend;
import dev.nemobot.core.backend.NemoException;
import dev.nemobot.core.work.Pause;
import dev.nemobot.core.backend.RenderJob;
import dev.nemobot.core.chat.Action;
import dev.nemobot.core.conversation.LiveMessage;
import dev.nemobot.core.identity.UserSession;
import dev.nemobot.core.text.Messages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for a submitted render to finish: asks for its status on the {@link PollSchedule}, shows the progress (and the
 * time left) in the export's progress message, rides out a backend that does not answer a poll (telling the user
 * once; logging one WARN when such an outage starts and one INFO when the backend answers again), and gives up at the
 * render time-out. Waits on the engine's scheduler. Thread-safe.
 */
final class RenderPoller {
    private static final Logger log = LoggerFactory.getLogger(RenderPoller.class);

    private final NemoBackend backend;
    private final PollSchedule schedule;
    private final Duration renderTimeout;
    private final Clock clock;
    private final Pause pause;

    public RenderPoller(NemoBackend backend, PollSchedule schedule, Duration renderTimeout, Clock clock, Pause pause) {
        this.backend = backend;
        this.schedule = schedule;
        this.renderTimeout = renderTimeout;
        this.clock = clock;
        this.pause = pause;
    }

    /** The clock the exports' times are read from. */
    Clock clock() {
        return clock;
    }

    /** @return the finished job, or null when the render timeout passed first (or the export was cancelled) */
    public RenderJob poll(Cancellation cancellation, UserSession session, RenderJob rj, Instant submitted,
                          LiveMessage progress, Messages m) {
        Instant deadline = clock.instant().plus(renderTimeout);
        boolean toldDown = false;
        // an outage of the status call: one WARN when it starts, one INFO when it ends (not a line per poll)
        Instant downSince = null;
        int failedPolls = 0;
        while (!rj.status().finished()) {
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                return null;
            }
            Duration wait = schedule.next(Duration.between(submitted, now), rj.progress());
            if (!pause.sleep(wait, cancellation)) {
                return null;
            }
            String id = rj.id();
            try {
                rj = session.call((token, sid) -> backend.renderStatus(token, id));
            } catch (NemoException.ServerError | NemoException.Timeout | NemoException.Network e) {
                // the backend is down or slow for a while, and the render goes on meanwhile: keep asking until the
                // render time-out (a "try again" would only start a second render), and say so once, in the
                // progress message (finish waits for the edit slot: an update could be coalesced away unseen)
                if (!toldDown) {
                    toldDown = true;
                    progress.finish(m.renderingBackendDown(), Action.CANCEL, Action.STATUS);
                }
                failedPolls++;
                if (downSince == null) {
                    downSince = clock.instant();
                    log.warn("render {}: the backend does not answer its status ({}); asking again until it does",
                            id, e.getClass().getSimpleName());
                } else {
                    log.debug("render {}: status still not available ({})", id, e.getClass().getSimpleName());
                }
                continue;
            }
            if (downSince != null) {
                log.info("render {}: the backend answers its status again, after {} failed polls in {} s", id,
                        failedPolls, Duration.between(downSince, clock.instant()).toSeconds());
                downSince = null;
                failedPolls = 0;
            }
            if (rj.progress().isPresent() && !rj.status().finished()) {
                // the time left as the adaptive schedule predicts it, from the progress and the time so far
                Optional<Duration> left = PollSchedule.remaining(Duration.between(submitted, clock.instant()),
                        rj.progress());
                int percent = rj.progress().getAsInt();
                progress.update(left.map(l -> m.renderingProgress(percent, l))
                        .orElseGet(() -> m.renderingProgress(percent)));
            }
        }
        return rj;
    }
}
