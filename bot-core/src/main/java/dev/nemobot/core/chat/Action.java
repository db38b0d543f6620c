package dev.nemobot.core.chat;

import java.util.Locale;

/**
 * A button under a reply. Pressing it is the same as sending {@link #command()}: the commands are short and fixed,
 * so a button carries no state (well inside Telegram's 64-byte callback data and Discord's 100-character custom
 * id) and keeps working after a restart; one pressed under an older project gets a polite answer from the engine.
 */
public enum Action {
    EXPORT("/export"),
    STATUS("/status"),
    NEW("/new"),
    CANCEL("/cancel"),
    /** The same image and request again: a new take. */
    AGAIN("/again"),
    /** A new, longer take of the same image and request. */
    LONGER("/longer"),
    /** Background music added to the project. */
    ADD_MUSIC("/music");

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
