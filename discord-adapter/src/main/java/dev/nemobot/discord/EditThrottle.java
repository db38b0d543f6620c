package dev.nemobot.discord;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps message edits to about one per interval per channel. An edit inside the window is parked; a later edit
 * of the same message replaces it (only the newest text matters for a progress message) and one flush runs
 * when the window opens. Thread-safe. Edits run on the caller's thread when allowed at once, else on the
 * {@link Scheduler}'s thread; they must not block for long (they queue REST calls).
 */
final class EditThrottle {

    /** Runs a task after a delay; the production one is a {@code ScheduledExecutorService}. */
    @FunctionalInterface
    interface Scheduler {
        void schedule(Runnable task, Duration delay);
    }

    private static final int MAX_IDLE_CHANNELS = 1024;

    private final Clock clock;
    private final Duration interval;
    private final Scheduler scheduler;
    private final Map<String, Channel> channels = new HashMap<>();

    private static final class Channel {
        Instant nextAllowed = Instant.MIN;
        boolean flushScheduled;
        final LinkedHashMap<String, Runnable> parked = new LinkedHashMap<>();
    }

    EditThrottle(Clock clock, Duration interval, Scheduler scheduler) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /** Runs {@code edit} of {@code messageId} in {@code channelId} now, or parks it until the window opens. */
    void submit(String channelId, String messageId, Runnable edit) {
        boolean runNow = false;
        Duration wait = null;
        synchronized (this) {
            Instant now = clock.instant();
            if (channels.size() > MAX_IDLE_CHANNELS) {
                // forget channels whose window has passed: the map stays bounded by the channels being edited now
                channels.values().removeIf(c -> c.parked.isEmpty() && !now.isBefore(c.nextAllowed));
            }
            Channel channel = channels.computeIfAbsent(channelId, id -> new Channel());
            if (channel.parked.isEmpty() && !now.isBefore(channel.nextAllowed)) {
                channel.nextAllowed = now.plus(interval);
                runNow = true;
            } else {
                channel.parked.remove(messageId);
                channel.parked.put(messageId, edit);
                if (!channel.flushScheduled) {
                    channel.flushScheduled = true;
                    wait = Duration.between(now, channel.nextAllowed);
                    wait = wait.isNegative() ? Duration.ZERO : wait;
                }
            }
        }
        if (runNow) {
            edit.run();
        } else if (wait != null) {
            scheduler.schedule(() -> flush(channelId), wait);
        }
    }

    private void flush(String channelId) {
        Runnable edit;
        Duration wait = null;
        synchronized (this) {
            Channel channel = channels.get(channelId);
            if (channel == null || channel.parked.isEmpty()) {
                return;
            }
            Iterator<Runnable> it = channel.parked.values().iterator();
            edit = it.next();
            it.remove();
            channel.nextAllowed = clock.instant().plus(interval);
            if (channel.parked.isEmpty()) {
                channel.flushScheduled = false;
            } else {
                wait = interval;
            }
        }
        try {
            edit.run();
        } finally {
            if (wait != null) {
                scheduler.schedule(() -> flush(channelId), wait);
            }
        }
    }
}
