package dev.nemobot.core.backend;

/**
 * Receives what a {@code /run_sse} turn streams. Called on the thread running
 * {@link NemoBackend#runTurn}, in stream order.
 */
public interface TurnListener {

    /** An ADK event: text (partial or whole), function call or response, or an error event. */
    void onEvent(AdkEvent event);

    /**
     * A heartbeat (empty {@code data:}, a comment line, or {@code event: heartbeat}).
     *
     * @return false to stop waiting; the turn then ends as {@link TurnEnd#STOPPED}
     */
    default boolean onHeartbeat() {
        return true;
    }

    /** The stream dropped; reconnecting with {@code Last-Event-ID}, attempt 1..3. */
    default void onReconnecting(int attempt) {
    }
}
