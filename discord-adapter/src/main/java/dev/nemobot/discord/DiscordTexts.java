package dev.nemobot.discord;

import dev.nemobot.core.chat.kit.Catalogue;
import java.util.Locale;

/**
 * The few answers the adapter gives by itself (before anything reaches the engine), in the user's language (keys
 * {@code discord.*} of the core's {@link Catalogue}). Plain text.
 */
final class DiscordTexts {
    private DiscordTexts() {
    }

    static String notYours(Locale locale) {
        return Catalogue.of(locale).text("discord.notYours");
    }

    /** The notice on a button this version of the bot does not know (an old message's). */
    static String staleButton(Locale locale) {
        return Catalogue.of(locale).text("discord.staleButton");
    }

    static String dmsOff(Locale locale) {
        return Catalogue.of(locale).text("discord.dmsOff");
    }

    static String notAnImage(Locale locale, String fileName) {
        return Catalogue.of(locale).text("discord.notAnImage", fileName);
    }

    static String tooLarge(Locale locale, String fileName, long limitBytes) {
        return Catalogue.of(locale).text("discord.tooLarge", fileName, String.valueOf(limitBytes / (1024 * 1024)));
    }
}
