package dev.nemobot.core.store;

/** The durable store failed (disk, database); the message never contains a token. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
