package dev.nemobot.core.chat;

/** Where an adapter hands incoming messages. {@link #accept} returns at once: the work runs elsewhere. */
@FunctionalInterface
public interface Inbox {
    void accept(Incoming message);

    /**
     * A button press whose command is {@code message}'s text (or a press the adapter cannot take: then {@code message}
     * carries its refusal). Returns at once. The engine answers {@code press} after its access and rate checks, and
     * anything it says about the press itself (refusals, "Making another take…") goes there, privately; this default,
     * for inboxes that do not answer presses, ends the press without a word and hands on the message.
     */
    default void press(Incoming message, ButtonPress press) {
        press.answer("");
        accept(message);
    }
}
