package dev.nemobot.core.store;

/** The durable store failed (disk, database); the message never contains a token. */
public final class StoreException extends RuntimeException {
    private final boolean keyRefused;

    public StoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private StoreException(String message, Throwable cause, boolean keyRefused) {
        super(message, cause);
        this.keyRefused = keyRefused;
    }

    /** The store's key is malformed, or is not the key the store was written with: the configuration is wrong. */
    static StoreException keyRefused(String message, Throwable cause) {
        return new StoreException(message, cause, true);
    }

    /**
     * True when the start was refused because of the key ({@code BOT_SECRET_KEY} or the key file): malformed, or not
     * the one the store was written with. Nothing was written to the store then.
     */
    public boolean keyRefused() {
        return keyRefused;
    }
}
