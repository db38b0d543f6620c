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

    /** The button's label in the user's language (Chinese or English). */
    public String label(Locale locale) {
        boolean zh = "zh".equals(locale.getLanguage());
        return switch (this) {
            case EXPORT -> zh ? "导出" : "Export";
            case STATUS -> zh ? "状态" : "Status";
            case NEW -> zh ? "新项目" : "New";
            case CANCEL -> zh ? "取消" : "Cancel";
        };
    }
}
