package dev.nemobot.core.chat;

/**
 * The platform would not take the video as a file (too large, or the upload failed for good); send the link.
 * {@link #tooLarge()} says which, so the user is told why they get a link.
 */
public final class VideoRejectedException extends RuntimeException {
    private final boolean tooLarge;

    /** A refusal or failure for another reason than the size. */
    public VideoRejectedException(String reason, Throwable cause) {
        this(reason, false, cause);
    }

    /** @param tooLarge true when the video is over the platform's size limit */
    public VideoRejectedException(String reason, boolean tooLarge, Throwable cause) {
        super(reason, cause);
        this.tooLarge = tooLarge;
    }

    /** True when the platform refused the video for its size. */
    public boolean tooLarge() {
        return tooLarge;
    }
}
