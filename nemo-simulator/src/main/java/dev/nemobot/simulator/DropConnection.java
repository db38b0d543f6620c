package dev.nemobot.simulator;

/**
 * Thrown out of a handler to make the JDK server close the socket at once, without a clean end of the response
 * (the server closes the connection when a handler throws before the exchange is finished).
 */
final class DropConnection extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DropConnection(String why) {
        super(why, null, false, false);
    }
}
