package dev.nemobot.discord;

import java.util.Locale;

/**
 * The few answers the adapter gives by itself (before anything reaches the engine), and button labels, in
 * English and Chinese. Plain text.
 */
final class Texts {
    private Texts() {
    }

    static boolean chinese(Locale locale) {
        return locale != null && "zh".equals(locale.getLanguage());
    }

    /** To someone pressing another user's buttons; {@code ownerId} is the owner's user id (shown as a mention). */
    static String notYours(Locale locale, String ownerId) {
        String owner = "<@" + ownerId + ">";
        return chinese(locale)
                ? "这些按钮是给 " + owner + " 的。用 /animate 开始你自己的视频吧。"
                : "These buttons are for " + owner + ". Use /animate to start your own video.";
    }

    static String dmsOff(Locale locale) {
        return chinese(locale)
                ? "我只在服务器里工作：请在我加入的服务器频道里 @我 或使用 /animate。"
                : "I work only in servers: mention me or use /animate in a server channel I am in.";
    }

    static String notAnImage(Locale locale, String fileName) {
        return chinese(locale)
                ? "文件 " + fileName + " 不是图片。请发送 PNG、JPEG、WebP 或 GIF 图片。"
                : "The file " + fileName + " is not an image. Please send a PNG, JPEG, WebP or GIF picture.";
    }

    static String tooLarge(Locale locale, String fileName, long limitBytes) {
        long mb = limitBytes / (1024 * 1024);
        return chinese(locale)
                ? "图片 " + fileName + " 超过 " + mb + " MB。请发送小一点的图片。"
                : "The image " + fileName + " is larger than " + mb + " MB. Please send a smaller one.";
    }

}
