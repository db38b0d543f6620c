package dev.nemobot.core.chat;

import java.util.Objects;
import java.util.Optional;

/**
 * A button with its own label and argument, for a message whose buttons differ by more than their action: a list
 * whose entries each have theirs ({@code /videos}: "Again #2" on result 2, "Older ▶" on page 3). Pressing it sends
 * {@link #command()}, as an {@link Action}'s button does; it carries the same things (the action, its argument, and
 * the owner the platform adds), so it keeps working after a restart. Immutable.
 *
 * @param label    what the button says, in the recipient's language
 * @param action   what it does
 * @param argument what it acts on (a result id, a page), for an action that {@link Action#takesArgument()}
 */
public record Choice(String label, Action action, Optional<String> argument) {
    public Choice {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(argument, "argument");
        if (argument.isPresent() && !(action.takesArgument() && Action.isResultId(argument.get()))) {
            throw new IllegalArgumentException(action + " takes no argument " + argument.get());
        }
    }

    /** What a press sends: the action's command and its argument. */
    public String command() {
        return action.command(argument);
    }
}
