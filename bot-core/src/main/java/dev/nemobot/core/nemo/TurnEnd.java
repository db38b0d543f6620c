package dev.nemobot.core.nemo;

/** How a {@code /run_sse} turn ended. */
public enum TurnEnd {
    /** The stream closed normally: the turn is over. */
    COMPLETED,
    /** The listener asked to stop (e.g. 10 minutes of heartbeats only). */
    STOPPED,
    /** {@link Cancellation#cancel()} was called. */
    CANCELLED,
    /** The 15-minute cap on one call was reached. */
    CALL_TIMEOUT,
    /** The stream dropped and 3 reconnects failed: poll the session state instead. */
    STREAM_LOST
}
