package dev.nemobot.discord;

import dev.nemobot.core.chat.Action;
import java.util.Locale;
import java.util.Optional;

/**
 * Button custom ids: {@code nemo:<action>:<user id>}, and {@code nemo:<action>:<user id>:<result id>} for the quick
 * edits under a delivered video ({@link Action#onResult()}), or {@code nemo:videos:<user id>:<page>} for the history's
 * paging buttons ({@link Action#takesArgument()}). Stateless, so buttons keep working after a restart and
 * the adapter keeps nothing per button; the user id says who may press it, the result id which video it acts on.
 */
final class CustomIds {
    private static final String PREFIX = "nemo";

    private CustomIds() {
    }

    /** The pressed action, the user the button was made for, and the result it acts on (when it names one). */
    record Press(Action action, String ownerId, Optional<String> resultId) {
        Press(Action action, String ownerId) {
            this(action, ownerId, Optional.empty());
        }

        /** The text this press stands for: the action's command, with its result id. */
        String command() {
            return action.command(resultId);
        }
    }

    static String of(Action action, String ownerId) {
        return PREFIX + ":" + action.name().toLowerCase(Locale.ROOT) + ":" + ownerId;
    }

    /** With the result id for the buttons that act on a result; ids stay within Discord's 100 characters. */
    static String of(Action action, String ownerId, Optional<String> resultId) {
        String plain = of(action, ownerId);
        return action.takesArgument() && resultId.filter(Action::isResultId).isPresent()
                ? plain + ":" + resultId.get() : plain;
    }

    /** Empty when the id is not one of ours (or malformed). */
    static Optional<Press> parse(String customId) {
        if (customId == null) {
            return Optional.empty();
        }
        String[] parts = customId.split(":", -1);
        if (parts.length < 3 || parts.length > 4 || !parts[0].equals(PREFIX) || parts[2].isEmpty() || !parts[2].chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        for (Action action : Action.values()) {
            if (action.name().equalsIgnoreCase(parts[1])) {
                if (parts.length == 4) {
                    return action.takesArgument() && Action.isResultId(parts[3])
                            ? Optional.of(new Press(action, parts[2], Optional.of(parts[3]))) : Optional.empty();
                }
                return Optional.of(new Press(action, parts[2]));
            }
        }
        return Optional.empty();
    }
}
