package dev.nemobot.telegram;

import dev.nemobot.core.chat.kit.Catalogue;
import dev.nemobot.core.chat.Lang;
import dev.nemobot.core.chat.options.OptionTexts;
import dev.nemobot.core.chat.options.VideoOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardButton;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardRow;

/**
 * The Options keyboard under the acknowledgement of a picture and under {@code /settings}: the [Options] button opens
 * a row per option (aspect ratio, duration, motion, camera, style, quality), an option opens its values, and a value
 * pressed becomes the user's default ({@code /settings --ar 9:16}), so the request they send next is made that way.
 * Stateless: a button's callback data says it all ({@code opt <owner> ar 9:16}, within Telegram's 64 bytes), so the
 * keyboard works after a restart and on any instance; it belongs to the user it was made for.
 */
final class OptionsMenu {
    static final String PREFIX = "opt";
    private static final Pattern OWNER = Pattern.compile("-?\\d{1,19}");
    /** The options offered as buttons; the seed and what to avoid are typed ({@code /settings --seed 42}). */
    static final List<VideoOptions.Name> ON_BUTTONS = List.of(VideoOptions.Name.AR, VideoOptions.Name.DURATION,
            VideoOptions.Name.MOTION, VideoOptions.Name.CAMERA, VideoOptions.Name.STYLE, VideoOptions.Name.QUALITY);

    private OptionsMenu() {
    }

    /**
     * A press on the keyboard: the menu of an option ({@code name} present, no value), the options ({@code name}
     * empty), or a value to keep ({@link #command()}).
     */
    record Step(String ownerId, Optional<VideoOptions.Name> name, Optional<String> value) {
        /** What the press stands for when it picks a value: {@code /settings --ar 9:16}. */
        Optional<String> command() {
            return name.isPresent() && value.isPresent()
                    ? Optional.of("/settings " + name.get().flag() + " " + value.get()) : Optional.empty();
        }

        /** The keyboard this press opens. */
        InlineKeyboardMarkup keyboard(Locale locale) {
            return name.isPresent() ? values(ownerId, name.get(), locale) : categories(ownerId, locale);
        }
    }

    /** Empty when {@code data} is not this keyboard's (or not well-formed). */
    static Optional<Step> parse(String data) {
        if (data == null) {
            return Optional.empty();
        }
        String[] parts = data.split(" ", -1);
        if (parts.length < 2 || parts.length > 4 || !parts[0].equals(PREFIX) || !OWNER.matcher(parts[1]).matches()) {
            return Optional.empty();
        }
        if (parts.length == 2) {
            return Optional.of(new Step(parts[1], Optional.empty(), Optional.empty()));
        }
        Optional<VideoOptions.Name> name = ON_BUTTONS.stream()
                .filter(n -> n.name().toLowerCase(Locale.ROOT).equals(parts[2])).findFirst();
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (parts.length == 3) {
            return Optional.of(new Step(parts[1], name, Optional.empty()));
        }
        String value = parts[3];
        boolean known = value.equals("default") || name.get().allowed().contains(value);
        return known ? Optional.of(new Step(parts[1], name, Optional.of(value))) : Optional.empty();
    }

    /** The options, two to a row. */
    static InlineKeyboardMarkup categories(String ownerId, Locale locale) {
        OptionTexts words = OptionTexts.of(Lang.of(locale));
        List<InlineKeyboardRow> rows = new ArrayList<>();
        InlineKeyboardRow row = new InlineKeyboardRow();
        for (VideoOptions.Name n : ON_BUTTONS) {
            row.add(button(words.name(n), PREFIX + " " + ownerId + " " + n.name().toLowerCase(Locale.ROOT)));
            if (row.size() == 2) {
                rows.add(row);
                row = new InlineKeyboardRow();
            }
        }
        if (!row.isEmpty()) {
            rows.add(row);
        }
        return new InlineKeyboardMarkup(rows);
    }

    /** The values of {@code name}, its default, and the way back. */
    static InlineKeyboardMarkup values(String ownerId, VideoOptions.Name name, Locale locale) {
        Lang lang = Lang.of(locale);
        OptionTexts words = OptionTexts.of(lang);
        Catalogue c = Catalogue.of(lang);
        String base = PREFIX + " " + ownerId + " " + name.name().toLowerCase(Locale.ROOT) + " ";
        List<InlineKeyboardRow> rows = new ArrayList<>();
        InlineKeyboardRow row = new InlineKeyboardRow();
        for (String value : name.allowed()) {
            row.add(button(label(words, name, value), base + value));
            if (row.size() == 3) {
                rows.add(row);
                row = new InlineKeyboardRow();
            }
        }
        if (!row.isEmpty()) {
            rows.add(row);
        }
        rows.add(new InlineKeyboardRow(button(c.text("options.default"), base + "default"),
                button(c.text("options.back"), PREFIX + " " + ownerId)));
        return new InlineKeyboardMarkup(rows);
    }

    private static String label(OptionTexts words, VideoOptions.Name name, String value) {
        VideoOptions o;
        try {
            o = VideoOptions.NONE.with(name, value);
        } catch (dev.nemobot.core.chat.options.OptionException e) {
            return value;
        }
        return words.shown(o, name);
    }

    private static InlineKeyboardButton button(String text, String data) {
        return InlineKeyboardButton.builder().text(text).callbackData(data).build();
    }
}
