package dev.nemobot.core.backend;

/**
 * A finished video was not downloaded, or not kept, because the backend's answer pointed where videos may not come
 * from or what came was not a video that may be sent: not https, another origin, an internal address, not an MP4 or
 * MOV (a video that is only too large is {@link VideoTooLarge}). Final: the client does not try elsewhere. The
 * message names the reason and at most a host, never a URL (it may carry a signature) or a token.
 */
public final class DownloadRefused extends RuntimeException {
    DownloadRefused(String message) {
        super(message, null, false, false);
    }
}
