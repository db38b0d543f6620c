package dev.nemobot.telegram;

import java.util.List;
import java.util.Locale;
import org.telegram.telegrambots.meta.api.objects.commands.BotCommand;

/** The few texts the adapter writes itself, in English and Chinese; the engine writes everything else. */
final class Texts {
    private Texts() {
    }

    static boolean chinese(Locale locale) {
        return "zh".equals(locale.getLanguage());
    }

    static String fileTooLarge(Locale locale, String name, long size) {
        String mb = String.format(Locale.ROOT, "%.1f", size / 1_048_576.0);
        return chinese(locale)
                ? name + " 有 " + mb + " MB，超过了 20 MB：Telegram 机器人无法下载更大的文件。请压缩后或换一个较小的文件再发。"
                : name + " is " + mb + " MB, over 20 MB: bots cannot download larger files from Telegram. "
                        + "Please compress it or send a smaller one.";
    }


    /** The notice on a button this version of the bot does not know (an old message's). */
    static String staleButton(Locale locale) {
        return chinese(locale) ? "这个按钮已经失效了，请发送 /help 查看我现在能做什么。"
                : "This button no longer works: send /help to see what I can do now.";
    }

    /** The command menu, in English (the default) or Chinese. */
    static List<BotCommand> commands(boolean zh) {
        return List.of(
                new BotCommand("start", zh ? "开始：看看能做什么" : "Start: what I can do"),
                new BotCommand("help", zh ? "帮助" : "Help"),
                new BotCommand("credits", zh ? "查看积分余额" : "Your credit balance"),
                new BotCommand("status", zh ? "查看时间线" : "Your project's timeline"),
                new BotCommand("export", zh ? "渲染并发送 MP4" : "Render and send the MP4"),
                new BotCommand("upload", zh ? "如何发送文件" : "How to send files"),
                new BotCommand("new", zh ? "开始新项目" : "Start a new project"),
                new BotCommand("cancel", zh ? "停止当前请求" : "Stop the current request"));
    }
}
