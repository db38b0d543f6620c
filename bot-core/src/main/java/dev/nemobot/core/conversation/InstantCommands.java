package dev.nemobot.core.conversation;

import dev.nemobot.core.work.Cancellation;
import dev.nemobot.core.backend.Drafts;
import dev.nemobot.core.backend.NemoBackend;
import dev.nemobot.core.backend.SessionState;
import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Activity;
import dev.nemobot.core.chat.kit.FileNames;
import dev.nemobot.core.identity.Identities;
import dev.nemobot.core.identity.UserSession;
import dev.nemobot.core.lane.LaneRunner;
import dev.nemobot.core.chat.options.OptionException;
import dev.nemobot.core.chat.options.OptionParser;
import dev.nemobot.core.chat.options.OptionTexts;
import dev.nemobot.core.chat.options.VideoOptions;
import dev.nemobot.core.text.Messages;
import dev.nemobot.core.text.TimelineSummary;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The commands answered at once, beside the user's lane (they never wait behind a running turn): /start, help,
 * credits, status, cancel, and an export (joining one that runs). Called on a virtual thread; a failure is told to
 * the user. Thread-safe.
 */
public final class InstantCommands {
    private final Sessions sessions;
    private final NemoBackend backend;
    private final TurnBudget budget;
    private final LaneRunner lanes;
    private final Exports exports;
    private final Identities identities;
    private final OptionDefaults defaults;

    InstantCommands(Sessions sessions, NemoBackend backend, TurnBudget budget, LaneRunner lanes,
                    Exports exports, Identities identities, OptionDefaults defaults) {
        this.defaults = defaults;
        this.sessions = sessions;
        this.backend = backend;
        this.budget = budget;
        this.lanes = lanes;
        this.exports = exports;
        this.identities = identities;
    }

    /** A command's answer, given the user's session. */
    @FunctionalInterface
    private interface Answer {
        void run(UserSession s);
    }

    /** {@code waits}: the answer waits on the backend, so "typing…" acknowledges it at once. */
    private void answer(Replier to, boolean waits, Answer answer) {
        UserSession s = sessions.session(to, new Cancellation());
        if (waits) {
            to.activity(Activity.TYPING);
        }
        try {
            answer.run(s);
        } catch (RuntimeException e) {
            sessions.fail(s, to, e);
        }
    }

    /** /start: welcome, and the user's identity made ready. */
    public void start(Replier to) {
        answer(to, true, s -> {
            to.say(to.messages().welcome());
            s.identity();
            to.say(to.messages().ready());
        });
    }

    public void help(Replier to) {
        answer(to, false, s -> to.say(to.messages().help()));
    }

    /** A command the bot does not know, as typed. */
    public void unknownCommand(Replier to, String command) {
        answer(to, false, s -> to.say(to.messages().unknownCommand(command)));
    }

    public void uploadHelp(Replier to) {
        answer(to, false, s -> to.say(to.messages().uploadHelp()));
    }

    /** The balance, and under a daily budget what is left of the user's. */
    public void credits(Replier to) {
        answer(to, true, s -> to.say(budget.balance(s, to)));
    }

    /** What the project holds (or which uploads wait), whether something is being made, and the export button. */
    public void status(Replier to) {
        answer(to, true, s -> {
            Messages m = to.messages();
            SessionState state = s.state(backend);
            String summary = TimelineSummary.summarize(state.draft().orElse(null), to.lang());
            List<String> uploads = Drafts.uploadNames(state);
            String text = !summary.isBlank() ? summary
                    : uploads.isEmpty() ? m.emptyProject()
                    : m.uploadWaiting(String.join(", ", uploads.stream().map(FileNames::forDisplay).toList()));
            if (Drafts.processing(state)) {
                text += "\n" + m.generating();
            }
            VideoOptions own = defaults.of(to.user().key());
            if (!own.isEmpty()) {
                text += "\n" + m.statusOptions(OptionTexts.of(to.lang()).summary(own));
            }
            if (Drafts.exportable(state)) {
                to.say(text, Action.EXPORT);
            } else {
                to.say(text);
            }
        });
    }

    /**
     * /settings: shows the user's default video options; {@code /settings --ar 9:16 --quality 720p} changes them
     * ({@code --ar default} forgets one), {@code /settings clear} forgets them all. Kept in the store: every instance
     * and every restart sees them. A value out of range is refused with the allowed ones, and nothing is changed.
     */
    public void settings(Replier to, String change) {
        answer(to, false, s -> {
            Messages m = to.messages();
            OptionTexts words = OptionTexts.of(to.lang());
            String key = to.user().key();
            String a = change == null ? "" : change.strip();
            if (a.equalsIgnoreCase("clear") || a.equalsIgnoreCase("reset")) {
                defaults.clear(key);
                to.say(m.settingsCleared(), Action.OPTIONS);
                return;
            }
            if (a.isEmpty()) {
                VideoOptions now = defaults.of(key);
                to.say(now.isEmpty() ? m.settingsNone() : m.settings(words.lines(now)), Action.OPTIONS);
                return;
            }
            OptionParser.Parsed parsed;
            try {
                // "ar 9:16" works as well as "--ar 9:16"
                parsed = OptionParser.parse(a.startsWith("-") || a.startsWith("—") || a.startsWith("–") ? a : "--" + a);
            } catch (OptionException e) {
                to.say(m.optionRefused(e));
                return;
            }
            VideoOptions now = defaults.change(key, parsed.options(), parsed.cleared());
            to.say(now.isEmpty() ? m.settingsCleared() : m.settingsSaved(words.lines(now)), Action.OPTIONS);
        });
    }

    /** Stops the user's running work and drops what waits in their lane, and their export running here. */
    public void cancel(Replier to) {
        answer(to, false, s -> {
            String key = to.user().key();
            LaneRunner.Cancelled c = lanes.cancel(key);
            boolean export = identities.currentSessionId(key).map(exports::cancel).orElse(false);
            if (!c.wasRunning() && c.dropped() == 0 && !export) {
                to.say(to.messages().nothingToCancel());
            } else {
                to.say(to.messages().cancelled(c.dropped()), Action.STATUS);
            }
        });
    }

    /**
     * An export: joins the session's export when one runs, starts one when the user's lane is idle.
     *
     * @return false when it is for the caller to queue behind the user's running turn (which may change the project)
     */
    public boolean export(Replier to) {
        AtomicBoolean behindTurn = new AtomicBoolean();
        answer(to, true, s -> {
            if (exports.running(s.identity().sessionId()) || !lanes.busy(to.user().key())) {
                exports.request(s, to, false);
            } else {
                behindTurn.set(true);
            }
        });
        return !behindTurn.get();
    }
}
