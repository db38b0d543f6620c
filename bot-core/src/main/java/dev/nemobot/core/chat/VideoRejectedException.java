package dev.nemobot.core.chat;

/**
 * The platform would not take the video as a file (too large, or the upload failed for good); send the link.
 * {@link #tooLarge()} and {@link #mayStillAppear()} say why, so the user is told why they get a link.
 */
public final class VideoRejectedException extends RuntimeException {
    private final boolean tooLarge;
    private final boolean mayStillAppear;

    /** A refusal or failure for another reason than the size. */
    public VideoRejectedException(String reason, Throwable cause) {
        this(reason, false, cause);
    }

    /** @param tooLarge true when the video is over the platform's size limit */
    public VideoRejectedException(String reason, boolean tooLarge, Throwable cause) {
        this(reason, tooLarge, false, cause);
    }

    private VideoRejectedException(String reason, boolean tooLarge, boolean mayStillAppear, Throwable cause) {
        super(reason, cause);
        this.tooLarge = tooLarge;
        this.mayStillAppear = mayStillAppear;
    }

    /**
     * The upload went out but its answer never came (it timed out, or the connection was lost): the platform may
     * still post the video. It is not sent again; the link is, saying so.
     */
    public static VideoRejectedException unanswered(String reason, Throwable cause) {
        return new VideoRejectedException(reason, false, true, cause);
    }

    /** True when the platform refused the video for its size. */
    public boolean tooLarge() {
        return tooLarge;
    }

    /** True when the upload may have arrived after all (see {@link #unanswered}). */
    public boolean mayStillAppear() {
        return mayStillAppear;
    }
}
