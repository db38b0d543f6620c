package dev.nemobot.core.chat;

/** Where an adapter hands incoming messages. {@link #accept} returns at once: the work runs elsewhere. */
@FunctionalInterface
public interface Inbox {
    void accept(Incoming message);
}
