package dev.nemobot.core.chat;

/** A button under a reply. Pressing it is the same as sending {@link #command()}. */
public enum Action {
    EXPORT("/export"),
    STATUS("/status"),
    NEW("/new"),
    CANCEL("/cancel");

    private final String command;

    Action(String command) {
        this.command = command;
    }

    public String command() {
        return command;
    }
}
