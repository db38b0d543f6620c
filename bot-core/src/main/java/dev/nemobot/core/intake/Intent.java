package dev.nemobot.core.intake;

import dev.nemobot.core.chat.Command;
import java.util.Optional;

/**
 * What a command or a keyword message asks for, and the {@link Command} that asks for it when typed; what each does,
 * and whether it runs in the user's lane, is {@link IntentHandlers}'s table. All but {@link #AGAIN}, {@link #LONGER} and
 * {@link #ADD_MUSIC} (the quick edits under a delivered video, each a follow-up prompt in the same session) go
 * without a backend turn.
 */
enum Intent {
    START(Command.START), HELP(Command.HELP), CREDITS(Command.CREDITS), STATUS(Command.STATUS),
    EXPORT(Command.EXPORT), UPLOAD_HELP(Command.UPLOAD), NEW_SESSION(Command.NEW), CANCEL(Command.CANCEL),
    /** A {@code /command} the bot does not know. */
    UNKNOWN_COMMAND(null),
    SETTINGS(Command.SETTINGS), AGAIN(Command.AGAIN), LONGER(Command.LONGER), ADD_MUSIC(Command.MUSIC),
    /** The user's history of results ({@code /videos [page]}). */
    VIDEOS(Command.VIDEOS),
    /** /forget: what would be erased, and the buttons to confirm or not. */
    FORGET(Command.FORGET),
    /** The /forget question's confirmation ({@link dev.nemobot.core.chat.Action#ERASE}); typed, it asks first. */
    ERASE(Command.ERASE),
    /** The /forget question answered no. */
    KEEP(Command.KEEP);

    private final Command command;

    Intent(Command command) {
        this.command = command;
    }

    /** The command that asks for this intent; empty for {@link #UNKNOWN_COMMAND}. */
    public Optional<Command> command() {
        return Optional.ofNullable(command);
    }
}
