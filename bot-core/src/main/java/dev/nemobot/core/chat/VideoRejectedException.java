package dev.nemobot.core.chat;

/** The platform would not take the video as a file (too large, or the upload failed for good); send the link. */
public final class VideoRejectedException extends RuntimeException {
    public VideoRejectedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
