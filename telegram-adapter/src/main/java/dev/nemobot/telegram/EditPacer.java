package dev.nemobot.telegram;

import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.EditGate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Keeps edits in one chat at least {@link Tuning#editInterval()} apart, whatever the engine does: each edit reserves
 * the chat's next slot in the engine's {@link EditGate} (one of its own, on a monotonic clock) and the calling thread
 * waits for it. An edit overtaken by a newer edit of the same message while it waited is dropped (the newer text is
 * the one worth showing). Bounded: remembers the most recent chats and messages only. Thread-safe.
 */
final class EditPacer {
    private final EditGate slots;
    private final Tuning.Sleeper sleeper;
    private final Lru<String, AtomicLong> generations = new Lru<>(10_000);

    EditPacer(Duration interval, LongSupplier nanoTime, Tuning.Sleeper sleeper) {
        this.slots = new EditGate(new NanoClock(nanoTime), interval);
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
        Duration wait = slots.reserve(new Conversation(TelegramPlatform.NAME, chatId, false));
        if (wait.isPositive()) {
            sleeper.sleep(wait);
        }
        return generation.get() == mine;
    }

    /** {@code nanoTime} as a clock: slots are not moved by changes to the wall clock. */
    private static final class NanoClock extends Clock {
        private final LongSupplier nanoTime;

        NanoClock(LongSupplier nanoTime) {
            this.nanoTime = nanoTime;
        }

        @Override
        public Instant instant() {
            return Instant.EPOCH.plusNanos(nanoTime.getAsLong());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
