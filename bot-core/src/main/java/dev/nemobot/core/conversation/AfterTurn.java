package dev.nemobot.core.conversation;

import dev.nemobot.core.backend.Drafts;
import dev.nemobot.core.backend.NemoBackend;
import dev.nemobot.core.backend.SessionState;
import dev.nemobot.core.backend.TurnEnd;
import dev.nemobot.core.chat.Action;
import dev.nemobot.core.identity.UserSession;
import dev.nemobot.core.text.Followup;
import dev.nemobot.core.text.Messages;
import dev.nemobot.core.text.TimelineSummary;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What follows a turn's stream: the daily spend counted; a stop, a time-out or an error told; a dropped stream
 * recovered from the state; the follow-ups the answer asked for (the timeline, the balance, hints); and, with auto
 * export, the export of a new generation. Thread-safe.
 */
final class AfterTurn {
    private final NemoBackend backend;
    private final Recovery recovery;
    private final TurnBudget budget;
    private final FailureReplies failures;
    private final Exports exports;
    private final boolean autoExport;

    /** @param autoExport export (render and deliver) each new generation without being asked */
    public AfterTurn(NemoBackend backend, Recovery recovery, TurnBudget budget, FailureReplies failures, Exports exports,
                     boolean autoExport) {
        this.backend = backend;
        this.recovery = recovery;
        this.budget = budget;
        this.failures = failures;
        this.exports = exports;
        this.autoExport = autoExport;
    }

    /**
     * After the turn {@code o}, started on the budget's {@code day}; {@code ack} takes the first thing said.
     * {@code generated} is told of a generation before its export is asked for, with the project's state when it was
     * read (else null).
     */
    void follow(UserSession s, Replier to, TurnOutcome o, LocalDate day, Ack ack, Consumer<SessionState> generated) {
        Messages m = to.messages();
        budget.spend(to.user().key(), day, o.generation(), !o.tools().isEmpty());
        if (s.cancellation().isCancelled() || o.end() == TurnEnd.CANCELLED) {
            return;
        }
        if (o.end() == TurnEnd.STOPPED || o.end() == TurnEnd.CALL_TIMEOUT) {
            ack.say(m.timedOut(), Action.STATUS);
            return;
        }
        if (o.errorCode().isPresent()) {
            ack.say("2001".equals(o.errorCode().get()) ? failures.noCredits(m, s, Optional.empty()) : m.turnFailed());
            return;
        }
        SessionState state = null;
        boolean generation = o.generation();
        if (o.end() == TurnEnd.STREAM_LOST) {
            Recovery.Recovered r = recovery.recover(s, to, o.generation(), o.heard(), o.clipsBefore());
            if (r == null) {
                return;
            }
            state = r.state();
            if (!r.moved()) {
                // nothing of the turn arrived and the project did not change: no false "Done.", no resend; what the
                // project holds, and the buttons to go on
                String summary = TimelineSummary.summarize(state.draft().orElse(null), to.lang());
                if (Drafts.exportable(state)) {
                    ack.say(m.answerLost(summary), Action.EXPORT, Action.STATUS);
                } else {
                    ack.say(m.answerLost(summary), Action.STATUS);
                }
                return;
            }
            generation = r.generated();
        }
        Set<Followup> followups = o.followups();
        if (o.end() == TurnEnd.STREAM_LOST && generation && !followups.contains(Followup.EXPORT)) {
            // the answer that would have pointed to the export was lost with the stream: offered all the same
            followups = EnumSet.of(Followup.EXPORT, followups.toArray(Followup[]::new));
        }
        boolean wantExport = autoExport && (generation || followups.contains(Followup.EXPORT));
        if (state == null && (o.silent() || wantExport || !followups.isEmpty())) {
            state = generation ? recovery.settle(s) : s.state(backend);
            if (state == null) {
                return;
            }
        }
        if (generation) {
            generated.accept(state);
        }
        String summary = state == null ? "" : TimelineSummary.summarize(state.draft().orElse(null), to.lang());
        if (o.silent()) {
            ack.say(summary.isBlank() && o.end() != TurnEnd.STREAM_LOST ? m.done("") : m.done(summary));
        }
        for (Followup f : followups) {
            switch (f) {
                case TIMELINE -> {
                    if (!o.silent()) {
                        ack.say(summary.isBlank() ? m.emptyProject() : summary);
                    }
                }
                case CREDITS -> ack.say(budget.balance(s, to));
                case UPLOAD -> ack.say(m.uploadHelp());
                case DESCRIBE_EDIT -> ack.say(m.describeEdit());
                case EXPORT -> {
                    if (!autoExport && state != null && Drafts.exportable(state)) {
                        ack.say(m.exportHint(), Action.EXPORT);
                    }
                }
            }
        }
        if (wantExport && state != null && Drafts.exportable(state) && !Drafts.processing(state)
                && !s.cancellation().isCancelled()) {
            exports.request(s, to, true);
        }
    }
}
