package dev.nemobot.core.export;

import dev.nemobot.config.Settings;
import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.MessageRef;
import dev.nemobot.core.identity.Identity;
import dev.nemobot.core.identity.UserSession;
import dev.nemobot.core.metrics.EngineMetrics;
import dev.nemobot.core.work.Cancellation;
import dev.nemobot.core.backend.NemoBackend;
import dev.nemobot.core.backend.NemoException;
import dev.nemobot.core.backend.RenderJob;
import dev.nemobot.core.backend.Drafts;
import dev.nemobot.core.backend.Draft;
import dev.nemobot.core.backend.SessionState;
import dev.nemobot.core.store.ExportJobs;
import dev.nemobot.core.store.PendingExport;
import dev.nemobot.core.store.Results;
import dev.nemobot.core.conversation.Exports;
import dev.nemobot.core.conversation.FailureReplies;
import dev.nemobot.core.conversation.LiveMessage;
import dev.nemobot.core.conversation.LogContext;
import dev.nemobot.core.conversation.Replier;
import dev.nemobot.core.lane.ShortTasks;
import dev.nemobot.core.lane.WorkContext;
import dev.nemobot.core.text.Messages;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The export workflow: check the draft, submit {@code render_<millis>} (one retry with a new id), wait for it with one
 * progress message edited in place ({@link RenderPoller}), and hand the finished video to {@link Delivery} (a video or
 * a link, with the task link).
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
    private final RenderPoller poller;
    private final Delivery delivery;
    private final Clock clock;
    private final ShortTasks tasks;
    private final FailureReplies failures;
    private final EngineMetrics metrics;
    private final ConcurrentHashMap<String, Job> running = new ConcurrentHashMap<>();
    private final AtomicLong lastId = new AtomicLong();
    private volatile boolean shuttingDown;

    /**
     * The exporter with its {@link RenderPoller} and {@link Delivery}, as the engine builds it: renders are polled on
     * the backend settings' schedule ({@link PollSchedule#of}) for up to {@code renderTimeout}, and finished videos
     * are downloaded into {@code tmp} under the data directory, first swept of what downloads cut off by a crash left
     * there ({@link TempSweep}); {@code results} keeps the delivered ones.
     */
    public static Exporter wire(NemoBackend backend, Settings settings, Duration renderTimeout, ExportJobs store,
                                Results results, FailureReplies failures, WorkContext context) {
        Path tmpDir = settings.dataDir().resolve("tmp");
        Clock clock = context.clock();
        // what downloads cut off by a crash left behind (a download in progress writes its file all along)
        TempSweep.sweep(tmpDir, clock.instant());
        return new Exporter(backend, store,
                new RenderPoller(backend, PollSchedule.of(settings.nemo()), renderTimeout, clock, context.pause()),
                new Delivery(backend, settings.nemo(), tmpDir, results, clock), context.tasks(), failures,
                context.metrics());
    }

    /**
     * @param poller   waits for a submitted render to finish (its clock is the exporter's)
     * @param delivery brings the finished video to the chats that asked
     * @param tasks    where each export runs (a virtual thread, counted as work in flight)
     * @param metrics  where the delivery delay is recorded
     */
    Exporter(NemoBackend backend, ExportJobs store, RenderPoller poller, Delivery delivery, ShortTasks tasks,
             FailureReplies failures, EngineMetrics metrics) {
        this.backend = backend;
        this.store = store;
        this.poller = poller;
        this.delivery = delivery;
        this.clock = poller.clock();
        this.tasks = tasks;
        this.failures = failures;
        this.metrics = metrics;
    }

    private static final class Job {
        final String sessionId;
        final Cancellation cancellation = new Cancellation();
        final List<Replier> recipients = new CopyOnWriteArrayList<>();
        /** Completed when the job has ended, delivered or not. */
        final CompletableFuture<Void> ended = new CompletableFuture<>();

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
        if (!tasks.spawn(() -> {
            try (LogContext c = LogContext.of(to)) {
                run(job, session, auto, Optional.empty());
            } finally {
                running.remove(sid, job);
                job.ended.complete(null);
            }
        })) {
            running.remove(sid, job); // the engine is closing
            job.ended.complete(null);
        }
    }

    /** Goes on polling an export submitted before a restart. */
    void resume(PendingExport pending, UserSession session, Replier to) {
        Job job = new Job(pending.sessionId(), to);
        if (running.putIfAbsent(pending.sessionId(), job) != null) {
            return;
        }
        if (!tasks.spawn(() -> {
            try (LogContext c = LogContext.of(to)) {
                run(job, session, true, Optional.of(pending));
            } finally {
                running.remove(pending.sessionId(), job);
                job.ended.complete(null);
            }
        })) {
            running.remove(pending.sessionId(), job); // the engine is closing; the record stays for the next start
            job.ended.complete(null);
        }
    }

    /** Exports being rendered or delivered now. */
    public int inFlight() {
        return running.size();
    }

    public boolean running(String sessionId) {
        return running.containsKey(sessionId);
    }

    @Override
    public void awaitIdle(String sessionId, Cancellation cancellation) {
        Job job;
        while ((job = running.get(sessionId)) != null && !cancellation.isCancelled()) {
            CompletableFuture<Void> wake = new CompletableFuture<>();
            job.ended.whenComplete((v, e) -> wake.complete(null));
            cancellation.onCancel(() -> wake.complete(null));
            wake.join();
        }
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
                SessionState state = session.state(backend);
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
                        id.session().taskId(), id.sessionId(), clock.instant(), progress.ref().map(MessageRef::id),
                        first.replyTo().request(), first.prompt());
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
                            record.taskId(), record.sessionId(), record.submittedAt(), record.progressMessage(),
                            record.request(), record.prompt()));
                    store.remove(renderId);
                    renderId = retryId;
                    rj = session.call((token, sid) -> backend.submitRender(token, sid, retryId, draft));
                    submitted = clock.instant();
                }
            }
            rj = poller.poll(job.cancellation, session, rj, submitted, progress, m);
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
            // the progress message becomes the video (Delivery): no "Video ready!" above a separate video
            delivery.deliver(job.recipients, progress, session, rj, id, renderId);
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
            SessionState state = session.state(backend);
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

}
