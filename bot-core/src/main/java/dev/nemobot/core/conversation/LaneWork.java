package dev.nemobot.core.conversation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.nemobot.core.work.Cancellation;
import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Attachment;
import dev.nemobot.core.chat.kit.ClockTicker;
import dev.nemobot.core.chat.Command;
import dev.nemobot.core.identity.Identity;
import dev.nemobot.core.identity.UserSession;
import dev.nemobot.core.chat.options.OptionParser;
import dev.nemobot.core.chat.options.OptionTexts;
import dev.nemobot.core.chat.options.VideoOptions;
import dev.nemobot.core.text.Messages;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * The work that runs in the user's lane, one at a time: a turn, an upload (and its caption's turn), a quick edit,
 * a new project, an export waiting behind them. Each shows "typing…" while it runs and tells the user when it
 * fails, unless they cancelled it. Called on the lane's virtual thread. Thread-safe.
 */
public final class LaneWork {
    static final int LANGUAGE_NOTES_MAX = 20_000;

    private final Sessions sessions;
    private final ActivityIndicator typing;
    private final TurnFlow turns;
    private final UploadFlow uploads;
    private final Exports exports;
    private final OptionDefaults defaults;
    /**
     * The sessions whose user was told that the agent keeps the project's language, with the language they were
     * told in: once per session and language. In memory, bounded (forgotten after a quiet month on the engine's
     * clock): after a restart a user may be told once more.
     */
    private final Cache<String, Boolean> languageNotes;

    LaneWork(Sessions sessions, ActivityIndicator typing, TurnFlow turns, UploadFlow uploads, Exports exports,
             OptionDefaults defaults, Clock clock) {
        this.defaults = defaults;
        this.sessions = sessions;
        this.typing = typing;
        this.turns = turns;
        this.uploads = uploads;
        this.exports = exports;
        this.languageNotes = Caffeine.newBuilder().maximumSize(LANGUAGE_NOTES_MAX)
                .expireAfterAccess(Duration.ofDays(30)).ticker(ClockTicker.of(clock)).executor(Runnable::run).build();
    }

    /** What runs once the user's session and the typing indicator are there. */
    @FunctionalInterface
    private interface Work {
        void run(UserSession s, Keepalive k);
    }

    private void inLane(Replier to, Cancellation cancellation, Work work) {
        UserSession s = sessions.session(to, cancellation);
        try (Keepalive k = typing.start(to)) {
            work.run(s, k);
        } catch (RuntimeException e) {
            if (!cancellation.isCancelled()) {
                sessions.fail(s, to, e);
            }
        }
    }

    /**
     * A backend session keeps the language it was created in (the contract has no call to change it). A user whose
     * language is no longer the project's (they switched their app's language, or the project predates sessions in
     * their language) keeps the project, and is told once, in their language, that its agent keeps answering in
     * the project's language and that /new starts a project in theirs. Only where the work needs the identity
     * anyway (it may create it).
     */
    private void noteProjectLanguage(UserSession s, Replier to) {
        Identity id = s.identity();
        if (id.language().equals(s.language())) {
            return;
        }
        if (firstLanguageNote(id.sessionId(), s.language())) {
            to.say(to.messages().projectLanguage(id.language()));
        }
    }

    /** Forgets that the user of session {@code sessionId} was told about its language (their /forget). */
    void forgetSession(String sessionId) {
        languageNotes.asMap().keySet().removeIf(k -> k.startsWith(sessionId + " "));
    }

    /** True when the session's user was not told in {@code language} within the last month (now they are). */
    boolean firstLanguageNote(String sessionId, String language) {
        return languageNotes.asMap().putIfAbsent(sessionId + " " + language, Boolean.TRUE) == null;
    }

    /**
     * The user's words as a turn, within their daily budget, with the video options they asked for (over their
     * defaults) said to the agent in the project's language.
     */
    public void turn(Replier to, Cancellation cancellation, OptionParser.Parsed parsed) {
        inLane(to, cancellation, (s, k) -> {
            if (turns.allowed(to)) {
                noteProjectLanguage(s, to);
                String request = request(s, to, parsed);
                turns.turn(s, to, request, request, k, new Ack(to));
            }
        });
    }

    /**
     * What the agent is sent: the prompt, and the options that apply (the request's own over the user's defaults)
     * in the project's language.
     */
    private String request(UserSession s, Replier to, OptionParser.Parsed parsed) {
        VideoOptions applied = parsed.over(defaults.of(to.user().key()));
        return applied.isEmpty() ? parsed.prompt()
                : OptionTexts.ofSession(s.identity().language()).instruction(parsed.prompt(), applied);
    }

    /**
     * Uploads the files; then the caption, if any, runs as a turn in the acknowledgement's place, with the video
     * options asked for (a caption of options alone asks to animate the image).
     */
    public void upload(Replier to, Cancellation cancellation, List<Attachment> files, OptionParser.Parsed parsed) {
        String caption = parsed.prompt();
        VideoOptions options = parsed.options();
        inLane(to, cancellation, (s, k) -> {
            Ack ack = new Ack(to);
            boolean requestFollows = !caption.isBlank() || !options.isEmpty();
            Optional<String> uploaded = uploads.upload(s, to, files, requestFollows, ack);
            if (uploaded.isPresent()) {
                noteProjectLanguage(s, to); // not before: a refused file creates no identity
            }
            if (uploaded.isPresent() && requestFollows) {
                if (!cancellation.isCancelled() && turns.allowed(to)) {
                    String request = request(s, to, parsed);
                    turns.turn(s, to, request, request, k, ack.consumed() ? new Ack(to) : ack);
                } else {
                    ack.close(to.messages().uploaded(uploaded.get())); // "Uploading…" does not stay
                }
            }
        });
    }

    /**
     * Several images with one request, each its own take of the request (with its video options), one after the other in the order sent:
     * the daily budget is asked for all of them before anything is spent; one acknowledgement says how many takes
     * run and, above what it shows, which one runs now; each take uploads its image, runs the request and waits for
     * its video (delivered by the export in a message of its own, answering the request, with its own buttons)
     * before the next take changes the project. {@code takesLeft} is told how many takes are still to run (the
     * user's queue counts them).
     */
    public void batch(Replier to, Cancellation cancellation, List<Attachment> images, OptionParser.Parsed parsed,
                      IntConsumer takesLeft) {
        inLane(to, cancellation, (s, k) -> {
            int n = images.size();
            if (!turns.allowed(to, n)) {
                return;
            }
            Messages m = to.messages();
            String head = m.batchAck(n);
            LiveMessage ack = to.live().withButtons(Action.CANCEL);
            ack.placeholder(head);
            String sid = null;
            for (int i = 0; i < n && !cancellation.isCancelled(); i++) {
                if (sid != null) {
                    exports.awaitIdle(sid, cancellation); // the previous take's video first
                    if (cancellation.isCancelled()) {
                        break;
                    }
                }
                ack.heading(head + "\n" + m.batchTake(i + 1, n));
                Ack take = new Ack(to, ack);
                Optional<String> uploaded = uploads.upload(s, to, List.of(images.get(i)), true, take);
                if (uploaded.isPresent()) {
                    sid = s.identity().sessionId();
                    noteProjectLanguage(s, to);
                    if (cancellation.isCancelled() || !turns.allowed(to)) {
                        break;
                    }
                    String request = request(s, to, parsed);
                    turns.turn(s, to, request, request, k, take);
                }
                takesLeft.accept(n - i - 1);
            }
            if (sid != null) {
                exports.awaitIdle(sid, cancellation);
            }
            ack.heading("");
            ack.finish(cancellation.isCancelled() ? head + "\n" + m.stopped() : m.batchDone(n));
        });
    }

    /** A button under a delivered video, or its command typed: {@code kind} is /again, /longer or /music. */
    public void quickEdit(Replier to, Cancellation cancellation, Command kind, Optional<String> resultId) {
        inLane(to, cancellation, (s, k) -> {
            noteProjectLanguage(s, to);
            turns.quickEdit(s, to, kind, resultId, k);
        });
    }

    /** /new: a new, empty project. */
    public void newSession(Replier to, Cancellation cancellation) {
        inLane(to, cancellation, (s, k) -> {
            s.identity();
            s.renewSession();
            to.say(to.messages().newSession());
        });
    }

    /** An export asked for while the user's turn ran: after it. */
    public void export(Replier to, Cancellation cancellation) {
        inLane(to, cancellation, (s, k) -> exports.request(s, to, false));
    }
}
