package dev.nemobot.core.chat;

import java.util.Locale;

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

    /** The button's label in the user's language: the catalogue's {@code action.<name in lower case>}. */
    public String label(Locale locale) {
        return Catalogue.of(locale).text("action." + name().toLowerCase(Locale.ROOT));
    }
}
