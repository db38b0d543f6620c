package dev.nemobot.core.conversation;

import dev.nemobot.core.backend.TurnEnd;
import dev.nemobot.core.text.Followup;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * How a turn went, for what the engine does next.
 *
 * @param end        how the stream ended
 * @param shownText  the (translated) text the user saw, "" for a silent turn
 * @param followups  what the backend's interface talk asked for
 * @param generation true when the backend ran a generation tool in this turn
 * @param errorCode  an in-stream error that came before any text (its code, or "error")
 * @param tools      the names of the tools the backend called in this turn (what it cost depends on them)
 * @param heard      true when at least one event of the turn arrived; false when the stream was lost before any,
 *                   so nothing is known of what the backend is doing
 * @param clipsBefore the finished clips the session held before the turn, as last seen (empty when unknown): a
 *                   lost stream's recovery takes a count above it for a generation
 */
record TurnOutcome(TurnEnd end, String shownText, Set<Followup> followups, boolean generation,
                   Optional<String> errorCode, Set<String> tools, boolean heard, OptionalInt clipsBefore) {
    public TurnOutcome {
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(shownText, "shownText");
        followups = Set.copyOf(followups);
        Objects.requireNonNull(errorCode, "errorCode");
        tools = Set.copyOf(tools);
        Objects.requireNonNull(clipsBefore, "clipsBefore");
    }

    public boolean silent() {
        return shownText.isBlank();
    }
}
