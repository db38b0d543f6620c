package dev.nemobot.core.intake;

import dev.nemobot.core.backend.Cancellation;
import dev.nemobot.core.conversation.Forget;
import dev.nemobot.core.conversation.InstantCommands;
import dev.nemobot.core.conversation.LaneWork;
import dev.nemobot.core.conversation.LogContext;
import dev.nemobot.core.conversation.QuickEdits;
import dev.nemobot.core.conversation.Replier;
import dev.nemobot.core.lane.LaneRunner;
import dev.nemobot.core.lane.Tasks;
import dev.nemobot.core.text.Messages;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Hands a routed message on: quick reads (help, credits, status, cancel, joining an export, /forget's question) to the
 * {@link InstantCommands} at once, on a virtual thread of their own; turns, uploads, /new, the quick edits and the
 * erasure /forget's button asks for ({@link Forget}) to the user's lane ({@link LaneRunner}), which runs them one at a time through {@link LaneWork}. Each is first claimed
 * ({@code claim}), and dropped when another instance handled the message. What waits in a lane is told in one
 * {@link QueueNotes note} per user. Never blocks. Thread-safe.
 */
public final class Handoff {
    private final LaneRunner lanes;
    private final LaneWork work;
    private final InstantCommands commands;
    private final Tasks tasks;
    private final QueueNotes notes;
    private final Forget forget;

    public Handoff(LaneRunner lanes, LaneWork work, InstantCommands commands, Forget forget, Tasks tasks) {
        this.lanes = lanes;
        this.work = work;
        this.commands = commands;
        this.forget = forget;
        this.tasks = tasks;
        this.notes = new QueueNotes(lanes, tasks);
    }

    /** Hands on {@code route} (not {@link Route.Nothing}) once {@code claim} says this instance handles it. */
    void handOn(Route route, Replier to, BooleanSupplier claim) {
        switch (route) {
            case Route.Nothing n -> {
            }
            case Route.Do d when !laneWork(d.intent()) -> tasks.spawn(() -> {
                try (LogContext c = LogContext.of(to)) {
                    if (claim.getAsBoolean()) {
                        to.pressTaken(note(d.intent(), to));
                        instant(d, to);
                    }
                } finally {
                    to.pressDone();
                }
            });
            default -> lanes.enqueue(to.user().key(), new LaneJob(route, to, new Cancellation(), claim));
        }
    }

    /** Intents that run in the user's lane: a new project, and the quick edits (each a backend turn). */
    private static boolean laneWork(Intent intent) {
        return intent == Intent.NEW_SESSION || quickEdit(intent) != null;
    }

    /** The quick edit a button asks for; null for other intents. */
    private static QuickEdits.Kind quickEdit(Intent intent) {
        return switch (intent) {
            case AGAIN -> QuickEdits.Kind.AGAIN;
            case LONGER -> QuickEdits.Kind.LONGER;
            case ADD_MUSIC -> QuickEdits.Kind.ADD_MUSIC;
            default -> null;
        };
    }

    /**
     * What the pop-up of a pressed button says when its action starts; "" for intents no button asks for. The quick
     * edits say theirs in {@link LaneWork}, once they know the button is not stale.
     */
    private static String note(Intent intent, Replier to) {
        Messages m = to.messages();
        return switch (intent) {
            case EXPORT -> m.pressExport();
            case STATUS -> m.pressStatus();
            case CANCEL -> m.pressCancel();
            case NEW_SESSION -> m.pressNew();
            case ERASE -> m.pressErase();
            default -> "";
        };
    }

    private void instant(Route.Do d, Replier to) {
        switch (d.intent()) {
            case START -> commands.start(to);
            case HELP -> commands.help(to);
            case UNKNOWN_COMMAND -> commands.unknownCommand(to, d.command());
            case UPLOAD_HELP -> commands.uploadHelp(to);
            case CREDITS -> commands.credits(to);
            case STATUS -> commands.status(to);
            case CANCEL -> {
                commands.cancel(to);
                notes.cancelled(to.user().key());
            }
            // behind the user's running turn, which may change what is exported
            case EXPORT -> commands.export(to, () -> toLane(new Route.Do(Intent.EXPORT), to));
            case NEW_SESSION, AGAIN, LONGER, ADD_MUSIC -> toLane(d, to);
            case FORGET -> forget.ask(to);
            case KEEP -> forget.keep(to);
            // the user's work stops, then the erasure runs in their lane once it has ended
            case ERASE -> {
                if (forget.stop(to)) {
                    notes.cancelled(to.user().key());
                    toLane(d, to);
                }
            }
        }
    }

    private void toLane(Route route, Replier to) {
        lanes.enqueue(to.user().key(), new LaneJob(route, to, new Cancellation(), () -> true));
    }

    /**
     * A message waiting for, or running in, its user's lane; {@code claim} is asked first (in the lane, so a user's
     * messages keep their order) and the job is dropped when it says no (another instance handled the message).
     */
    private final class LaneJob implements LaneRunner.Job {
        private final Route route;
        private final Replier to;
        private final Cancellation cancellation;
        private final BooleanSupplier claim;

        LaneJob(Route route, Replier to, Cancellation cancellation, BooleanSupplier claim) {
            this.route = route;
            this.to = to;
            this.cancellation = cancellation;
            this.claim = claim;
        }

        @Override
        public Cancellation cancellation() {
            return cancellation;
        }

        @Override
        public void run() {
            notes.started(to.user().key());
            try (LogContext c = LogContext.of(to)) {
                if (claim.getAsBoolean()) {
                    // the quick edits say theirs once they know the button is not stale; an erasure said it already
                    if (!(route instanceof Route.Do d && (quickEdit(d.intent()) != null || d.intent() == Intent.ERASE))) {
                        to.pressTaken(note(route instanceof Route.Do d ? d.intent() : Intent.HELP, to));
                    }
                    runInLane();
                }
            } finally {
                to.pressDone(); // a press nothing answered (dropped, failed) ends without a word
            }
        }

        private void runInLane() {
            switch (route) {
                case Route.Turn t -> work.turn(to, cancellation, t.text());
                case Route.Upload u -> work.upload(to, cancellation, u.files(), u.caption());
                case Route.Do d when quickEdit(d.intent()) != null ->
                        work.quickEdit(to, cancellation, quickEdit(d.intent()),
                                d.command().isEmpty() ? Optional.empty() : Optional.of(d.command()));
                case Route.Do d when d.intent() == Intent.NEW_SESSION -> work.newSession(to, cancellation);
                case Route.Do d when d.intent() == Intent.EXPORT -> work.export(to, cancellation);
                case Route.Do d when d.intent() == Intent.ERASE -> forget.erase(to);
                case Route.Do d -> instant(d, to);
                case Route.Nothing n -> {
                }
            }
        }

        @Override
        public void queued(int position) {
            if (route instanceof Route.Do d && d.intent() == Intent.ERASE) {
                return; // behind the work it stopped, which is ending: the press said "Erasing…" already
            }
            if (to.answersPress()) {
                to.sayPrivately(to.messages().queued(position)); // the presser's pop-up or private note
            } else {
                notes.queued(to); // one note per user, edited as the queue changes, not a message per queued one
            }
        }

        @Override
        public void refused() {
            to.sayPrivately(to.messages().busy());
        }
    }
}
