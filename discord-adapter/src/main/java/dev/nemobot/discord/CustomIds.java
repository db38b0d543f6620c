package dev.nemobot.discord;

import dev.nemobot.core.chat.Action;
import java.util.Locale;
import java.util.Optional;

/**
 * Button custom ids: {@code nemo:<action>:<user id>}. Stateless, so buttons keep working after a restart and
 * the adapter keeps nothing per button; the user id says who may press it.
 */
final class CustomIds {
    private static final String PREFIX = "nemo";

    private CustomIds() {
    }

    /** The pressed action and the user the button was made for. */
    record Press(Action action, String ownerId) {
    }

    static String of(Action action, String ownerId) {
        return PREFIX + ":" + action.name().toLowerCase(Locale.ROOT) + ":" + ownerId;
    }

    /** Empty when the id is not one of ours (or malformed). */
    static Optional<Press> parse(String customId) {
        if (customId == null) {
            return Optional.empty();
        }
        String[] parts = customId.split(":", -1);
        if (parts.length != 3 || !parts[0].equals(PREFIX) || parts[2].isEmpty() || !parts[2].chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        for (Action action : Action.values()) {
            if (action.name().equalsIgnoreCase(parts[1])) {
                return Optional.of(new Press(action, parts[2]));
            }
        }
        return Optional.empty();
    }
}
