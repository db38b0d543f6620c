package dev.nemobot.core.chat;

import java.util.Locale;

/**
 * The languages the bot speaks; each has a catalogue {@code dev/nemobot/core/chat/messages_<tag>.properties}
 * (English is the base bundle). A user whose language is not here gets English.
 */
public enum Lang {
    EN("en"),
    ZH("zh"),
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

    /** The ISO 639-1 language code ("en", "ja"), as Telegram's {@code language_code} starts with. */
    public String tag() {
        return tag;
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
        return this == ZH ? "zh" : "en";
    }

    /** The language of {@code locale} (any region or script), English when the bot does not speak it. */
    public static Lang of(Locale locale) {
        if (locale == null) {
            return EN;
        }
        String language = locale.getLanguage();
        for (Lang l : values()) {
            if (l.tag.equals(language)) {
                return l;
            }
        }
        return EN;
    }

    /**
     * The user's language: from the platform's locale; when the platform gave none, from the script of
     * {@code text} (kana: Japanese, Han: Chinese, Hangul: Korean, Cyrillic: Russian), else English.
     */
    public static Lang of(ChatUser user, String text) {
        if (!user.locale().getLanguage().isEmpty()) {
            return of(user.locale());
        }
        if (text == null) {
            return EN;
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
                    return JA;
                }
                case HAN -> han = true;
                case HANGUL -> hangul = true;
                case CYRILLIC -> cyrillic = true;
                default -> {
                }
            }
        }
        return han ? ZH : hangul ? KO : cyrillic ? RU : EN;
    }
}
