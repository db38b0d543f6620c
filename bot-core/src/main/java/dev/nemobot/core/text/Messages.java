package dev.nemobot.core.text;

import dev.nemobot.core.nemo.Credits;
import java.time.Duration;
import java.util.Optional;

/**
 * Every sentence the bot says, in English and Chinese. Plain text (no markup), never a token or raw JSON.
 * Immutable; get one with {@link #of(Lang)}.
 */
public final class Messages {
    private static final Messages EN = new Messages(Lang.EN);
    private static final Messages ZH = new Messages(Lang.ZH);
    private static final String FORMATS = "mp4, mov, avi, webm, mkv, jpg, png, gif, webp, mp3, wav, m4a, aac";
    private static final String IMAGES = "jpg, png, gif, webp, heic";

    private final Lang lang;

    private Messages(Lang lang) {
        this.lang = lang;
    }

    public static Messages of(Lang lang) {
        return lang == Lang.ZH ? ZH : EN;
    }

    public Lang lang() {
        return lang;
    }

    private String t(String en, String zh) {
        return lang == Lang.ZH ? zh : en;
    }

    public String welcome() {
        return t("""
                Hi! Send me a still image and tell me what you want, for example "animate this image into a \
                5-second video with smooth motion". About a minute later the MP4 arrives here.
                Images with a clear subject and a plain background animate best. Send /help for everything I can do.""",
                """
                你好！发给我一张图片，并告诉我你想要什么，例如"把这张图片做成 5 秒的流畅动态视频"。大约一分钟后，MP4 就会发到这里。
                主体清晰、背景简单的图片效果最好。发送 /help 查看全部功能。""");
    }

    public String ready() {
        return t("Ready!", "准备好了！");
    }

    public String help() {
        return t("""
                Send an image (with or without a caption) and say what to do with it, e.g. "animate this image into \
                a 5-second video with smooth motion" or "add lo-fi background music".
                /export (or "export", "download") - render the project and send the MP4
                /status (or "status", "show tracks") - what the timeline holds
                /credits (or "credits", "balance") - your credit balance
                /upload - how to send a file
                /new - start a fresh project
                /cancel - stop waiting for the current request""",
                """
                发送一张图片（可附说明），并说出你想怎么处理，例如"把这张图片做成 5 秒的流畅动态视频"或"加上轻音乐背景"。
                /export（或"导出"）- 渲染项目并发送 MP4
                /status（或"状态"）- 查看时间线
                /credits（或"积分"、"余额"）- 查看积分余额
                /upload（或"上传"）- 如何发送文件
                /new - 开始一个新项目
                /cancel - 停止等待当前请求""");
    }

    /** An unknown {@code /command}: said first, then what the bot understands. */
    public String unknownCommand(String command) {
        return t("I don't know " + command + ". Here is what I can do:\n", "我不认识 " + command + " 这个命令。我能做这些：\n")
                + help();
    }

    public String uploadHelp() {
        return t("To upload, just send the file here as an attachment (a caption becomes your instruction). "
                        + "Accepted: " + FORMATS + " (HEIC works for stills too), up to 20 MB.",
                "直接把文件作为附件发到这里即可上传（附带的说明会作为你的指令）。支持格式：" + FORMATS
                        + "（静态图片也可用 HEIC），最大 20 MB。");
    }

    public String uploaded(String name) {
        return t("Got it: " + name + " is in your project. Now tell me what to do with it, e.g. \"animate this image "
                        + "into a 5-second video with smooth motion\".",
                "收到：" + name + " 已加入你的项目。现在告诉我要怎么处理，例如\"把这张图片做成 5 秒的流畅动态视频\"。");
    }

    public String queued(int position) {
        return t("I'm still working on your last request. This message is queued (#" + position
                        + ") and will be handled next.",
                "我还在处理你上一个请求。这条消息已排队（第 " + position + " 位），稍后处理。");
    }

    /** The user's queue is full: the message was dropped, not kept for later. */
    public String busy() {
        return t("I'm still working on your earlier requests and can't queue more, so I did not keep this message. "
                        + "Send it again once they are done (or send /cancel).",
                "我还在处理你之前的请求，队列已满，这条消息没有保留。请等它们完成后重新发送（或发送 /cancel）。");
    }

    public String stillWorking() {
        return t("⏳ Still working…", "⏳ 仍在处理中…");
    }

    public String timedOut() {
        return t("The backend has sent nothing but \"still working\" signals for a long time, so I stopped waiting. "
                        + "It may still finish: /status will show your project.",
                "后台很长时间没有进展，我已停止等待。它可能仍会完成：发送 /status 查看项目。");
    }

    public String cancelled(int dropped) {
        String en = "Stopped waiting" + (dropped > 0 ? " and dropped " + dropped + " queued message"
                + (dropped == 1 ? "" : "s") : "") + ". The backend may still finish what it had started: /status will show it.";
        String zh = "已停止等待" + (dropped > 0 ? "，并丢弃了 " + dropped + " 条排队消息" : "")
                + "。后台可能仍会完成已开始的工作：发送 /status 查看。";
        return t(en, zh);
    }

    public String nothingToCancel() {
        return t("There is nothing running to cancel.", "当前没有正在进行的任务。");
    }

    /** After a restart that cut off the user's request; {@code summary} is the timeline now ("" if empty). */
    public String interrupted(String summary) {
        String now = summary.isBlank() ? t("Your project is still empty.", "你的项目目前还是空的。") : summary;
        return t("I was restarted while working on your last request. I did not send it again (that could "
                        + "charge you twice): it may have finished anyway. Here is your project now:\n" + now,
                "处理你上一个请求时我重启了。为避免重复扣积分，我没有重新发送它；它可能已经完成。你的项目现在是：\n" + now);
    }

    public String recovering() {
        return t("The connection to the backend dropped; I'm checking on your project…",
                "与后台的连接中断了，正在检查你的项目…");
    }

    /**
     * A turn whose answer never arrived (the connection broke before its first event) and that changed nothing while
     * the bot watched; {@code summary} is the timeline now ("" if empty).
     */
    public String answerLost(String summary) {
        String now = summary.isBlank() ? t("Your project is still empty.", "你的项目目前还是空的。") : summary;
        return t("The connection to the backend broke before the answer to your last message arrived. I did not "
                        + "send it again (that could charge you twice): it may still be running. Your project now:\n"
                        + now + "\nSend /status in a few minutes to see whether it changed, before asking again.",
                "在你上一条消息的回复到达之前，与后台的连接中断了。为避免重复扣积分，我没有重新发送；它可能仍在处理中。你的项目现在是：\n"
                        + now + "\n请几分钟后发送 /status 查看是否有变化，再决定是否重新请求。");
    }

    public String done(String summary) {
        return summary.isBlank() ? t("Done.", "完成。") : t("Done. ", "完成。") + summary;
    }

    /** The project holds uploaded files ({@code names}) but nothing made from them yet. */
    public String uploadWaiting(String names) {
        return t(names + " is in your project, waiting for a request: tell me what to make of it, e.g. \"animate "
                        + "this image into a 5-second video with smooth motion\".",
                names + " 已在你的项目中，正在等待你的指令：告诉我要做什么，例如\"把这张图片做成 5 秒的流畅动态视频\"。");
    }

    public String emptyProject() {
        return t("Your project is empty: send me an image to start.", "你的项目还是空的：发一张图片开始吧。");
    }

    public String generating() {
        return t("Your video is still being generated; I'll send it when it's done.", "视频仍在生成中，完成后我会发给你。");
    }

    public String credits(Credits c) {
        return t("Credits: " + c.available() + " available, " + c.frozen() + " reserved, " + c.total() + " in total.",
                "积分：可用 " + c.available() + "，冻结 " + c.frozen() + "，总计 " + c.total() + "。");
    }

    public String exportNothing() {
        return t("There is nothing to export yet: generate something first (send an image and tell me what to do).",
                "还没有可导出的内容：请先生成视频（发一张图片并告诉我要做什么）。");
    }

    public String exportJoined() {
        return t("This project is already being exported; the video will arrive here when it is ready.",
                "这个项目正在导出中，完成后视频会发到这里。");
    }

    public String exportQueued() {
        return t("I'll export as soon as the current request is done.", "当前请求完成后我会立即导出。");
    }

    public String exportHint() {
        return t("Send /export when you want the MP4.", "需要 MP4 时发送 /export。");
    }

    public String rendering() {
        return t("Rendering… (usually 30-90 s)", "正在渲染…（通常需要 30-90 秒）");
    }

    public String renderingProgress(int percent) {
        return t("Rendering… " + percent + "%", "正在渲染… " + percent + "%");
    }

    /** The render's progress with the time left as predicted from it. */
    public String renderingProgress(int percent, Duration left) {
        return t("Rendering… " + percent + "%, about " + roughly(left) + " left",
                "正在渲染… " + percent + "%，大约还需 " + roughly(left));
    }

    /** The export that starts by itself after a generation: what happens next. */
    public String renderingAuto() {
        return t("Rendering your clip as an MP4 to send it here… (usually 30-90 s)",
                "正在把你的短片渲染成 MP4 并发到这里…（通常需要 30-90 秒）");
    }

    /** "40 s" / "2 min"; at least 5 s, rounded to 5 s under a minute and to whole minutes above. */
    private String roughly(Duration d) {
        long s = Math.max(5, d.toSeconds());
        if (s < 60) {
            long r = Math.max(5, Math.round(s / 5.0) * 5);
            return t(r + " s", r + " 秒");
        }
        long min = Math.round(s / 60.0);
        return t(min + " min", min + " 分钟");
    }

    /** Said the moment a file arrives, before it is uploaded. */
    public String uploading(String name) {
        return t("Uploading " + name + "…", "正在上传 " + name + "…");
    }

    /** Said the moment a request is accepted, before the backend answers; replaced by the answer. */
    public String working() {
        return t("⏳ Working on it…", "⏳ 正在处理…");
    }

    /** The acknowledgement of a request that ended before the backend said anything (cancelled). */
    public String stopped() {
        return t("Stopped.", "已停止。");
    }

    /** A quick-edit button ("Again", "Longer") from an earlier project, or whose request is no longer known. */
    public String staleButton() {
        return t("That button belongs to an earlier video, and I don't have its request any more. Send the image "
                        + "and tell me what to make of it, and I'll start from there.",
                "这个按钮属于之前的视频，我已经没有它的请求了。请重新发送图片并告诉我要做什么，我会从那里开始。");
    }

    /** A quick-edit button pressed while the project has nothing to edit (a new project, or an empty one). */
    public String nothingToEdit() {
        return t("That button belongs to an earlier video: your current project has nothing to change yet. Send an "
                        + "image and tell me what to make of it.",
                "这个按钮属于之前的视频：你当前的项目里还没有可修改的内容。请发送图片并告诉我要做什么。");
    }

    /** The export's progress while the backend does not answer; the render goes on meanwhile. */
    public String renderingBackendDown() {
        return t("Rendering… the video service is not answering right now. I'll keep checking and send the video as "
                        + "soon as it's back: no need to ask again.",
                "正在渲染…视频服务暂时没有响应。我会继续查询，恢复后立即把视频发给你，无需重新请求。");
    }

    public String videoReady() {
        return t("Video ready!", "视频已完成！");
    }

    public String videoCaption(String taskLink) {
        return t("Here is your video. Open the project on NemoVideo: " + taskLink,
                "这是你的视频。在 NemoVideo 上打开项目：" + taskLink);
    }

    /** The video as a link because it is over the chat's upload limit. */
    public String videoLink(String videoUrl, String taskLink) {
        return linkTooLarge(-1, -1) + " " + downloadAt(Optional.of(videoUrl), taskLink);
    }

    /** The video as a link, without a download address, because the file could not be fetched. */
    public String videoOnlyTaskLink(String taskLink) {
        return linkNotFetched() + " " + downloadAt(Optional.empty(), taskLink);
    }

    /**
     * The video as a link: {@code reason} (one of the {@code link…} sentences) says why it is not a file here;
     * {@code videoUrl} is the download address, when the backend gave one.
     */
    public String videoLinkBecause(String reason, Optional<String> videoUrl, String taskLink) {
        return reason + " " + downloadAt(videoUrl, taskLink);
    }

    private String downloadAt(Optional<String> videoUrl, String taskLink) {
        return videoUrl.map(u -> t("Download it here: " + u + "\nOpen the project on NemoVideo: " + taskLink,
                        "请在这里下载：" + u + "\n在 NemoVideo 上打开项目：" + taskLink))
                .orElseGet(() -> t("Open the project on NemoVideo to download it: " + taskLink,
                        "请在 NemoVideo 上打开项目下载：" + taskLink));
    }

    /** Why a link: the video is over the chat's limit ({@code size} and {@code limit} in bytes, -1 when unknown). */
    public String linkTooLarge(long size, long limit) {
        if (size < 0 || limit < 0) {
            return t("The video is too large to send here.", "视频文件太大，无法在这里直接发送。");
        }
        return t("The video (" + megabytes(size) + ") is too large to send here: this chat takes files up to "
                        + megabytes(limit) + ".",
                "视频（" + megabytes(size) + "）太大，无法在这里直接发送：这个聊天最多接收 " + megabytes(limit) + " 的文件。");
    }

    /** Why a link: the platform ({@code platform}, e.g. "Telegram") refused the upload for another reason. */
    public String linkRefused(String platform) {
        return t(platform + " refused the video upload, so here is a link instead.",
                platform + " 拒绝了视频上传，所以这里给你一个链接。");
    }

    /** Why a link: uploading the file to the chat failed (network, time-out). */
    public String linkUploadFailed(String platform) {
        return t("Uploading the video to " + platform + " failed, so here is a link instead.",
                "视频上传到 " + platform + " 失败了，所以这里给你一个链接。");
    }

    /** Why a link: the finished file could not be fetched from the video service. */
    public String linkNotFetched() {
        return t("The video is ready, but I could not fetch the file from the video service to send it here.",
                "视频已完成，但我无法从视频服务获取文件并发到这里。");
    }

    /** Why a link: the file could not be stored on the bot's side to send it. */
    public String linkNotStored() {
        return t("The video is ready, but I could not store the file on my side to send it here.",
                "视频已完成，但我这边无法保存文件并发到这里。");
    }

    /** "12.3 MB", or "600 KB" under a megabyte. */
    private String megabytes(long bytes) {
        if (bytes < 1024 * 1024) {
            return Math.max(1, (bytes + 1023) / 1024) + " KB";
        }
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    public String exportFailed() {
        return t("The export failed on the server. Send /export to try again.", "服务器导出失败。发送 /export 重试。");
    }

    public String exportTimedOut() {
        return t("The export is taking unusually long, so I stopped waiting. Send /export later to try again.",
                "导出耗时异常，我已停止等待。请稍后发送 /export 重试。");
    }

    public String newSession() {
        return t("Started a new project. Send an image to begin.", "已开始新项目。发送一张图片开始吧。");
    }

    public String sessionReplaced() {
        return t("Your previous project is no longer available on the server, so I started a new one.",
                "你之前的项目在服务器上已不存在，我已为你新建了一个项目。");
    }

    public String sessionLost() {
        return t("Your previous project is no longer available on the server, so I started a new one. "
                        + "Please send your image again.",
                "你之前的项目在服务器上已不存在，我已为你新建了一个项目。请重新发送图片。");
    }

    public String noCreditsAnonymous(String signupLink) {
        return t("You have used up the free credits. Sign up to get more and keep your project: " + signupLink,
                "免费积分已用完。注册即可获得更多积分并保留你的项目：" + signupLink);
    }

    public String noCreditsRegistered() {
        return t("The account has no credits left: top up your credits in your NemoVideo account, then try again.",
                "账户积分已用完：请在 NemoVideo 账户中充值后重试。");
    }

    public String unsupportedFile(String name) {
        return t("I can't use " + name + ": the supported formats are " + FORMATS + " (HEIC works for stills too). "
                        + "Please send one of those instead.",
                "无法使用 " + name + "：支持的格式为 " + FORMATS + "（静态图片也可用 HEIC）。请改发其中一种格式的文件。");
    }

    public String fileTooLarge(String name) {
        return t(name + " is larger than 20 MB, the backend's limit. Please compress or trim it and send it again.",
                name + " 超过了 20 MB 的上限。请压缩或剪短后重新发送。");
    }

    public String fileEmpty(String name) {
        return t(name + " is empty, so there is nothing to upload. Please send the picture (" + IMAGES
                        + ") or video again.",
                name + " 是空文件，无法上传。请重新发送图片（" + IMAGES + "）或视频。");
    }

    /** A file whose bytes are not an accepted type; {@code looksLike} is what it seems to be ("PDF"), if known. */
    public String fileNotAccepted(String name, Optional<String> looksLike) {
        String en = looksLike.map(k -> " (it is a " + k + " file, whatever its name says)").orElse("");
        String zh = looksLike.map(k -> "（无论文件名是什么，它实际上是 " + k + " 文件）").orElse("");
        return t("I can't use " + name + en + ": its contents are not a picture, video or sound file I accept. "
                        + "Please send one of " + FORMATS + " (HEIC works for stills too), up to 20 MB.",
                "无法使用 " + name + zh + "：它的内容不是支持的图片、视频或音频。请发送以下格式之一：" + FORMATS
                        + "（静态图片也可用 HEIC），最大 20 MB。");
    }

    /**
     * A turn refused because the user spent their daily budget of the operator's credits.
     *
     * @param budget the daily budget in credits
     * @param until  time left until the budget renews (at 00:00 UTC)
     */
    public String dailyBudgetUsed(long budget, Duration until) {
        return t("You have used today's budget of " + budget + " credits for new videos and edits. It renews at "
                        + "00:00 UTC, " + inTime(until) + ". Until then /status, /export and /credits still work.",
                "你今天 " + budget + " 积分的额度已用完（用于生成和编辑视频）。额度将在 UTC 时间 00:00 重置，"
                        + inTime(until) + "。在此之前，/status、/export 和 /credits 仍可使用。");
    }

    /** The line /credits adds under a daily budget. */
    public String dailyBudget(long remaining, long budget, Duration until) {
        return t("Your daily budget: " + remaining + " of " + budget + " credits left today (renews at 00:00 UTC, "
                        + inTime(until) + ").",
                "你的每日额度：今天还剩 " + remaining + " / " + budget + " 积分（UTC 时间 00:00 重置，" + inTime(until) + "）。");
    }

    /** "in 3 h 20 min" / "3 小时 20 分钟后"; at least one minute. */
    private String inTime(Duration d) {
        long minutes = Math.max(1, (d.toSeconds() + 59) / 60);
        long h = minutes / 60;
        long min = minutes % 60;
        String en = "in " + (h > 0 ? h + " h" + (min > 0 ? " " : "") : "") + (min > 0 ? min + " min" : "");
        String zh = (h > 0 ? h + " 小时" + (min > 0 ? " " : "") : "") + (min > 0 ? min + " 分钟" : "") + "后";
        return t(en, zh);
    }

    public String attachmentUnreadable(String name) {
        return t("I couldn't read " + name + " from the chat. Please send it again.", "无法从聊天中读取 " + name + "，请重新发送。");
    }

    public String planRequired() {
        return t("Export is not included in the free plan: register or upgrade your plan to unlock export.",
                "免费套餐不支持导出：请注册或升级套餐以解锁导出。");
    }

    public String rateLimited() {
        return t("The video backend is limiting requests right now. Please try again in a few minutes.",
                "视频后台当前请求过多，请几分钟后重试。");
    }

    public String backendUnavailable() {
        return t("The video backend is unavailable right now. Please try again in a little while; your project is safe.",
                "视频后台暂时不可用，请稍后重试；你的项目不会丢失。");
    }

    public String signupsUsedUp() {
        return t("This bot's free sign-ups are used up for now, so I can't start a project for you. "
                        + "The bot's operator can fix this by setting NEMO_TOKEN to a NemoVideo account token.",
                "本机器人的免费注册名额暂时用完了，无法为你创建项目。机器人的管理员可以通过设置 NEMO_TOKEN（NemoVideo 账户令牌）解决。");
    }

    public String operatorTokenRejected() {
        return t("The backend rejected this bot's account token. The bot's operator needs to check NEMO_TOKEN.",
                "后台拒绝了本机器人的账户令牌，需要管理员检查 NEMO_TOKEN。");
    }

    public String turnFailed() {
        return t("Something went wrong on the backend with that request. Please try again.",
                "后台处理这个请求时出错了，请重试。");
    }

    public String internalError() {
        return t("Sorry, something went wrong on my side. Please try again.", "抱歉，我这边出了点问题，请重试。");
    }

    public String shuttingDown() {
        return t("The bot is restarting; please send that again in a minute.", "机器人正在重启，请稍后重新发送。");
    }

    public String describeEdit() {
        return t("To change the timeline, just tell me the edit in words (e.g. \"move the title to the end\").",
                "要修改时间线，直接用文字告诉我（例如\"把标题移到结尾\"）。");
    }
}
