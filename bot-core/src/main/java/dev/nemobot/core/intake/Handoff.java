package dev.nemobot.core.intake;

import dev.nemobot.core.backend.Cancellation;
import dev.nemobot.core.conversation.Forget;
import dev.nemobot.core.conversation.InstantCommands;
import dev.nemobot.core.conversation.LaneWork;
import dev.nemobot.core.conversation.LogContext;
import dev.nemobot.core.conversation.QuickEdits;
import dev.nemobot.core.conversation.Replier;
import dev.nemobot.core.conversation.VideoHistory;
import dev.nemobot.core.lane.LaneRunner;
import dev.nemobot.core.lane.Tasks;
import dev.nemobot.core.chat.options.OptionException;
import dev.nemobot.core.chat.options.OptionParser;
import dev.nemobot.core.chat.options.VideoOptions;
import dev.nemobot.core.text.Messages;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Hands a routed message on: quick reads (help, credits, status, cancel, joining an export, /forget's question) to the
 * {@link InstantCommands}, and the history of results to the {@link VideoHistory}, at once, on a virtual thread of
 * their own; turns, uploads, /new, the quick edits and the erasure /forget's button asks for ({@link Forget}) to the
 * user's lane ({@link LaneRunner}), which runs them one at a time through {@link LaneWork}. Each is first claimed
 * ({@code claim}), and dropped when another instance handled the message. What waits in a lane is told in one
 * {@link QueueNotes note} per user. Never blocks. Thread-safe.
 */
public final class Handoff {
    private final LaneRunner lanes;
    private final LaneWork work;
    private final InstantCommands commands;
    private final Tasks tasks;
    private final QueueNotes notes;
    private final VideoHistory history;
    private final Forget forget;

    public Handoff(LaneRunner lanes, LaneWork work, InstantCommands commands, VideoHistory history, Forget forget,
                   Tasks tasks) {
        this.lanes = lanes;
        this.work = work;
        this.commands = commands;
        this.history = history;
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
                        if (d.intent() != Intent.VIDEOS) {
                            to.pressTaken(note(d.intent(), to)); // a page of the history answers its press itself
                        }
                        instant(d, to);
                    }
                } finally {
                    to.pressDone();
                }
            });
            case Route.Turn t -> withOptions(t.text(), to, claim, parsed ->
                    lanes.enqueue(to.user().key(), new LaneJob(route, parsed, to, new Cancellation(), claim)));
            case Route.Upload u -> withOptions(u.caption(), to, claim, parsed ->
                    lanes.enqueue(to.user().key(), new LaneJob(route, parsed, to, new Cancellation(), claim)));
            case Route.Batch b -> withOptions(b.caption(), to, claim, parsed ->
                    lanes.enqueue(to.user().key(), new LaneJob(route, parsed, to, new Cancellation(), claim)));
            default -> lanes.enqueue(to.user().key(), new LaneJob(route, null, to, new Cancellation(), claim));
        }
    }

    /**
     * Reads the option flags of a request ({@code --ar 9:16 --duration 8}) and hands it on with them; a flag that
     * cannot be used is refused at once, with the values it takes, before anything reaches the backend or the lane.
     */
    private void withOptions(String text, Replier to, BooleanSupplier claim,
                             java.util.function.Consumer<OptionParser.Parsed> next) {
        OptionParser.Parsed parsed;
        try {
            parsed = OptionParser.parse(text);
        } catch (OptionException e) {
            tasks.spawn(() -> {
                try (LogContext c = LogContext.of(to)) {
                    if (claim.getAsBoolean()) {
                        to.say(to.messages().optionRefused(e));
                    }
                } finally {
                    to.pressDone();
                }
            });
            return;
        }
        next.accept(parsed);
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
            case SETTINGS -> commands.settings(to, d.command());
            case VIDEOS -> history.show(to, d.command().isEmpty() ? 1 : Integer.parseInt(d.command()));
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
        lanes.enqueue(to.user().key(), new LaneJob(route, null, to, new Cancellation(), () -> true));
    }

    /**
     * A message waiting for, or running in, its user's lane; {@code claim} is asked first (in the lane, so a user's
     * messages keep their order) and the job is dropped when it says no (another instance handled the message).
     */
    private final class LaneJob implements LaneRunner.Job {
        private final Route route;
        /** A turn's or upload's prompt and options, read from its text; null for other routes. */
        private final OptionParser.Parsed parsed;
        private final Replier to;
        private final Cancellation cancellation;
        private final BooleanSupplier claim;
        /** The places this job takes in its lane: a batch's takes still to run, else 1. */
        private volatile int places;

        LaneJob(Route route, OptionParser.Parsed parsed, Replier to, Cancellation cancellation,
                BooleanSupplier claim) {
            this.route = route;
            this.parsed = parsed;
            this.to = to;
            this.cancellation = cancellation;
            this.claim = claim;
            this.places = route instanceof Route.Batch b ? b.images().size() : 1;
        }

        @Override
        public int places() {
            return places;
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
                case Route.Turn t -> work.turn(to, cancellation, parsed(t.text()));
                case Route.Upload u -> work.upload(to, cancellation, u.files(), parsed(u.caption()));
                case Route.Batch b -> work.batch(to, cancellation, b.images(), parsed(b.caption()),
                        left -> places = Math.max(1, left));
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

        private OptionParser.Parsed parsed(String text) {
            return parsed != null ? parsed : new OptionParser.Parsed(text, VideoOptions.NONE);
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
        public void refused(int room) {
            // a batch that does not fit whole: nothing of it is kept, and the user is told how many would fit
            to.sayPrivately(places > 1 && room > 0 ? to.messages().batchQueue(places, room) : to.messages().busy());
        }
    }
}
