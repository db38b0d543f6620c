package dev.nemobot.core.text;

import dev.nemobot.core.text.Lang;
import java.time.Duration;

/** The polite refusals, in English and Chinese: plain text, each saying when (or whether) to try again. */
public final class Refusals {
    private Refusals() {
    }

    public static String notAllowed(Lang lang) {
        return lang == Lang.ZH ? "抱歉，这个机器人在这里不可用。如果你认为这是误会，请联系机器人的管理员。"
                : "Sorry, this bot isn't available here. If you think that's a mistake, please ask the bot's operator.";
    }

    public static String tooLong(Lang lang, int max) {
        return lang == Lang.ZH ? "这条消息太长了（最多 " + max + " 个字符）。请缩短后再发一次。"
                : "That message is too long (at most " + max + " characters). Please shorten it and send it again.";
    }

    public static String slowDown(Lang lang, int perMinute, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return lang == Lang.ZH ? "你发得有点快（每分钟最多 " + perMinute + " 条）。请 " + seconds + " 秒后再试。"
                : "You're sending messages a little fast (at most " + perMinute + " a minute). Please try again in "
                + seconds + " s.";
    }
}
