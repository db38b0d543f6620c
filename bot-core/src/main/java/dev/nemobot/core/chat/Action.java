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

    /** The button's label in the user's language (Chinese or English). */
    public String label(Locale locale) {
        boolean zh = "zh".equals(locale.getLanguage());
        return switch (this) {
            case EXPORT -> zh ? "导出" : "Export";
            case STATUS -> zh ? "状态" : "Status";
            case NEW -> zh ? "新项目" : "New";
            case CANCEL -> zh ? "取消" : "Cancel";
            case AGAIN -> zh ? "再来一次" : "Again";
            case LONGER -> zh ? "更长" : "Longer";
            case ADD_MUSIC -> zh ? "加音乐" : "Add music";
        };
    }
}
