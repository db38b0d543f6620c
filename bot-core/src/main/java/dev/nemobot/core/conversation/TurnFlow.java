package dev.nemobot.core.conversation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.nemobot.core.backend.Drafts;
import dev.nemobot.core.backend.NemoBackend;
import dev.nemobot.core.identity.UserSession;
import dev.nemobot.core.text.Messages;
import java.time.Duration;
import java.time.LocalDate;

/**
 * A turn from the user's words to what follows it: admitted ({@link TurnAdmission}), streamed into the
 * acknowledgement ({@link TurnRunner}), then followed up ({@link AfterTurn}). Also the quick edits under a delivered
 * video, which send the session's last generation request again. Thread-safe.
 */
public final class TurnFlow {
    static final int LAST_PROMPTS_MAX = 20_000;

    private final TurnRunner runner;
    private final TurnAdmission admission;
    private final TurnBudget budget;
    private final AfterTurn after;
    private final NemoBackend backend;
    /**
     * The request of each session's last generation, for the "Again" and "Longer" buttons under its video. Kept in
     * memory, bounded: after a restart (or for an older project) the buttons get a polite answer instead.
     */
    private final Cache<String, String> lastPrompts = Caffeine.newBuilder().maximumSize(LAST_PROMPTS_MAX)
            .expireAfterAccess(Duration.ofDays(2)).build();

    public TurnFlow(TurnRunner runner, TurnAdmission admission, TurnBudget budget, AfterTurn after,
                    NemoBackend backend) {
        this.runner = runner;
        this.admission = admission;
        this.budget = budget;
        this.after = after;
        this.backend = backend;
    }

    /** True when the user's daily budget allows a turn; else they are told when it renews. */
    boolean allowed(Replier to) {
        return budget.allows(to);
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
        try {
            after.follow(s, to, o, day, ack);
        } finally {
            ack.close(to.messages().stopped());
        }
        if (o.generation()) {
            lastPrompts.put(s.identity().sessionId(), request);
        }
    }

    /**
     * The buttons under a delivered video: "Again" and "Longer" send the session's last generation request again as
     * a new take (longer), "Add music" asks for background music; each is a follow-up prompt in the same session.
     * A button from an earlier project (the request is not known for this session, or the project is empty) gets a
     * polite answer and costs nothing.
     */
    void quickEdit(UserSession s, Replier to, QuickEdits.Kind kind, Keepalive k) {
        Messages m = to.messages();
        String sid = s.identity().sessionId();
        String request = lastPrompts.getIfPresent(sid);
        // a stale button is the presser's own business: a pop-up, not a message in the group
        if (kind != QuickEdits.Kind.ADD_MUSIC && request == null) {
            to.sayPrivately(m.staleButton());
            return;
        }
        if (kind == QuickEdits.Kind.ADD_MUSIC && !Drafts.exportable(s.call(backend::state))) {
            to.sayPrivately(m.nothingToEdit());
            return;
        }
        if (!allowed(to)) {
            return;
        }
        to.pressTaken(switch (kind) {
            case AGAIN -> m.pressAgain();
            case LONGER -> m.pressLonger();
            case ADD_MUSIC -> m.pressMusic();
        });
        String prompt = switch (kind) {
            case AGAIN -> QuickEdits.again(request);
            case LONGER -> QuickEdits.longer(request);
            case ADD_MUSIC -> QuickEdits.addMusic();
        };
        turn(s, to, prompt, request == null ? prompt : request, k, new Ack(to));
    }
}
