package dev.nemobot.telegram;

import dev.nemobot.core.chat.Action;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardButton;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardRow;

/**
 * Actions as inline keyboard buttons and back. A button's callback_data is its action's command and the id of the
 * user it was made for ({@code /again 1001}): in a group, a button belongs to the person who asked. Data without an
 * owner (buttons of an older version) still names its action.
 */
final class Buttons {
    /** Telegram's limit for callback_data. */
    static final int CALLBACK_DATA_LIMIT = 64;
    /** What a used button's label starts with. */
    static final String USED = "✓ ";
    /** The longest user id Telegram hands out (a 64-bit integer), with its sign. */
    private static final int MAX_OWNER_CHARS = 20;

    static {
        for (Action a : Action.values()) {
            if (a.command().getBytes(StandardCharsets.UTF_8).length + 1 + MAX_OWNER_CHARS > CALLBACK_DATA_LIMIT) {
                throw new ExceptionInInitializerError("callback data too long for " + a);
            }
        }
    }

    /** A press's data read back: the action, and the user the button was made for when the data names one. */
    record Pressed(Action action, Optional<String> ownerId) {
    }

    private Buttons() {
    }

    /** One row of buttons for {@code ownerId} (null: no owner), or null (no keyboard) when there are no actions. */
    static InlineKeyboardMarkup keyboard(List<Action> actions, Locale locale, String ownerId) {
        if (actions.isEmpty()) {
            return null;
        }
        InlineKeyboardRow row = new InlineKeyboardRow();
        for (Action a : actions) {
            row.add(InlineKeyboardButton.builder().text(a.label(locale)).callbackData(data(a, ownerId)).build());
        }
        return InlineKeyboardMarkup.builder().keyboardRow(row).build();
    }

    static String data(Action action, String ownerId) {
        return ownerId == null || !ownerId.matches("-?\\d{1,19}") ? action.command() : action.command() + " " + ownerId;
    }

    /** What a press stands for; empty for data this bot did not send. */
    static Optional<Pressed> parse(String callbackData) {
        if (callbackData == null) {
            return Optional.empty();
        }
        String[] parts = callbackData.split(" ", -1);
        if (parts.length > 2 || parts.length == 2 && !parts[1].matches("-?\\d{1,19}")) {
            return Optional.empty();
        }
        for (Action a : Action.values()) {
            if (a.command().equals(parts[0])) {
                return Optional.of(new Pressed(a, parts.length == 2 ? Optional.of(parts[1]) : Optional.empty()));
            }
        }
        return Optional.empty();
    }

    /**
     * The keyboard with the button {@code callbackData} marked as used; null when there is nothing to mark (no
     * keyboard, no such button, or marked already).
     */
    static InlineKeyboardMarkup markUsed(InlineKeyboardMarkup keyboard, String callbackData) {
        if (keyboard == null || keyboard.getKeyboard() == null || callbackData == null) {
            return null;
        }
        boolean changed = false;
        List<InlineKeyboardRow> rows = new ArrayList<>();
        for (InlineKeyboardRow row : keyboard.getKeyboard()) {
            InlineKeyboardRow copy = new InlineKeyboardRow();
            for (InlineKeyboardButton b : row) {
                if (callbackData.equals(b.getCallbackData()) && b.getText() != null && !b.getText().startsWith(USED)) {
                    copy.add(InlineKeyboardButton.builder().text(USED + b.getText()).callbackData(callbackData).build());
                    changed = true;
                } else {
                    copy.add(b);
                }
            }
            rows.add(copy);
        }
        return changed ? InlineKeyboardMarkup.builder().keyboard(rows).build() : null;
    }
}
