package dev.nemobot.core.chat;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The languages the bot speaks; each has a catalogue {@code dev/nemobot/core/chat/messages_<bundle>.properties}
 * (English is the base bundle). A user whose language is not here gets English.
 */
public enum Lang {
    EN("en"),
    ZH("zh"),
    /** Traditional Chinese (Taiwan, Hong Kong, Macau, and any {@code zh-Hant}). */
    ZH_TW("zh-TW"),
    JA("ja"),
    KO("ko"),
    ES("es"),
    PT("pt"),
    RU("ru"),
    DE("de"),
    FR("fr");

    private final String tag;
    private final Locale locale;

    Lang(String tag) {
        this.tag = tag;
        this.locale = Locale.forLanguageTag(tag);
    }

    /** The language tag ("en", "ja", "zh-TW"). */
    public String tag() {
        return tag;
    }

    /**
     * The ISO 639-1 language code ("en", "ja", "zh" for both Chinese), as Telegram's {@code language_code} starts
     * with and its command menus are chosen by.
     */
    public String language() {
        return locale.getLanguage();
    }

    /** The suffix of the catalogue's file name: "" for English, else "_" + "ja", "zh_TW", .... */
    public String bundleSuffix() {
        return this == EN ? "" : "_" + tag.replace('-', '_');
    }

    /** The locale the catalogue is looked up and numbers are formatted in. */
    public Locale locale() {
        return locale;
    }

    /**
     * The backend's language code: "zh" or "en". The backend's GUI talk is only recognised (and replaced by what the
     * bot does) in those two languages, so sessions of the other languages run in English.
     */
    public String code() {
        return this == ZH || this == ZH_TW ? "zh" : "en";
    }

    /**
     * The language of {@code locale} (any region or script), English when the bot does not speak it. Chinese is
     * Traditional for the script {@code Hant} and, without a script, for Taiwan, Hong Kong and Macau.
     */
    public static Lang of(Locale locale) {
        return spoken(locale).orElse(EN);
    }

    /** The language of {@code locale} if the bot speaks it. */
    private static Optional<Lang> spoken(Locale locale) {
        if (locale == null) {
            return Optional.empty();
        }
        String language = locale.getLanguage();
        if (language.equals("zh")) {
            String script = locale.getScript();
            boolean traditional = script.equals("Hant")
                    || script.isEmpty() && TRADITIONAL_REGIONS.contains(locale.getCountry());
            return Optional.of(traditional ? ZH_TW : ZH);
        }
        for (Lang l : values()) {
            if (l.tag.equals(language)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    private static final Set<String> TRADITIONAL_REGIONS = Set.of("TW", "HK", "MO");

    /**
     * The user's language, the first of: their own locale, as the platform reports it (when the bot speaks that
     * language); the script of {@code text} (kana: Japanese, Han: Chinese, Hangul: Korean, Cyrillic: Russian);
     * the locale of the place they write in ({@link ChatUser#fallback()}, e.g. a Discord server's); English.
     * Han text in a Traditional Chinese place is answered in Traditional Chinese.
     */
    public static Lang of(ChatUser user, String text) {
        Optional<Lang> own = spoken(user.locale());
        if (own.isPresent()) {
            return own.get();
        }
        Optional<Lang> place = spoken(user.fallback());
        Optional<Lang> written = script(text);
        if (written.isPresent()) {
            return written.get() == ZH && place.orElse(EN) == ZH_TW ? ZH_TW : written.get();
        }
        return place.orElse(EN);
    }

    /** The language the script of {@code text} tells, if any. */
    private static Optional<Lang> script(String text) {
        if (text == null) {
            return Optional.empty();
        }
        boolean han = false;
        boolean hangul = false;
        boolean cyrillic = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            Character.UnicodeScript script = Character.UnicodeScript.of(cp);
            switch (script) {
                case HIRAGANA, KATAKANA -> {
                    return Optional.of(JA);
                }
                case HAN -> han = true;
                case HANGUL -> hangul = true;
                case CYRILLIC -> cyrillic = true;
                default -> {
                }
            }
        }
        return han ? Optional.of(ZH) : hangul ? Optional.of(KO) : cyrillic ? Optional.of(RU) : Optional.empty();
    }
}
