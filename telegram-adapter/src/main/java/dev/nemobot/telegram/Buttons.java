package dev.nemobot.telegram;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Choice;
import dev.nemobot.core.chat.kit.Catalogue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardButton;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardRow;

/**
 * Actions as inline keyboard buttons and back. A button's callback_data is its action's command and the id of the
 * user it was made for ({@code /again 1001}): in a group, a button belongs to the person who asked. The quick edits
 * under a delivered video ({@link Action#onResult()}) also carry that video's result id after the owner
 * ({@code /again 1001 k3m9x2ab7qpz}), so they act on that video's request, after a restart too; the history's paging
 * buttons carry the page they show ({@code /videos 1001 2}). Data without an owner
 * (buttons of an older version) still names its action.
 */
final class Buttons {
    /** Telegram's limit for callback_data. */
    static final int CALLBACK_DATA_LIMIT = 64;
    /** What a used button's label starts with. */
    static final String USED = "✓ ";
    /** The longest user id Telegram hands out (a 64-bit integer), with its sign. */
    private static final int MAX_OWNER_CHARS = 20;
    /** The longest result id ({@link Action#isResultId}). */
    private static final int MAX_RESULT_CHARS = 16;
    private static final Pattern OWNER = Pattern.compile("-?\\d{1,19}");

    static {
        for (Action a : Action.values()) {
            int longest = a.command().getBytes(StandardCharsets.UTF_8).length + 1 + MAX_OWNER_CHARS
                    + (a.takesArgument() ? 1 + MAX_RESULT_CHARS : 0);
            if (longest > CALLBACK_DATA_LIMIT) {
                throw new ExceptionInInitializerError("callback data too long for " + a);
            }
        }
    }

    /**
     * A press's data read back: the action, the user the button was made for when the data names one, and the result
     * a quick edit acts on when it names one.
     */
    record Pressed(Action action, Optional<String> ownerId, Optional<String> resultId) {
        Pressed(Action action, Optional<String> ownerId) {
            this(action, ownerId, Optional.empty());
        }

        /** What this press stands for: its action's command, with its result id ({@link Action#command(Optional)}). */
        String command() {
            return action.command(resultId);
        }
    }

    private Buttons() {
    }

    /** One row of buttons for {@code ownerId} (null: no owner), or null (no keyboard) when there are no actions. */
    static InlineKeyboardMarkup keyboard(List<Action> actions, Locale locale, String ownerId) {
        return keyboard(actions, locale, ownerId, Optional.empty());
    }

    /**
     * One row of buttons for {@code ownerId} under delivered result {@code resultId}, or null (no keyboard) when there
     * are no actions.
     */
    static InlineKeyboardMarkup keyboard(List<Action> actions, Locale locale, String ownerId,
                                         Optional<String> resultId) {
        if (actions.isEmpty()) {
            return null;
        }
        InlineKeyboardRow row = new InlineKeyboardRow();
        for (Action a : actions) {
            row.add(InlineKeyboardButton.builder().text(Catalogue.of(locale).label(a)).callbackData(data(a, ownerId, resultId))
                    .build());
        }
        return InlineKeyboardMarkup.builder().keyboardRow(row).build();
    }

    /**
     * Rows of buttons of their own labels and arguments ({@link Choice}: {@code /again 1001 <result id>},
     * {@code /videos 1001 2}) for {@code ownerId}, or null (no keyboard) when there are none.
     */
    static InlineKeyboardMarkup keyboard(List<List<Choice>> rows, String ownerId) {
        List<InlineKeyboardRow> keyboard = new ArrayList<>();
        for (List<Choice> choices : rows) {
            InlineKeyboardRow row = new InlineKeyboardRow();
            for (Choice c : choices) {
                row.add(InlineKeyboardButton.builder().text(c.label())
                        .callbackData(data(c.action(), ownerId, c.argument())).build());
            }
            if (!row.isEmpty()) {
                keyboard.add(row);
            }
        }
        return keyboard.isEmpty() ? null : InlineKeyboardMarkup.builder().keyboard(keyboard).build();
    }

    static String data(Action action, String ownerId) {
        return data(action, ownerId, Optional.empty());
    }

    /**
     * {@code <command> <owner id> <result id>}: the result id (or the page of {@code /videos}) only on the buttons that
     * take one ({@link Action#takesArgument()}), and only after
     * an owner (without one, the data is the command and the owner's id, or the command alone).
     */
    static String data(Action action, String ownerId, Optional<String> resultId) {
        if (ownerId == null || !OWNER.matcher(ownerId).matches()) {
            return action.command();
        }
        String owned = action.command() + " " + ownerId;
        String data = action.takesArgument() && resultId.filter(Action::isResultId).isPresent()
                ? owned + " " + resultId.get() : owned;
        return data.getBytes(StandardCharsets.UTF_8).length <= CALLBACK_DATA_LIMIT ? data : owned;
    }

    /**
     * What a press stands for; empty for data this bot did not send. Read: {@code <command> <owner>} and, for a quick
     * edit, {@code <command> <owner> <result id>}; and {@code <command>} alone (a button of an older version).
     */
    static Optional<Pressed> parse(String callbackData) {
        if (callbackData == null) {
            return Optional.empty();
        }
        String[] parts = callbackData.split(" ", -1);
        if (parts.length > 3) {
            return Optional.empty();
        }
        Optional<Action> action = Arrays.stream(Action.values()).filter(a -> a.command().equals(parts[0])).findFirst();
        if (action.isEmpty()) {
            return Optional.empty();
        }
        Action a = action.get();
        return switch (parts.length) {
            case 1 -> Optional.of(new Pressed(a, Optional.empty(), Optional.empty()));
            case 2 -> OWNER.matcher(parts[1]).matches()
                    ? Optional.of(new Pressed(a, Optional.of(parts[1]), Optional.empty())) : Optional.empty();
            default -> OWNER.matcher(parts[1]).matches() && a.takesArgument() && Action.isResultId(parts[2])
                    ? Optional.of(new Pressed(a, Optional.of(parts[1]), Optional.of(parts[2]))) : Optional.empty();
        };
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
