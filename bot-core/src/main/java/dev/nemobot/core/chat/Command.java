package dev.nemobot.core.chat;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The commands users type, press (an {@link Action}'s button sends one) or pick from a platform's menu: the one
 * table the engine and the adapters read their command lists from, so adding a command touches this table, the
 * engine's handler for it ({@code intake.Intent} and {@code IntentHandlers}) and the catalogues' descriptions. Each entry
 * says what the platforms need to know: whether it is in Telegram's command menu ({@code telegram.command.<word>})
 * and among Discord's slash commands ({@code discord.command.<word>}), whether Telegram answers it in a group
 * without an {@code @botname} suffix, whether Discord shows its answers only to the asker, and what argument it takes.
 * The order is the menus' order.
 */
public enum Command {
    /** Discord's slash form of a request: an image and a prompt, typed with options; a turn, not a command. */
    ANIMATE("animate", Argument.NONE, Flag.DISCORD),
    START("start", Argument.NONE, Flag.TELEGRAM, Flag.GROUP),
    HELP("help", Argument.NONE, Flag.TELEGRAM, Flag.DISCORD, Flag.GROUP),
    CREDITS("credits", Argument.NONE, Flag.TELEGRAM, Flag.DISCORD, Flag.GROUP, Flag.PRIVATE),
    STATUS("status", Argument.NONE, Flag.TELEGRAM, Flag.DISCORD, Flag.GROUP, Flag.PRIVATE),
    /** The user's default video options; what follows the command is the change ({@code /settings --ar 9:16}). */
    SETTINGS("settings", Argument.TEXT, Flag.TELEGRAM, Flag.DISCORD, Flag.GROUP, Flag.PRIVATE),
    /** The user's history of results; its paging buttons name a page ({@code /videos 2}). */
    VIDEOS("videos", Argument.PAGE, Flag.TELEGRAM, Flag.DISCORD, Flag.GROUP, Flag.PRIVATE),
    EXPORT("export", Argument.NONE, Flag.TELEGRAM, Flag.DISCORD, Flag.GROUP),
    UPLOAD("upload", Argument.NONE, Flag.TELEGRAM, Flag.GROUP),
    NEW("new", Argument.NONE, Flag.TELEGRAM, Flag.DISCORD, Flag.GROUP),
    CANCEL("cancel", Argument.NONE, Flag.TELEGRAM, Flag.DISCORD, Flag.GROUP),
    /** The same image and request again, a new take; the button names its result ({@code /again <result id>}). */
    AGAIN("again", Argument.RESULT_ID, Flag.TELEGRAM, Flag.DISCORD),
    /** A new, longer take of the same image and request. */
    LONGER("longer", Argument.RESULT_ID, Flag.TELEGRAM, Flag.DISCORD),
    /** Background music added to the project. */
    MUSIC("music", Argument.RESULT_ID, Flag.TELEGRAM, Flag.DISCORD),
    /** What would be erased, privately, and the buttons to confirm ({@link #ERASE}) or not ({@link #KEEP}). */
    FORGET("forget", Argument.NONE, Flag.TELEGRAM, Flag.DISCORD, Flag.GROUP, Flag.PRIVATE),
    /** /forget's confirmation, a button (typed, it asks first). */
    ERASE("erase", Argument.NONE, Flag.PRIVATE),
    /** /forget answered no, a button. */
    KEEP("keep", Argument.NONE, Flag.PRIVATE);

    /** What a command takes after its word. */
    public enum Argument {
        /** Nothing; anything after the word is ignored. */
        NONE,
        /** Everything after the word. */
        TEXT,
        /** A result id, as the buttons under a delivered video carry it ({@link Action#isResultId}). */
        RESULT_ID,
        /** A page of a list: 1 to 9999. */
        PAGE
    }

    private enum Flag {
        /** In Telegram's command menu. */
        TELEGRAM,
        /** Registered as a Discord slash command. */
        DISCORD,
        /** Answered by Telegram in a group without an {@code @botname} suffix. */
        GROUP,
        /** Its answers (and its button's) are the asker's own business: on Discord only they see them. */
        PRIVATE
    }

    private final String word;
    private final Argument argument;
    private final List<Flag> flags;

    Command(String word, Argument argument, Flag... flags) {
        this.word = word;
        this.argument = argument;
        this.flags = List.of(flags);
    }

    /** The command as typed, without its slash: {@code again}. */
    public String word() {
        return word;
    }

    /** What the command takes after its word. */
    public Argument argument() {
        return argument;
    }

    /** True when Telegram's command menu lists it ({@code setMyCommands}). */
    public boolean inTelegramMenu() {
        return flags.contains(Flag.TELEGRAM);
    }

    /** True when it is registered as a Discord slash command. */
    public boolean discordSlash() {
        return flags.contains(Flag.DISCORD);
    }

    /** True when Telegram answers it in a group even without an {@code @botname} suffix. */
    public boolean bareInGroups() {
        return flags.contains(Flag.GROUP);
    }

    /** True when its answers, and those to its button, are the asker's own: Discord shows them only to the asker. */
    public boolean answeredPrivately() {
        return flags.contains(Flag.PRIVATE);
    }

    /** The command named {@code word} (any case), if there is one. */
    public static Optional<Command> named(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(c -> c.word.equals(lower)).findFirst();
    }

    /** The commands of Telegram's menu, in order. */
    public static List<Command> telegramMenu() {
        return Arrays.stream(values()).filter(Command::inTelegramMenu).toList();
    }

    /** The commands registered on Discord, in order. */
    public static List<Command> discordCommands() {
        return Arrays.stream(values()).filter(Command::discordSlash).toList();
    }
}
