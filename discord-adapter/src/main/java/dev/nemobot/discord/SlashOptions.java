package dev.nemobot.discord;

import dev.nemobot.core.chat.kit.Catalogue;
import dev.nemobot.core.chat.Lang;
import dev.nemobot.core.chat.options.VideoOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Function;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;

/**
 * The video options as typed slash command options with choices ({@code /animate}, {@code /settings}): aspect ratio,
 * duration, motion, camera, style, quality, seed and what to avoid, their descriptions and choice names localized.
 * What a user picks is handed to the engine as the flags they could have typed ({@code --ar 9:16 --duration 8}), so
 * the slash options and the flags give the same instruction and pass the same checks. Stateless.
 */
final class SlashOptions {
    /** Names of the options, as Discord shows them; each is its flag's name but {@code avoid} ({@code --no}). */
    static final String CLEAR_OPTION = "clear";

    private SlashOptions() {
    }

    /** The option name on Discord for {@code n}. */
    static String optionName(VideoOptions.Name n) {
        return n == VideoOptions.Name.NO ? "avoid" : n.name().toLowerCase(Locale.ROOT);
    }

    /** The typed options, all optional. */
    static List<OptionData> options(BiConsumer<String, BiConsumer<net.dv8tion.jda.api.interactions.DiscordLocale,
            String>> localize, Function<String, String> english) {
        List<OptionData> out = new ArrayList<>();
        for (VideoOptions.Name n : VideoOptions.Name.values()) {
            String key = "discord.option." + optionName(n);
            OptionType type = switch (n) {
                case DURATION, MOTION, SEED -> OptionType.INTEGER;
                default -> OptionType.STRING;
            };
            OptionData o = new OptionData(type, optionName(n), english.apply(key), false);
            localize.accept(key, o::setDescriptionLocalization);
            switch (n) {
                case AR -> choices(o, VideoOptions.Aspect.values(), "ar", localize, english);
                case CAMERA -> choices(o, VideoOptions.Camera.values(), "camera", localize, english);
                case STYLE -> choices(o, VideoOptions.Style.values(), "style", localize, english);
                case QUALITY -> {
                    for (VideoOptions.Quality q : VideoOptions.Quality.values()) {
                        o.addChoice(q.value(), q.value());
                    }
                }
                case DURATION -> {
                    for (int secs : VideoOptions.DURATIONS) {
                        net.dv8tion.jda.api.interactions.commands.Command.Choice c =
                                new net.dv8tion.jda.api.interactions.commands.Command.Choice(
                                        Catalogue.of(Lang.EN).text("option.seconds", String.valueOf(secs)), secs);
                        localize.accept("option.seconds", (locale, ignored) -> c.setNameLocalization(locale,
                                Catalogue.of(Lang.of(Locale.forLanguageTag(locale.getLocale())))
                                        .text("option.seconds", String.valueOf(secs))));
                        o.addChoices(c);
                    }
                }
                case MOTION -> o.setRequiredRange(VideoOptions.MOTION_MIN, VideoOptions.MOTION_MAX);
                case SEED -> o.setRequiredRange(0, VideoOptions.SEED_MAX);
                case NO -> o.setMaxLength(VideoOptions.AVOID_MAX);
            }
            out.add(o);
        }
        return out;
    }

    private static void choices(OptionData o, VideoOptions.Choice[] values, String kind,
                                BiConsumer<String, BiConsumer<net.dv8tion.jda.api.interactions.DiscordLocale,
                                        String>> localize, Function<String, String> english) {
        for (VideoOptions.Choice v : values) {
            String key = "option." + kind + "." + ((Enum<?>) v).name().toLowerCase(Locale.ROOT).replace('_', '-');
            net.dv8tion.jda.api.interactions.commands.Command.Choice c =
                    new net.dv8tion.jda.api.interactions.commands.Command.Choice(english.apply(key), v.value());
            localize.accept(key, c::setNameLocalization);
            o.addChoices(c);
        }
    }

    /** The flags for what the user picked ({@code --ar 9:16 --no "text, blur"}); "" when nothing. */
    static String flags(Function<String, OptionMapping> option) {
        StringBuilder b = new StringBuilder();
        for (VideoOptions.Name n : VideoOptions.Name.values()) {
            OptionMapping m = option.apply(optionName(n));
            if (m == null) {
                continue;
            }
            String v = m.getAsString().replace('"', '\'').strip();
            if (v.isEmpty()) {
                continue;
            }
            if (!b.isEmpty()) {
                b.append(' ');
            }
            b.append(n.flag()).append(' ').append('"').append(v).append('"');
        }
        return b.toString();
    }
}
