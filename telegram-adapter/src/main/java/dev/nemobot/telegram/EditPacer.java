package dev.nemobot.telegram;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Keeps edits in one chat at least {@link Tuning#editInterval()} apart, whatever the engine does: each edit reserves
 * the chat's next slot and the calling thread waits for it. An edit overtaken by a newer edit of the same message
 * while it waited is dropped (the newer text is the one worth showing). Bounded: remembers the most recent chats
 * and messages only. Thread-safe.
 */
final class EditPacer {
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final Tuning.Sleeper sleeper;
    private final Lru<String, long[]> nextSlot = new Lru<>(10_000);
    private final Lru<String, AtomicLong> generations = new Lru<>(10_000);

    EditPacer(Duration interval, LongSupplier nanoTime, Tuning.Sleeper sleeper) {
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    /**
     * Waits for the chat's next edit slot.
     *
     * @return false when a newer edit of the same message arrived meanwhile, so this one should be skipped
     * @throws InterruptedException if the wait was interrupted
     */
    boolean awaitSlot(String chatId, String messageId) throws InterruptedException {
        AtomicLong generation = generations.computeIfAbsent(chatId + "/" + messageId, k -> new AtomicLong());
        long mine = generation.incrementAndGet();
        long[] slot = nextSlot.computeIfAbsent(chatId, k -> new long[] {Long.MIN_VALUE});
        long waitNanos;
        synchronized (slot) {
            long now = nanoTime.getAsLong();
            long at = slot[0] == Long.MIN_VALUE ? now : Math.max(now, slot[0]);
            slot[0] = at + intervalNanos;
            waitNanos = at - now;
        }
        if (waitNanos > 0) {
            sleeper.sleep(Duration.ofNanos(waitNanos));
        }
        return generation.get() == mine;
    }
}
