package dev.nemobot.core.conversation;

import dev.nemobot.core.backend.Drafts;
import dev.nemobot.core.backend.NemoBackend;
import dev.nemobot.core.backend.NemoException;
import dev.nemobot.core.backend.SessionState;
import dev.nemobot.core.backend.UploadedFile;
import dev.nemobot.core.chat.Command;
import dev.nemobot.core.identity.UserSession;
import dev.nemobot.core.store.Results;
import dev.nemobot.core.store.StoredResult;
import dev.nemobot.core.text.Messages;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A turn from the user's words to what follows it: admitted ({@link TurnAdmission}), streamed into the
 * acknowledgement ({@link TurnRunner}), then followed up ({@link AfterTurn}). Also the quick edits under a delivered
 * video, which send the request behind that video again. Thread-safe.
 */
final class TurnFlow {
    private static final Logger log = LoggerFactory.getLogger(TurnFlow.class);
    /** Result ids: 12 characters of this alphabet (60 random bits), short enough for any button's data. */
    private static final char[] ID_CHARS = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();
    private static final int ID_LENGTH = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TurnRunner runner;
    private final TurnAdmission admission;
    private final TurnBudget budget;
    private final AfterTurn after;
    private final NemoBackend backend;
    /**
     * The request behind each generation, with its image's reference, for the "Again" and "Longer" buttons under
     * the video delivered from it: kept in the store, so they work after a restart, after /new and on another
     * instance, until pruned ({@link Results#KEEP}).
     */
    private final Results results;
    private final Clock clock;

    public TurnFlow(TurnRunner runner, TurnAdmission admission, TurnBudget budget, AfterTurn after,
                    NemoBackend backend, Results results, Clock clock) {
        this.runner = runner;
        this.admission = admission;
        this.budget = budget;
        this.after = after;
        this.backend = backend;
        this.results = results;
        this.clock = clock;
    }

    /** A fresh result id. */
    static String newResultId() {
        char[] id = new char[ID_LENGTH];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_CHARS[RANDOM.nextInt(ID_CHARS.length)];
        }
        return new String(id);
    }

    /** True when the user's daily budget allows a turn; else they are told when it renews. */
    boolean allowed(Replier to) {
        return budget.allows(to);
    }

    /** True when the user's daily budget allows all {@code takes} turns of a batch; else they are told how many fit. */
    boolean allowed(Replier to, int takes) {
        return budget.allows(to, takes);
    }

    /**
     * Runs a turn once admitted, and what follows it. {@code request} is the user's own request behind {@code text}
     * (they differ for "Again" and "Longer"): a generation's is remembered for those buttons.
     */
    void turn(UserSession s, Replier to, String text, String request, Keepalive k, Ack ack) {
        admission.run(s, to, ack, () -> {
            // said at once; the answer streams into the same message
            ack.show(to.messages().working());
            run(s, to, text, request, k, ack);
        });
    }

    private void run(UserSession s, Replier to, String text, String request, Keepalive k, Ack ack) {
        LocalDate day = budget.today();
        TurnOutcome o = runner.run(s, to, text, k, ack.live());
        if (!o.silent()) {
            ack.consume(); // the answer took the acknowledgement's place
        }
        AtomicBoolean kept = new AtomicBoolean();
        try {
            // kept before its export is asked for, so the video's buttons find it
            after.follow(s, to, o, day, ack, state -> kept.set(keep(s, to, request, state)));
        } finally {
            ack.close(to.messages().stopped());
        }
        if (o.generation() && !kept.get()) {
            keep(s, to, request, null);
        }
    }

    /**
     * Keeps the request behind a generation (and where its image is, from {@code state}, read here when null), for
     * the buttons under its video.
     */
    private boolean keep(UserSession s, Replier to, String request, SessionState state) {
        Optional<String> image = Optional.empty();
        try {
            List<UploadedFile> uploads = (state != null ? state : s.state(backend)).project().uploads();
            image = uploads.reversed().stream().flatMap(u -> u.imageUrl().stream()).findFirst().map(URI::toString);
        } catch (NemoException e) {
            // the buttons still work in this project; after /new they cannot bring the image along
            log.info("the project's image could not be read for its buttons: {}", e.getClass().getSimpleName());
        }
        try {
            results.save(new StoredResult(newResultId(), to.user().key(), s.identity().sessionId(), request, image,
                    clock.instant()));
        } catch (RuntimeException e) {
            log.warn("the request behind a result could not be kept: {}", e.toString());
        }
        return true;
    }

    /**
     * The buttons under a delivered video: "Again" and "Longer" send the request behind that video
     * ({@code resultId}, or else the current project's newest) again as a new take (longer), "Add music" asks for
     * background music in the current project; each is a follow-up prompt. A result from an earlier project brings
     * its image into the current one first. A result whose request is no longer kept (pruned, unknown), and "Add
     * music" in an empty project, get a polite answer and cost nothing.
     */
    void quickEdit(UserSession s, Replier to, Command kind, Optional<String> resultId, Keepalive k) {
        Messages m = to.messages();
        if (kind == Command.MUSIC) {
            if (!Drafts.exportable(s.state(backend))) {
                to.sayPrivately(m.nothingToEdit());
                return;
            }
            if (allowed(to)) {
                to.pressTaken(m.pressMusic());
                String prompt = QuickEdits.addMusic();
                turn(s, to, prompt, prompt, k, new Ack(to));
            }
            return;
        }
        String sid = s.identity().sessionId();
        String user = to.user().key();
        Optional<StoredResult> kept = resultId.isPresent() ? results.find(user, resultId.get())
                : results.latest(user, sid);
        // a stale button is the presser's own business: a pop-up, not a message in the group
        if (kept.isEmpty()) {
            to.sayPrivately(resultId.isPresent() ? m.resultGone(Results.KEEP.toDays()) : m.staleButton());
            return;
        }
        StoredResult r = kept.get();
        boolean elsewhere = !r.sessionId().equals(sid);
        if (elsewhere && r.imageRef().isEmpty()) {
            to.sayPrivately(m.staleButton());
            return;
        }
        if (!allowed(to)) {
            return;
        }
        to.pressTaken(kind == Command.AGAIN ? m.pressAgain() : m.pressLonger());
        if (elsewhere) {
            // made in an earlier project: the backend fetches its image again into the current one
            URI image = URI.create(r.imageRef().get());
            s.call((token, id) -> backend.uploadUrl(token, id, image));
        }
        String prompt = kind == Command.AGAIN ? QuickEdits.again(r.prompt()) : QuickEdits.longer(r.prompt());
        turn(s, to, prompt, r.prompt(), k, new Ack(to));
    }
}
