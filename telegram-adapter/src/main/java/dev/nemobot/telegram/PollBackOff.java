package dev.nemobot.telegram;

import java.util.concurrent.ThreadLocalRandom;
import org.telegram.telegrambots.longpolling.interfaces.BackOff;

/**
 * The pause after a failed getUpdates: 0.5 s doubling to 30 s, with jitter, for as long as the outage lasts.
 * (TelegramBots' default waits 15 minutes per attempt once an outage has lasted 15 minutes, which leaves the bot deaf
 * long after the network is back.) Used by the single polling thread only, which TelegramBots tells of every
 * answered getUpdates ({@link #reset}) and every failed one ({@link #nextBackOffMillis}): {@link #receiving} is
 * read from any thread.
 */
final class PollBackOff implements BackOff {
    private static final long FIRST_MILLIS = 500;
    private static final long MAX_MILLIS = 30_000;

    private long next = FIRST_MILLIS;
    private volatile boolean failing;

    @Override
    public void reset() {
        next = FIRST_MILLIS;
        failing = false;
    }

    /** False from a failed getUpdates until one is answered again. */
    boolean receiving() {
        return !failing;
    }

    @Override
    public long nextBackOffMillis() {
        failing = true;
        long base = next;
        next = Math.min(MAX_MILLIS, next * 2);
        return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }
}
