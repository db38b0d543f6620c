package dev.nemobot.core.conversation;

import dev.nemobot.core.work.Cancellation;
import dev.nemobot.core.backend.Drafts;
import dev.nemobot.core.backend.NemoBackend;
import dev.nemobot.core.backend.SessionState;
import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.ChatPlatform;
import dev.nemobot.core.chat.Lang;
import dev.nemobot.core.identity.UserSession;
import dev.nemobot.core.lane.ShortTasks;
import dev.nemobot.core.store.InterruptedTurn;
import dev.nemobot.core.store.TurnClaims;
import dev.nemobot.core.text.TimelineSummary;

/**
 * The turns a stop cut off (a crash, a shutdown that had to cut them, an instance that died): each user is told what
 * their project holds now; nothing is sent again. Thread-safe.
 */
public final class InterruptedTurns {
    private final TurnClaims claims;
    private final Sessions sessions;
    private final NemoBackend backend;
    private final ShortTasks tasks;

    public InterruptedTurns(TurnClaims claims, Sessions sessions, NemoBackend backend, ShortTasks tasks) {
        this.claims = claims;
        this.sessions = sessions;
        this.backend = backend;
        this.tasks = tasks;
    }

    /**
     * Tells each user of {@code platform} whose turn a stop cut off what their project holds now.
     *
     * @param includeOwn true at start: this instance's own turns from before a restart are taken too
     */
    public void resume(ChatPlatform platform, boolean includeOwn) {
        for (InterruptedTurn t : claims.claimInterrupted(platform.name(), includeOwn)) {
            Replier to = sessions.replier(platform, t.conversation(), t.user(), Lang.of(t.user(), null));
            tasks.spawn(() -> {
                UserSession s = sessions.session(to, new Cancellation());
                try (LogContext c = LogContext.of(to)) {
                    SessionState state = s.state(backend);
                    String summary = TimelineSummary.summarize(state.draft().orElse(null), to.lang());
                    if (Drafts.exportable(state)) {
                        to.say(to.messages().interrupted(summary), Action.EXPORT, Action.STATUS);
                    } else {
                        to.say(to.messages().interrupted(summary));
                    }
                } catch (RuntimeException e) {
                    sessions.fail(s, to, e);
                }
            });
        }
    }
}
