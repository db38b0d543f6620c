package dev.nemobot.core.conversation;

import dev.nemobot.core.work.Pause;
import dev.nemobot.core.identity.UserSession;
import dev.nemobot.core.metrics.EngineMetrics;
import dev.nemobot.core.store.TurnClaims;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * What a turn passes before it runs: a place among the turns running at once ({@link TurnSlots}: BOT_MAX_TURNS,
 * with its line BOT_MAX_WAITING_TURNS), then the user's claim in the shared store. The claim records the turn as
 * running while it does: if the bot stops before it ends (a crash, or a shutdown that had to cut it), the next start
 * tells the user and shows the state instead of sending it again; and while another instance runs one of the
 * user's turns, this one waits. Thread-safe.
 */
final class TurnAdmission {
    /** How often a turn waiting for another instance to finish the same user's turn looks again. */
    private static final Duration TURN_CLAIM_RETRY = Duration.ofMillis(500);

    private final TurnSlots slots;
    private final TurnClaims claims;
    private final Clock clock;
    private final Pause pause;
    private final EngineMetrics metrics;
    private final BooleanSupplier closing;

    /** @param closing true once the engine is closing: a turn it cut off stays recorded, to be told about */
    public TurnAdmission(TurnSlots slots, TurnClaims claims, Clock clock, Pause pause, EngineMetrics metrics,
                         BooleanSupplier closing) {
        this.slots = slots;
        this.claims = claims;
        this.clock = clock;
        this.pause = pause;
        this.metrics = metrics;
        this.closing = closing;
    }

    /**
     * Runs {@code turn} once admitted; when it is not (the line is full, or it was cancelled while waiting), the
     * acknowledgement ends saying so.
     */
    void run(UserSession s, Replier to, Ack ack, Runnable turn) {
        TurnSlots.Entry entry = slots.enter(s.cancellation(), place -> to.say(to.messages().inLine(place)));
        switch (entry) {
            case TurnSlots.Full f -> {
                metrics.refused("turns_full");
                ack.say(to.messages().lineFull()); // in place of "Uploading…" when a caption's turn is refused
            }
            case TurnSlots.Cancelled c -> ack.close(to.messages().stopped());
            case TurnSlots.Slot slot -> {
                try (slot) {
                    claimed(s, to, ack, turn);
                }
            }
        }
    }

    private void claimed(UserSession s, Replier to, Ack ack, Runnable turn) {
        String turnId = UUID.randomUUID().toString();
        if (!claim(s, to, turnId)) {
            ack.close(to.messages().stopped());
            return;
        }
        boolean ended = false;
        try {
            turn.run();
            ended = !s.cancellation().isCancelled();
        } finally {
            // a turn the user cancelled is over; one the shutdown cut off is told about at the next start
            if (ended || !closing.getAsBoolean()) {
                claims.end(to.user().key(), turnId);
            }
        }
    }

    /** Claims the user's turn; while another instance holds it, says so once and waits. False when cancelled. */
    private boolean claim(UserSession s, Replier to, String turnId) {
        boolean told = false;
        while (!claims.claim(to.user(), to.conversation(), clock.instant(), turnId)) {
            if (!told) {
                told = true;
                to.say(to.messages().queued(1));
            }
            if (!pause.sleep(TURN_CLAIM_RETRY, s.cancellation())) {
                return false;
            }
        }
        return true;
    }
}
