package dev.nemobot.core.backend;

import java.util.OptionalLong;

/**
 * A finished video is larger than the chats it is for take: it was not downloaded (the answer announced its size), or
 * its reading stopped at the limit (it announced none). The caller sends its link instead. The message names sizes
 * only, never a URL or a token.
 */
public final class VideoTooLarge extends RuntimeException {
    private final long announced;

    /** @param announced the size the answer announced, or -1 when it announced none */
    public VideoTooLarge(long announced, long limit) {
        super((announced >= 0 ? "the video is announced as " + announced + " bytes" : "the video is larger than "
                + limit + " bytes") + ", over the limit of " + limit, null, false, false);
        this.announced = announced;
    }

    /** The size the answer announced, when it did. */
    public OptionalLong announcedBytes() {
        return announced >= 0 ? OptionalLong.of(announced) : OptionalLong.empty();
    }
}
