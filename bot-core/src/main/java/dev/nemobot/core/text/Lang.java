package dev.nemobot.core.text;

import dev.nemobot.core.chat.ChatUser;
import java.util.Locale;

/** The languages the bot speaks. Sessions are created in the same language. */
public enum Lang {
    EN("en"),
    ZH("zh");

    private final String code;

    Lang(String code) {
        this.code = code;
    }

    /** The backend's language code ("en", "zh"). */
    public String code() {
        return code;
    }

    /** Chinese for any Chinese locale, English otherwise. */
    public static Lang of(Locale locale) {
        return "zh".equals(locale.getLanguage()) ? ZH : EN;
    }

    /**
     * The user's language: from the platform's locale; when the platform gave none, Chinese if {@code text}
     * contains Chinese characters.
     */
    public static Lang of(ChatUser user, String text) {
        if (!user.locale().getLanguage().isEmpty()) {
            return of(user.locale());
        }
        return text != null && text.codePoints().anyMatch(Lang::isHan) ? ZH : EN;
    }

    static boolean isHan(int cp) {
        return Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN;
    }
}
