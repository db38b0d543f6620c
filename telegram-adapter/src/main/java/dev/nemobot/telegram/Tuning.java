package dev.nemobot.telegram;

import java.time.Duration;
import java.util.Objects;

/**
 * The adapter's timings, in one place so tests can shrink them. Production uses {@link #defaults()}.
 *
 * @param pollTimeoutSeconds the long-poll timeout sent with getUpdates
 * @param editInterval       a private chat's budget: one message or edit per interval; a group's: 20 per 60 intervals
 *                           (Telegram allows about one a second in a chat and 20 a minute in a group)
 * @param floodWaitCap       the most one call waits out 429 answers in total before it gives up
 * @param videoAttempts      how often an upload is tried before the engine is told to send the link instead
 * @param retryBackoff       the pause before the second upload attempt (doubled for each further one)
 * @param sleeper            how the adapter waits (on the engine's thread that called it)
 * @param webhookLimits      the webhook server's bounds on slow clients
 * @param uploadTimeout      how long an upload waits for the server's answer once the video is sent (a self-hosted
 *                           server answers only after passing it on to Telegram); past it the video may still be
 *                           posted, so it is never sent again
 * @param albums             how long the photos of an album are waited for ({@link Albums})
 */
record Tuning(int pollTimeoutSeconds, Duration editInterval, Duration floodWaitCap, int videoAttempts,
              Duration retryBackoff, Sleeper sleeper, WebhookServer.Limits webhookLimits, Duration uploadTimeout,
              Albums.Window albums) {
    /** Ample for 2000 MB passed on by a self-hosted server. */
    static final Duration DEFAULT_UPLOAD_TIMEOUT = Duration.ofMinutes(10);

    Tuning {
        if (pollTimeoutSeconds < 0 || pollTimeoutSeconds > 120) {
            throw new IllegalArgumentException("pollTimeoutSeconds must be within 0..120, was " + pollTimeoutSeconds);
        }
        requirePositive(editInterval, "editInterval");
        requirePositive(floodWaitCap, "floodWaitCap");
        requirePositive(retryBackoff, "retryBackoff");
        requirePositive(uploadTimeout, "uploadTimeout");
        if (videoAttempts < 1) {
            throw new IllegalArgumentException("videoAttempts must be at least 1, was " + videoAttempts);
        }
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(webhookLimits, "webhookLimits");
        Objects.requireNonNull(albums, "albums");
    }

    /** With the webhook server's default limits. */
    Tuning(int pollTimeoutSeconds, Duration editInterval, Duration floodWaitCap, int videoAttempts,
           Duration retryBackoff, Sleeper sleeper) {
        this(pollTimeoutSeconds, editInterval, floodWaitCap, videoAttempts, retryBackoff, sleeper,
                WebhookServer.Limits.DEFAULT, DEFAULT_UPLOAD_TIMEOUT, Albums.Window.DEFAULT);
    }

    static Tuning defaults() {
        return new Tuning(50, Duration.ofSeconds(1), Duration.ofSeconds(60), 3, Duration.ofSeconds(2),
                Sleeper.REAL);
    }

    Tuning withSleeper(Sleeper s) {
        return new Tuning(pollTimeoutSeconds, editInterval, floodWaitCap, videoAttempts, retryBackoff, s,
                webhookLimits, uploadTimeout, albums);
    }

    Tuning withWebhookLimits(WebhookServer.Limits limits) {
        return new Tuning(pollTimeoutSeconds, editInterval, floodWaitCap, videoAttempts, retryBackoff, sleeper,
                limits, uploadTimeout, albums);
    }

    Tuning withUploadTimeout(Duration timeout) {
        return new Tuning(pollTimeoutSeconds, editInterval, floodWaitCap, videoAttempts, retryBackoff, sleeper,
                webhookLimits, timeout, albums);
    }

    Tuning withAlbums(Albums.Window window) {
        return new Tuning(pollTimeoutSeconds, editInterval, floodWaitCap, videoAttempts, retryBackoff, sleeper,
                webhookLimits, uploadTimeout, window);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }

    /** Waits. The real one sleeps the calling (virtual) thread; tests may record instead. */
    @FunctionalInterface
    interface Sleeper {
        Sleeper REAL = d -> Thread.sleep(d);

        void sleep(Duration d) throws InterruptedException;
    }
}
