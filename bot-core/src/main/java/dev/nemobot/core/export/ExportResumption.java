package dev.nemobot.core.export;

import dev.nemobot.core.chat.ChatPlatform;
import dev.nemobot.core.chat.Lang;
import dev.nemobot.core.conversation.Replier;
import dev.nemobot.core.conversation.Sessions;
import dev.nemobot.core.identity.UserSession;
import dev.nemobot.core.store.ExportJobs;
import dev.nemobot.core.store.PendingExport;
import dev.nemobot.core.work.Cancellation;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks up the exports recorded in the store that nobody here is running: this instance's own after a restart (when a
 * platform attaches), and those of instances whose leases lapsed (the engine's takeover). Each is polled to the end
 * and delivered where it was asked. (Moved out of the engine in issue 23.2; {@code InterruptedTurns} does the same for
 * turns.) Thread-safe.
 */
public final class ExportResumption {
    private static final Logger log = LoggerFactory.getLogger(ExportResumption.class);
    /** The most exports one takeover round claims from lapsed instances. */
    private static final int TAKEOVER_BATCH = 20;

    private final ExportJobs jobs;
    private final Exporter exporter;
    private final Sessions sessions;

    public ExportResumption(ExportJobs jobs, Exporter exporter, Sessions sessions) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.exporter = Objects.requireNonNull(exporter, "exporter");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    /**
     * Resumes {@code platform}'s pending exports: with {@code includeOwn}, this instance's own as well (at start),
     * else only a batch of those whose lease lapsed.
     */
    public void resume(ChatPlatform platform, boolean includeOwn) {
        int max = includeOwn ? 10_000 : TAKEOVER_BATCH;
        for (PendingExport p : jobs.claim(platform.name(), includeOwn, max)) {
            if (exporter.running(p.sessionId())) {
                continue; // ours, still running here (its lease lapsed while this instance stalled)
            }
            if (!platform.reaches(p.conversation())) {
                jobs.release(p.renderId()); // e.g. a Discord server on another instance's shards
                continue;
            }
            log.info("{}: {} export {}", platform.name(), includeOwn ? "resuming" : "taking over", p.renderId());
            Lang lang = Lang.of(p.user(), null);
            // its answers go where it was asked: the topic, quoting the request, the caption with its words
            Replier to = sessions.replier(platform, p.replyTo(), p.user(), p.prompt(), lang);
            UserSession s = sessions.session(to, new Cancellation());
            exporter.resume(p, s, to);
        }
    }
}
