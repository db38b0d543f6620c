package dev.nemobot.telegram;

import dev.nemobot.core.chat.kit.Catalogue;
import dev.nemobot.core.chat.Command;
import dev.nemobot.core.chat.Lang;
import java.util.List;
import java.util.Locale;
import org.telegram.telegrambots.meta.api.objects.commands.BotCommand;

/**
 * The few texts the adapter writes itself, in the user's language (keys {@code telegram.*} of the core's
 * {@link Catalogue}); the engine writes everything else.
 */
final class TelegramTexts {
    private TelegramTexts() {
    }

    static String fileTooLarge(Locale locale, String name, long size) {
        Catalogue c = Catalogue.of(locale);
        String mb = String.format(c.lang().locale(), "%.1f", size / 1_048_576.0);
        return c.text("telegram.fileTooLarge", name, mb);
    }

    /** The notice on a button this version of the bot does not know (an old message's). */
    static String staleButton(Locale locale) {
        return Catalogue.of(locale).text("telegram.staleButton");
    }

    /** The pop-up for a press of a button someone else asked for. */
    static String notYours(Locale locale) {
        return Catalogue.of(locale).text("telegram.notYours");
    }

    /** The command menu in {@code lang}: the core's {@link Command#telegramMenu()}, in its order. */
    static List<BotCommand> commands(Lang lang) {
        Catalogue c = Catalogue.of(lang);
        return Command.telegramMenu().stream()
                .map(command -> new BotCommand(command.word(), c.text("telegram.command." + command.word())))
                .toList();
    }
}
