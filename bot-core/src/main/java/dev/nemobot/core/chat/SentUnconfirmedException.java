package dev.nemobot.core.chat;

/**
 * The platform took the message (it answered that the send succeeded) but its answer could not be read: the message
 * is out, though its reference is unknown (it cannot be edited). Not a failure: it must not be sent again, nor
 * replaced by a fallback (a video's link).
 */
public final class SentUnconfirmedException extends RuntimeException {
    public SentUnconfirmedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
