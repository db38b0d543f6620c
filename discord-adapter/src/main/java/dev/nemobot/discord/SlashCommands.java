package dev.nemobot.discord;

import dev.nemobot.core.chat.kit.Catalogue;
import dev.nemobot.core.chat.Command;
import dev.nemobot.core.chat.Lang;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import net.dv8tion.jda.api.interactions.DiscordLocale;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;

/**
 * The global slash commands the bot registers at start, those of the core's {@link Command} table that are
 * {@link Command#discordSlash()}, with their typed options: English descriptions, localized for every Discord locale
 * in a language the bot speaks (keys {@code discord.command.*} and {@code discord.option.*} of the core's
 * {@link Catalogue}).
 */
final class SlashCommands {
    private SlashCommands() {
    }

    static List<SlashCommandData> all(boolean allowDms) {
        InteractionContextType[] contexts = allowDms
                ? new InteractionContextType[] {InteractionContextType.GUILD, InteractionContextType.BOT_DM}
                : new InteractionContextType[] {InteractionContextType.GUILD};
        OptionData image = new OptionData(OptionType.ATTACHMENT, DiscordListener.IMAGE_OPTION,
                english("discord.option.image"), true);
        localize("discord.option.image", image::setDescriptionLocalization);
        OptionData prompt = new OptionData(OptionType.STRING, DiscordListener.PROMPT_OPTION,
                english("discord.option.prompt"), false)
                .setMaxLength(1500);
        localize("discord.option.prompt", prompt::setDescriptionLocalization);
        // the video options, typed with choices; /settings takes the same ones as the user's defaults, and "clear"
        OptionData clear = new OptionData(OptionType.BOOLEAN, SlashOptions.CLEAR_OPTION,
                english("discord.option.clear"), false);
        localize("discord.option.clear", clear::setDescriptionLocalization);
        // which commands there are is the core's table; only their typed options are Discord's own
        List<SlashCommandData> all = Command.discordCommands().stream().map(c -> switch (c) {
            case ANIMATE -> command(c).addOptions(image, prompt)
                    .addOptions(SlashOptions.options(SlashCommands::localize, SlashCommands::english));
            case SETTINGS -> command(c)
                    .addOptions(SlashOptions.options(SlashCommands::localize, SlashCommands::english))
                    .addOptions(clear);
            default -> command(c);
        }).toList();
        all.forEach(c -> c.setContexts(contexts));
        return all;
    }

    private static SlashCommandData command(Command c) {
        String key = "discord.command." + c.word();
        SlashCommandData command = Commands.slash(c.word(), english(key));
        localize(key, command::setDescriptionLocalization);
        return command;
    }

    private static String english(String key) {
        return Catalogue.of(Lang.EN).text(key);
    }

    /** Sets {@code key} in each Discord locale whose language the bot speaks, other than English (the default). */
    private static void localize(String key, BiConsumer<DiscordLocale, String> set) {
        for (DiscordLocale locale : DiscordLocale.values()) {
            if (locale == DiscordLocale.UNKNOWN) {
                continue;
            }
            Lang lang = Lang.of(Locale.forLanguageTag(locale.getLocale()));
            if (lang != Lang.EN) {
                set.accept(locale, Catalogue.of(lang).text(key));
            }
        }
    }
}
