package dev.nemobot.core.chat;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A button under a reply. Pressing it is the same as sending its {@link Command} ({@link #command()}): the commands
 * are short and fixed, so a button carries no state (well inside Telegram's 64-byte callback data and Discord's
 * 100-character custom id) and keeps working after a restart. The quick edits under a delivered video ({@link #onResult()}) also carry
 * that video's result id ({@link #command(Optional)}: {@code /again <result id>}), which the engine looks up in the
 * store; one whose request is no longer kept gets a polite answer from the engine.
 */
public enum Action {
    EXPORT(Command.EXPORT),
    STATUS(Command.STATUS),
    NEW(Command.NEW),
    CANCEL(Command.CANCEL),
    /** The same image and request again: a new take. */
    AGAIN(Command.AGAIN),
    /** A new, longer take of the same image and request. */
    LONGER(Command.LONGER),
    /** Background music added to the project. */
    ADD_MUSIC(Command.MUSIC),
    /** The user's default video options: on Telegram a keyboard of them, elsewhere what they are now. */
    OPTIONS(Command.SETTINGS),
    /** The user's history of results ({@code /videos}); its paging buttons carry the page they show. */
    VIDEOS(Command.VIDEOS),
    /** The confirmation under /forget's question: erase everything kept about the presser. */
    ERASE(Command.ERASE),
    /** The other button under /forget's question: erase nothing. */
    KEEP(Command.KEEP);

    /** What a result id looks like: a few letters and digits. */
    private static final Pattern RESULT_ID = Pattern.compile("[a-z0-9]{1,16}");

    private final Command sends;

    Action(Command sends) {
        this.sends = sends;
    }

    /** The command a press sends. */
    public Command sends() {
        return sends;
    }

    /** What a press sends, without its argument: {@code /again}. */
    public String command() {
        return "/" + sends.word();
    }

    /** True for the buttons that act on one delivered result: Again, Longer, Add music. */
    public boolean onResult() {
        return sends.argument() == Command.Argument.RESULT_ID;
    }

    /**
     * True for the buttons that carry an argument after their command: a result id ({@link #onResult()}), or the page
     * of the user's history ({@link #VIDEOS}). Arguments look like result ids ({@link #isResultId}).
     */
    public boolean takesArgument() {
        return onResult() || sends.argument() == Command.Argument.PAGE;
    }

    /**
     * What pressing this button with argument {@code argument} sends: {@code /again <result id>}, {@code /videos
     * <page>} for the buttons that {@link #takesArgument()}, else (or without one) just the {@link #command()}.
     */
    public String command(Optional<String> argument) {
        return takesArgument() && argument.filter(Action::isResultId).isPresent()
                ? command() + " " + argument.get() : command();
    }

    /** True for text shaped like a result id (a few lower-case letters and digits), as buttons carry them. */
    public static boolean isResultId(String text) {
        return text != null && RESULT_ID.matcher(text).matches();
    }
}
