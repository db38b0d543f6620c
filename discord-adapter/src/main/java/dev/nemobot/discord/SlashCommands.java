package dev.nemobot.discord;

import java.util.List;
import net.dv8tion.jda.api.interactions.DiscordLocale;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;

/** The global slash commands the bot registers at start, with English and Chinese descriptions. */
final class SlashCommands {
    private SlashCommands() {
    }

    static List<SlashCommandData> all(boolean allowDms) {
        InteractionContextType[] contexts = allowDms
                ? new InteractionContextType[] {InteractionContextType.GUILD, InteractionContextType.BOT_DM}
                : new InteractionContextType[] {InteractionContextType.GUILD};
        SlashCommandData animate = command("animate", "Turn an image into a short AI video", "把图片变成一段 AI 短视频")
                .addOptions(
                        new OptionData(OptionType.ATTACHMENT, DiscordListener.IMAGE_OPTION, "The picture to animate (PNG, JPEG, WebP, GIF; up to 20 MB)", true)
                                .setDescriptionLocalization(DiscordLocale.CHINESE_CHINA, "要制作成视频的图片（PNG、JPEG、WebP、GIF，最大 20 MB）"),
                        new OptionData(OptionType.STRING, DiscordListener.PROMPT_OPTION, "What should happen in the video", false)
                                .setDescriptionLocalization(DiscordLocale.CHINESE_CHINA, "希望视频里发生什么")
                                .setMaxLength(1500));
        List<SlashCommandData> all = List.of(
                animate,
                command("credits", "Show your remaining credits", "查看剩余积分"),
                command("status", "Show what your current project contains", "查看当前项目的内容"),
                command("export", "Render and send the video", "导出并发送视频"),
                command("new", "Start a new project", "开始一个新项目"),
                command("help", "How to use the bot", "使用说明"),
                command("cancel", "Stop the current generation", "停止当前的生成"));
        all.forEach(c -> c.setContexts(contexts));
        return all;
    }

    private static SlashCommandData command(String name, String english, String chinese) {
        return Commands.slash(name, english)
                .setDescriptionLocalization(DiscordLocale.CHINESE_CHINA, chinese)
                .setDescriptionLocalization(DiscordLocale.CHINESE_TAIWAN, chinese);
    }
}
