package dev.nemobot.telegram;

import dev.nemobot.core.chat.Action;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardButton;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardRow;

/**
 * Actions as inline keyboard buttons and back: a button's callback_data is its action's command, followed by the
 * delivered result's id for the buttons under a video ({@code /again <result id>}, {@link Action#command(Optional)}).
 */
final class Buttons {
    /** Telegram's limit for callback_data. */
    static final int CALLBACK_DATA_LIMIT = 64;

    static {
        for (Action a : Action.values()) {
            if (a.command().getBytes(StandardCharsets.UTF_8).length > CALLBACK_DATA_LIMIT) {
                throw new ExceptionInInitializerError("callback data too long for " + a);
            }
        }
    }

    private Buttons() {
    }

    /** One row of buttons, or null (no keyboard) when there are no actions. */
    static InlineKeyboardMarkup keyboard(List<Action> actions, Locale locale) {
        return keyboard(actions, Optional.empty(), locale);
    }

    /** One row of buttons under delivered result {@code resultId}, or null (no keyboard) when there are no actions. */
    static InlineKeyboardMarkup keyboard(List<Action> actions, Optional<String> resultId, Locale locale) {
        if (actions.isEmpty()) {
            return null;
        }
        InlineKeyboardRow row = new InlineKeyboardRow();
        for (Action a : actions) {
            String data = a.command(resultId);
            if (data.getBytes(StandardCharsets.UTF_8).length > CALLBACK_DATA_LIMIT) {
                data = a.command();
            }
            row.add(InlineKeyboardButton.builder().text(a.label(locale)).callbackData(data).build());
        }
        return InlineKeyboardMarkup.builder().keyboardRow(row).build();
    }

    /**
     * The text a button press stands for: its action's command, with the result id a quick edit's button carries;
     * empty for data this bot did not send.
     */
    static Optional<String> command(String callbackData) {
        if (callbackData == null) {
            return Optional.empty();
        }
        String[] parts = callbackData.split(" ", -1);
        Optional<Action> action = action(parts[0]);
        if (parts.length == 1) {
            return action.map(Action::command);
        }
        return action.filter(a -> parts.length == 2 && a.onResult() && Action.isResultId(parts[1]))
                .map(a -> a.command(Optional.of(parts[1])));
    }

    /** The action a button press stands for; empty for data this bot did not send. */
    static Optional<Action> action(String callbackData) {
        if (callbackData == null) {
            return Optional.empty();
        }
        for (Action a : Action.values()) {
            if (a.command().equals(callbackData)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
