package dev.nemobot.core.backend;

import dev.nemobot.core.work.Cancellation;

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
    /**
     * The stream dropped and 3 reconnects failed, or it could not be resumed at all (it dropped before its first event
     * id, or the request got no answer after it may have reached the server): the server may still be running the
     * turn, and sending it again could charge twice. Poll the session state instead.
     */
    STREAM_LOST
}
