package dev.nemobot.telegram;

import java.util.concurrent.ThreadLocalRandom;
import org.telegram.telegrambots.longpolling.interfaces.BackOff;

/**
 * The pause after a failed getUpdates: 0.5 s doubling to 30 s, with jitter, for as long as the outage lasts.
 * (TelegramBots' default waits 15 minutes per attempt once an outage has lasted 15 minutes, which leaves the bot deaf
 * long after the network is back.) Used by the single polling thread only.
 */
final class PollBackOff implements BackOff {
    private static final long FIRST_MILLIS = 500;
    private static final long MAX_MILLIS = 30_000;

    private long next = FIRST_MILLIS;

    @Override
    public void reset() {
        next = FIRST_MILLIS;
    }

    @Override
    public long nextBackOffMillis() {
        long base = next;
        next = Math.min(MAX_MILLIS, next * 2);
        return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }
}
