package dev.nemobot.core.intake;

import dev.nemobot.core.work.Cancellation;
import dev.nemobot.core.conversation.Forget;
import dev.nemobot.core.conversation.InstantCommands;
import dev.nemobot.core.conversation.LaneWork;
import dev.nemobot.core.conversation.LogContext;
import dev.nemobot.core.conversation.Replier;
import dev.nemobot.core.conversation.VideoHistory;
import dev.nemobot.core.lane.LaneRunner;
import dev.nemobot.core.lane.ShortTasks;
import dev.nemobot.core.chat.options.OptionException;
import dev.nemobot.core.chat.options.OptionParser;
import dev.nemobot.core.chat.options.VideoOptions;
import dev.nemobot.core.text.Messages;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Hands a routed message on, as its intent's entry in {@link #handlers} says: quick reads (help, credits, status,
 * cancel, joining an export, /forget's question, the history of results) at once, on a virtual thread of their own
 * ({@link InstantCommands}, {@link VideoHistory}, {@link Forget}); turns, uploads, /new, the quick edits and the
 * erasure /forget's button asks for to the user's lane ({@link LaneRunner}), which runs them one at a time through
 * {@link LaneWork}. Each is first claimed ({@code claim}), and dropped when another instance handled the message.
 * What waits in a lane is told in one {@link QueueNotes note} per user. Never blocks. Thread-safe.
 */
final class IntentHandlers {
    private final LaneRunner lanes;
    private final LaneWork work;
    private final InstantCommands commands;
    private final ShortTasks tasks;
    private final QueueNotes notes;
    private final VideoHistory history;
    private final Forget forget;
    /** The one table from intent to handler: what each does, at once or in the user's lane. */
    private final Map<Intent, Handler> handlers;

    public IntentHandlers(LaneRunner lanes, LaneWork work, InstantCommands commands, VideoHistory history, Forget forget,
                   ShortTasks tasks) {
        this.lanes = lanes;
        this.work = work;
        this.commands = commands;
        this.history = history;
        this.forget = forget;
        this.tasks = tasks;
        this.notes = new QueueNotes(lanes, tasks);
        this.handlers = handlers();
        EnumSet<Intent> missing = EnumSet.complementOf(EnumSet.copyOf(handlers.keySet()));
        if (!missing.isEmpty()) {
            throw new IllegalStateException("no handler for " + missing);
        }
    }

    /** Work done at once, on a virtual thread of its own, after the claim. */
    @FunctionalInterface
    private interface Now {
        void run(Route.Do d, Replier to);
    }

    /** Work done in the user's lane, behind (and one at a time with) their other work. */
    @FunctionalInterface
    private interface InLane {
        void run(Route.Do d, Replier to, Cancellation cancellation);
    }

    /**
     * What an intent does. {@code now} runs at once; without it the intent goes straight to the user's lane.
     * {@code inLane} runs in the user's lane: straight away, or when {@code now} sends it there ({@link #toLane}).
     * {@code note} is what a pressed button's pop-up says when the action starts (said once, where it starts: in
     * {@code now} when there is one); null for an action that answers the press itself.
     */
    private record Handler(Function<Messages, String> note, Now now, InLane inLane) {
        Handler {
            if (now == null && inLane == null) {
                throw new IllegalArgumentException("a handler does something");
            }
        }

        /** Answered at once; the pop-up says nothing. */
        static Handler now(Now now) {
            return new Handler(m -> "", now, null);
        }

        /** Run in the user's lane. */
        static Handler inLane(Function<Messages, String> note, InLane inLane) {
            return new Handler(note, null, inLane);
        }
    }

    private Map<Intent, Handler> handlers() {
        Map<Intent, Handler> t = new EnumMap<>(Intent.class);
        t.put(Intent.START, Handler.now((d, to) -> commands.start(to)));
        t.put(Intent.HELP, Handler.now((d, to) -> commands.help(to)));
        t.put(Intent.UNKNOWN_COMMAND, Handler.now((d, to) -> commands.unknownCommand(to, d.command())));
        t.put(Intent.UPLOAD_HELP, Handler.now((d, to) -> commands.uploadHelp(to)));
        t.put(Intent.CREDITS, Handler.now((d, to) -> commands.credits(to)));
        t.put(Intent.STATUS, new Handler(Messages::pressStatus, (d, to) -> commands.status(to), null));
        t.put(Intent.SETTINGS, Handler.now((d, to) -> commands.settings(to, d.command())));
        // a page of the history answers its press itself, turning the list in place
        t.put(Intent.VIDEOS, new Handler(null,
                (d, to) -> history.show(to, d.command().isEmpty() ? 1 : Integer.parseInt(d.command())), null));
        t.put(Intent.CANCEL, new Handler(Messages::pressCancel, (d, to) -> {
            commands.cancel(to);
            notes.cancelled(to.user().key());
        }, null));
        // joins a running export, or waits behind the user's running turn, which may change what is exported
        t.put(Intent.EXPORT, new Handler(Messages::pressExport, (d, to) -> {
            if (!commands.export(to)) {
                toLane(d, to);
            }
        }, (d, to, c) -> work.export(to, c)));
        t.put(Intent.NEW_SESSION, Handler.inLane(Messages::pressNew, (d, to, c) -> work.newSession(to, c)));
        // the quick edits, each a backend turn, say theirs once they know the button is not stale
        InLane quickEdit = (d, to, c) -> work.quickEdit(to, c, d.intent().command().orElseThrow(),
                d.command().isEmpty() ? Optional.empty() : Optional.of(d.command()));
        t.put(Intent.AGAIN, Handler.inLane(null, quickEdit));
        t.put(Intent.LONGER, Handler.inLane(null, quickEdit));
        t.put(Intent.ADD_MUSIC, Handler.inLane(null, quickEdit));
        t.put(Intent.FORGET, Handler.now((d, to) -> forget.ask(to)));
        t.put(Intent.KEEP, Handler.now((d, to) -> forget.keep(to)));
        // the user's work stops, then the erasure runs in their lane once it has ended
        t.put(Intent.ERASE, new Handler(Messages::pressErase, (d, to) -> {
            if (forget.stop(to)) {
                notes.cancelled(to.user().key());
                toLane(d, to);
            }
        }, (d, to, c) -> forget.erase(to)));
        return t;
    }

    /** Hands on {@code route} (not {@link Route.Nothing}) once {@code claim} says this instance handles it. */
    void handOn(Route route, Replier to, BooleanSupplier claim) {
        switch (route) {
            case Route.Nothing n -> {
            }
            case Route.Do d when handlers.get(d.intent()).now() == null ->
                    lanes.enqueue(to.user().key(), new LaneJob(route, null, to, new Cancellation(), claim));
            case Route.Do d -> tasks.spawn(() -> {
                try (LogContext c = LogContext.of(to)) {
                    if (claim.getAsBoolean()) {
                        Handler h = handlers.get(d.intent());
                        if (h.note() != null) {
                            to.pressTaken(h.note().apply(to.messages()));
                        }
                        h.now().run(d, to);
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
        }
    }

    /** True when {@code intent} has a handler: every one has ({@link IntentHandlers}'s constructor checks it). */
    boolean handles(Intent intent) {
        return handlers.containsKey(intent);
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

    /** Queues {@code route}'s lane step behind the user's work; it was claimed already. */
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
                    Handler h = route instanceof Route.Do d ? handlers.get(d.intent()) : null;
                    if (h == null) {
                        to.pressTaken("");
                    } else if (h.now() == null && h.note() != null) {
                        // the action starts here; one that started at once said its note then
                        to.pressTaken(h.note().apply(to.messages()));
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
                case Route.Do d -> handlers.get(d.intent()).inLane().run(d, to, cancellation);
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
