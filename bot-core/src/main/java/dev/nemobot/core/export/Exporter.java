package dev.nemobot.core.export;

import dev.nemobot.config.NemoSettings;
import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Activity;
import dev.nemobot.core.chat.MessageRef;
import dev.nemobot.core.backend.DownloadRefused;
import dev.nemobot.core.chat.VideoRejectedException;
import dev.nemobot.core.identity.Identity;
import dev.nemobot.core.identity.UserSession;
import dev.nemobot.core.metrics.EngineMetrics;
import dev.nemobot.core.backend.Cancellation;
import dev.nemobot.core.backend.NemoBackend;
import dev.nemobot.core.backend.NemoException;
import dev.nemobot.core.backend.RenderJob;
import dev.nemobot.core.backend.Drafts;
import dev.nemobot.core.backend.Draft;
import dev.nemobot.core.backend.SessionState;
import dev.nemobot.core.store.ExportJobs;
import dev.nemobot.core.store.PendingExport;
import dev.nemobot.core.conversation.Exports;
import dev.nemobot.core.conversation.Failures;
import dev.nemobot.core.conversation.LiveMessage;
import dev.nemobot.core.conversation.LogContext;
import dev.nemobot.core.backend.Pause;
import dev.nemobot.core.conversation.Replier;
import dev.nemobot.core.lane.WorkCounter;
import dev.nemobot.core.text.Messages;
import dev.nemobot.core.text.TaskLink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The export workflow: check the draft, submit {@code render_<millis>} (one retry with a new id), poll with one
 * progress message edited in place (a backend that does not answer a poll is asked again until the render time-out;
 * the user is told once), download to a temporary file, deliver as a video or a link, with the task link.
 * One export per session at a time: a second request joins it (also when another instance sharing the store runs
 * it). Jobs are recorded in the store before they are submitted and held under this instance's lease until
 * delivered, so a restart, or another instance once the lease lapses, resumes them ({@link #resume}); the video is
 * sent only by the instance that marks the job as delivering. Each export runs on its own virtual thread.
 * Thread-safe.
 */
public final class Exporter implements Exports {
    private static final Logger log = LoggerFactory.getLogger(Exporter.class);

    private final NemoBackend backend;
    private final ExportJobs store;
    private final NemoSettings nemo;
    private final Path tmpDir;
    private final Duration renderTimeout;
    private final Clock clock;
    private final Pause pause;
    private final Executor workers;
    private final WorkCounter work;
    private final Failures failures;
    private final PollSchedule schedule;
    private final EngineMetrics metrics;
    private final ConcurrentHashMap<String, Job> running = new ConcurrentHashMap<>();
    private final AtomicLong lastId = new AtomicLong();
    private volatile boolean shuttingDown;

    public Exporter(NemoBackend backend, ExportJobs store, NemoSettings nemo, Path tmpDir, Duration renderTimeout,
                    Clock clock, Pause pause, Executor workers, WorkCounter work, Failures failures) {
        this(backend, store, nemo, tmpDir, renderTimeout, clock, pause, workers, work, failures,
                EngineMetrics.inMemory());
    }

    /** @param metrics where the delivery delay is recorded */
    public Exporter(NemoBackend backend, ExportJobs store, NemoSettings nemo, Path tmpDir, Duration renderTimeout,
                    Clock clock, Pause pause, Executor workers, WorkCounter work, Failures failures,
                    EngineMetrics metrics) {
        this.metrics = metrics;
        this.backend = backend;
        this.store = store;
        this.nemo = nemo;
        this.tmpDir = tmpDir;
        this.renderTimeout = renderTimeout;
        this.clock = clock;
        this.pause = pause;
        this.workers = workers;
        this.work = work;
        this.failures = failures;
        this.schedule = PollSchedule.of(nemo);
    }

    private static final class Job {
        final String sessionId;
        final Cancellation cancellation = new Cancellation();
        final List<Replier> recipients = new CopyOnWriteArrayList<>();

        Job(String sessionId, Replier first) {
            this.sessionId = sessionId;
            recipients.add(first);
        }
    }

    /**
     * Starts the export of the user's current session, or joins the one under way. Returns at once; blocks only to
     * resolve the identity (normally cached).
     *
     * @param auto true when the engine exports by itself after a generation (then an empty draft is not reported)
     */
    public void request(UserSession session, Replier to, boolean auto) {
        String sid = session.identity().sessionId();
        if (!running.containsKey(sid) && store.runningElsewhere(sid)) {
            // another instance renders this session's video and delivers it to the conversation that asked
            if (!auto) {
                to.say(to.messages().exportJoined());
            }
            return;
        }
        Job job = new Job(sid, to);
        Job existing = running.putIfAbsent(sid, job);
        if (existing != null) {
            if (existing.recipients.stream().noneMatch(to::sameConversation)) {
                existing.recipients.add(to);
            }
            if (!auto) {
                to.say(to.messages().exportJoined());
            }
            return;
        }
        work.begin();
        workers.execute(() -> {
            try (LogContext c = LogContext.of(to)) {
                run(job, session, auto, Optional.empty());
            } finally {
                running.remove(sid, job);
                work.end();
            }
        });
    }

    /** Goes on polling an export submitted before a restart. */
    public void resume(PendingExport pending, UserSession session, Replier to) {
        Job job = new Job(pending.sessionId(), to);
        if (running.putIfAbsent(pending.sessionId(), job) != null) {
            return;
        }
        work.begin();
        workers.execute(() -> {
            try (LogContext c = LogContext.of(to)) {
                run(job, session, true, Optional.of(pending));
            } finally {
                running.remove(pending.sessionId(), job);
                work.end();
            }
        });
    }

    /** Exports being rendered or delivered now. */
    public int inFlight() {
        return running.size();
    }

    public boolean running(String sessionId) {
        return running.containsKey(sessionId);
    }

    /** Stops waiting for the session's export (the backend may still finish it); false when none ran. */
    public boolean cancel(String sessionId) {
        Job job = running.get(sessionId);
        if (job == null) {
            return false;
        }
        job.cancellation.cancel();
        return true;
    }

    /** Stops every export's polling but keeps their records, so the next start resumes them. */
    public void shutdown() {
        shuttingDown = true;
        running.values().forEach(j -> j.cancellation.cancel());
    }

    private void run(Job job, UserSession session, boolean auto, Optional<PendingExport> resumed) {
        Replier first = job.recipients.getFirst();
        Messages m = first.messages();
        // Cancel and Status under the progress message while it renders; the buttons go when it ends
        LiveMessage progress = first.live().withButtons(Action.CANCEL, Action.STATUS);
        String renderId = null;
        boolean keepRecord = false;
        boolean delivered = false;
        try {
            Identity id = session.identity();
            RenderJob rj;
            Instant submitted;
            if (resumed.isPresent()) {
                submitted = resumed.get().submittedAt();
                renderId = resumed.get().renderId();
                resumed.get().progressMessage().ifPresent(shown -> progress.adopt(new MessageRef(first.conversation(), shown)));
                progress.update(m.rendering());
                rj = resumedJob(session, renderId);
                if (rj == null) {
                    first.say(m.exportNothing());
                    return;
                }
            } else {
                SessionState state = session.call(backend::state);
                if (!Drafts.exportable(state)) {
                    if (!auto) {
                        first.say(m.exportNothing());
                    }
                    return;
                }
                progress.update(auto ? m.renderingAuto() : m.rendering());
                // recorded before it is submitted: a crash in between leaves a record the next start resumes
                renderId = newId();
                PendingExport record = new PendingExport(renderId, first.user(), first.conversation(),
                        id.session().taskId(), id.sessionId(), clock.instant(), progress.ref().map(MessageRef::id));
                store.save(record);
                Draft draft = state.draft().orElseThrow();
                try {
                    String submitId = renderId;
                    rj = session.call((token, sid) -> backend.submitRender(token, sid, submitId, draft));
                    // the job's clock starts inside the call, most likely near its end when the call was slow to get
                    // there: measured from before the call, the wait for a submit that took long was multiplied by
                    // the rest-to-done ratio of the first progress figure, and the predicted poll came seconds late;
                    // measured from after it, a prediction errs a little early (the margin covers it)
                    submitted = clock.instant();
                } catch (NemoException.ServerError | NemoException.Timeout | NemoException.Network
                         | NemoException.BadResponse e) {
                    String retryId = newId();
                    log.info("render submit failed ({}), retrying once as {}", e.getClass().getSimpleName(), retryId);
                    store.save(new PendingExport(retryId, record.user(), record.conversation(),
                            record.taskId(), record.sessionId(), record.submittedAt(), record.progressMessage()));
                    store.remove(renderId);
                    renderId = retryId;
                    rj = session.call((token, sid) -> backend.submitRender(token, sid, retryId, draft));
                    submitted = clock.instant();
                }
            }
            rj = poll(job, session, rj, submitted, progress, m);
            if (job.cancellation.isCancelled()) {
                keepRecord = shuttingDown;
                return;
            }
            if (rj == null) {
                progress.finish(m.exportTimedOut(), Action.EXPORT);
                return;
            }
            if (rj.status() == RenderJob.Status.FAILED) {
                log.info("render {} failed on the backend", rj.id());
                progress.finish(m.exportFailed(), Action.EXPORT);
                return;
            }
            Instant completedSeen = clock.instant();
            if (!store.startDelivery(renderId)) {
                // another instance took the job over (this one stalled past its lease) or delivered it already
                log.info("render {} is delivered by another instance", renderId);
                keepRecord = true;
                return;
            }
            progress.finish(m.videoReady());
            deliver(job, session, rj, id, renderId);
            delivered = true;
            metrics.delivered(Duration.between(completedSeen, clock.instant()));
        } catch (NemoException | dev.nemobot.core.identity.SignupsExhaustedException e) {
            if (job.cancellation.isCancelled()) {
                keepRecord = shuttingDown;
                return;
            }
            String text = failures.message(m, session, e);
            if (progress.started()) {
                progress.finish(text);
            } else {
                first.say(text);
            }
        } catch (RuntimeException e) {
            log.error("export failed", e);
            first.say(m.internalError());
        } finally {
            if (renderId != null && !keepRecord) {
                try {
                    store.finish(renderId, delivered);
                } catch (RuntimeException e) {
                    log.warn("could not mark render {} finished: {}", renderId, e.toString());
                }
            }
        }
    }

    /**
     * The job of an export recorded before a stop. A job the backend does not know (the stop came between the record
     * and the submit) is submitted now under the same id; null when there is nothing to export any more.
     */
    private RenderJob resumedJob(UserSession session, String renderId) {
        try {
            return session.call((token, sid) -> backend.renderStatus(token, renderId));
        } catch (NemoException.BadResponse e) {
            if (e.code() != 404 && e.httpStatus() != 404) {
                throw e;
            }
            SessionState state = session.call(backend::state);
            if (!Drafts.exportable(state)) {
                return null;
            }
            log.info("render {} never reached the backend; submitting it now", renderId);
            Draft draft = state.draft().orElseThrow();
            return session.call((token, sid) -> backend.submitRender(token, sid, renderId, draft));
        }
    }

    private String newId() {
        long now = clock.millis();
        return "render_" + lastId.updateAndGet(prev -> Math.max(prev + 1, now));
    }

    /** @return the finished job, or null when the render timeout passed first (or the export was cancelled) */
    private RenderJob poll(Job job, UserSession session, RenderJob rj, Instant submitted, LiveMessage progress,
                           Messages m) {
        Instant deadline = clock.instant().plus(renderTimeout);
        boolean toldDown = false;
        while (!rj.status().finished()) {
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                return null;
            }
            Duration wait = schedule.next(Duration.between(submitted, now), rj.progress());
            if (!pause.sleep(wait, job.cancellation)) {
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
                log.info("render {}: status not available ({}), asking again", id, e.getClass().getSimpleName());
                continue;
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

    /** The buttons under a delivered video (or its link): what users ask for next. */
    private static final Action[] NEXT = {Action.AGAIN, Action.LONGER, Action.ADD_MUSIC, Action.NEW};

    /** The platform's name as a person writes it ("Telegram"). */
    private static String displayName(Replier to) {
        String n = to.platform().name();
        return n.isEmpty() ? n : Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    /** @param renderId our own id of the render (the file is named from it, never from the backend's answer) */
    private void deliver(Job job, UserSession session, RenderJob rj, Identity id, String renderId)
            throws NemoException {
        String taskLink = TaskLink.task(nemo, id.session().taskId(), id.sessionId());
        Path file = null;
        try {
            if (!Files.isDirectory(tmpDir)) {
                dev.nemobot.core.files.PrivateFiles.createDirectories(tmpDir);
            }
            // a fresh name, not a created file: the download writes beside it and renames its file to it. (An
            // empty temporary file made first cost one more create, and a rename that had to replace it: with
            // thousands of exports the file system calls were a tenth of the engine's CPU.)
            file = tmpDir.resolve(renderId.replaceAll("[^A-Za-z0-9_-]", "_") + "-"
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".mp4");
            Path target = file;
            long size;
            boolean refused = false;
            try {
                size = session.call((token, sid) -> backend.download(token, rj, target));
            } catch (NemoException e) {
                log.info("download of {} failed: {}", renderId, e.getClass().getSimpleName());
                size = -1;
            } catch (DownloadRefused e) {
                // the backend's answer pointed where a video may not come from, or what came is not one to send:
                // the user gets the task link only (not the answer's URL)
                log.warn("render {}: the video was refused: {}", renderId, e.getMessage());
                size = -1;
                refused = true;
            } catch (UncheckedIOException e) {
                throw e.getCause(); // the file could not be written: the link instead, below
            }
            for (Replier to : job.recipients) {
                Messages m = to.messages();
                if (refused) {
                    to.say(m.videoRefused(taskLink), NEXT);
                    continue;
                }
                Optional<String> url = rj.outputUrl().map(Object::toString);
                long limit = to.uploadLimitBytes();
                if (size < 0) {
                    to.say(m.videoLinkBecause(m.linkNotFetched(), url, taskLink), NEXT);
                    continue;
                }
                if (size > limit) {
                    to.say(m.videoLinkBecause(m.linkTooLarge(size, limit), url, taskLink), NEXT);
                    continue;
                }
                to.activity(Activity.UPLOADING_VIDEO);
                String platform = displayName(to);
                try {
                    to.sendVideo(file, m.videoCaption(taskLink), NEXT);
                } catch (VideoRejectedException e) {
                    log.info("{} rejected the video ({}); sending the link", to.platform().name(), e.getMessage());
                    String why = e.tooLarge() ? m.linkTooLarge(size, limit) : m.linkRefused(platform);
                    to.say(m.videoLinkBecause(why, url, taskLink), NEXT);
                } catch (RuntimeException e) {
                    log.warn("{} failed to send the video: {}", to.platform().name(), e.toString());
                    to.say(m.videoLinkBecause(m.linkUploadFailed(platform), url, taskLink), NEXT);
                }
            }
        } catch (IOException e) {
            log.warn("cannot write a temporary file under {}: {}", tmpDir, e.toString());
            // nothing was downloaded, so the answer's output URL was never checked: only the project's own link
            for (Replier to : job.recipients) {
                Messages m = to.messages();
                to.say(m.videoLinkBecause(m.linkNotStored(), Optional.empty(), taskLink), NEXT);
            }
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    log.warn("cannot delete {}: {}", file, e.toString());
                }
            }
        }
    }
}
