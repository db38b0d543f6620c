package dev.nemobot.simulator;

/** How the backend is unreachable during an outage ({@link Faults#outage}). */
public enum Outage {
    /** Nothing listens: every new connection is refused, as when the backend's process is down. */
    REFUSE,
    /** A gateway in front answers every request with HTTP 503 and an HTML page, as during a failed deploy. */
    HTTP_503
}
