package dev.nemobot.core.export;

import dev.nemobot.config.NemoSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * When to ask for an export's status next. {@link #fixed} is the published guide's schedule (every
 * {@code interval}); {@link #adaptive} predicts the completion from the progress figure and the time elapsed and
 * polls just after it, never closer than {@code interval / 15}. Without a progress figure it waits at most
 * {@code interval}; for a predicted completion at most twice that, so a long render is not polled every
 * {@code interval} only to learn what the prediction already said (renders of 1-3 intervals: 2.25 polls where the
 * fixed schedule makes 2.5, and 2 s of delay instead of 15). A wrong progress figure costs at most two intervals
 * of delay. Immutable, thread-safe.
 */
abstract sealed class PollSchedule {
    final Duration interval;

    private PollSchedule(Duration interval) {
        this.interval = Objects.requireNonNull(interval, "interval");
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("interval must be positive, was " + interval);
        }
    }

    /** The schedule {@code settings} ask for. */
    public static PollSchedule of(NemoSettings settings) {
        return settings.pollMode() == NemoSettings.PollMode.FIXED ? fixed(settings.renderPoll())
                : adaptive(settings.renderPoll());
    }

    public static PollSchedule fixed(Duration interval) {
        return new Fixed(interval);
    }

    public static PollSchedule adaptive(Duration interval) {
        return new Adaptive(interval);
    }

    /**
     * The wait before the next poll.
     *
     * @param elapsed  time since the job was submitted
     * @param progress the last progress figure (0-100), if the backend gave one
     */
    public abstract Duration next(Duration elapsed, OptionalInt progress);

    /**
     * The time left until the render completes, as the adaptive schedule predicts it (linear progress: the rest
     * takes {@code (100 - p) / p} of the time so far); empty without a usable progress figure. Shown to the user
     * whichever schedule polls.
     */
    public static Optional<Duration> remaining(Duration elapsed, OptionalInt progress) {
        int p = progress.orElse(0);
        if (p <= 0 || p >= 100 || elapsed.isNegative() || elapsed.isZero()) {
            return Optional.empty();
        }
        double left = elapsed.toNanos() * (100.0 - p) / p;
        return Optional.of(Duration.ofNanos((long) Math.min(Long.MAX_VALUE / 4.0, left)));
    }

    private static final class Fixed extends PollSchedule {
        Fixed(Duration interval) {
            super(interval);
        }

        @Override
        public Duration next(Duration elapsed, OptionalInt progress) {
            return interval;
        }
    }

    private static final class Adaptive extends PollSchedule {
        private final Duration min;
        private final Duration margin;

        Adaptive(Duration interval) {
            super(interval);
            this.min = interval.dividedBy(15);
            this.margin = interval.dividedBy(30);
        }

        @Override
        public Duration next(Duration elapsed, OptionalInt progress) {
            long elapsedNanos = Math.max(0, elapsed.toNanos());
            int p = progress.orElse(0);
            if (p <= 0 || p >= 100) {
                // no rate to go by (just submitted, or still pending): first look at half the fixed interval, then
                // back off geometrically up to the whole of it
                return clamp(Math.max(elapsedNanos, interval.toNanos() / 2));
            }
            // linear progress: the rest takes (100 - p) / p of the time so far; a whole-number percentage is
            // rounded down, so this lands a little after the completion, and the margin covers a stall
            double remaining = elapsedNanos * (100.0 - p) / p;
            long predicted = (long) Math.min(Long.MAX_VALUE / 4.0, remaining) + margin.toNanos();
            return Duration.ofNanos(Math.max(min.toNanos(), Math.min(2 * interval.toNanos(), predicted)));
        }

        private Duration clamp(long nanos) {
            return Duration.ofNanos(Math.max(min.toNanos(), Math.min(interval.toNanos(), nanos)));
        }
    }
}
