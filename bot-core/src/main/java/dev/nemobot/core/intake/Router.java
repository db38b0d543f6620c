package dev.nemobot.core.intake;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Attachment;
import dev.nemobot.core.chat.Command;
import dev.nemobot.core.chat.Incoming;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Picks the action for a message, per the contract's routing table. Stateless and thread-safe.
 *
 * <p>Rules, in order:
 * <ol>
 * <li>Two or more images with a request in their caption (a Discord message with several images, a Telegram album)
 *     are a {@link Route.Batch}: each image its own take of the request, in the order sent.</li>
 * <li>Any other attachment is an {@link Route.Upload}; its caption, if any, runs as a turn after the upload.</li>
 * <li>The commands of an {@link Intent} ({@link Command}: {@code /start /help /credits /status /export /upload /new
 *     /cancel /settings /videos /forget}, the /forget question's buttons' {@code /erase /keep}, and the buttons'
 *     {@code /again /longer /music}), with the argument each takes ({@link Command#argument()}, others ignored; a
 *     full-width {@code ／} too); any other {@code /command} is named back as unknown
 *     with the help, and never reaches the backend as a prompt.</li>
 * <li>A <b>keyword message</b> — a message that is nothing but a request for one keyword action — skips the
 *     backend. Keywords: export: "export", "download", "send me the video", "导出", "下载"; credits: "credits",
 *     "credit", "balance", "积分", "余额"; state: "status", "show tracks", "状态"; upload: "upload", "上传"; and the
 *     Traditional Chinese forms ("匯出", "積分", "餘額", "狀態", "上傳", ...).
 *     "Nothing but" means: every other word is a filler from a short list (please, my, the, now, video, mp4,
 *     1080p, what, is, how, many, …; for Chinese, characters such as 我 的 请 查看 视频 多少), at most 8 words,
 *     and only one action's keywords occur. So "export 1080p MP4", "what's my balance?", "导出视频" and
 *     "查看积分" are keyword messages, while "animate this and export 1080p" is a turn: the backend does the
 *     generation, and the bot exports the result when the turn finishes (auto export, or the backend's
 *     "Export" talk).</li>
 * <li>Everything else is a {@link Route.Turn}.</li>
 * </ol>
 */
final class Router {
    /** The intents a typed command asks for, by its word: {@link Intent#command()}. */
    private static final Map<String, Intent> COMMANDS = Arrays.stream(Intent.values())
            .filter(i -> i.command().isPresent())
            .collect(Collectors.toUnmodifiableMap(i -> i.command().get().word(), i -> i));
    /** A page of the history, as {@code /videos 2} names it. */
    private static final Pattern PAGE = Pattern.compile("[1-9][0-9]{0,3}");
    /** What a command name looks like on Telegram and Discord; anything else after a slash is not named back. */
    private static final Pattern COMMAND_NAME = Pattern.compile("[\\p{L}\\p{N}_]{1,32}");

    /** English keyword phrases (as word sequences) per intent. */
    private static final Map<Intent, List<List<String>>> WORDS = Map.of(
            Intent.EXPORT, List.of(List.of("export"), List.of("download"), List.of("send", "me", "the", "video")),
            Intent.CREDITS, List.of(List.of("credits"), List.of("credit"), List.of("balance")),
            Intent.STATUS, List.of(List.of("status"), List.of("show", "tracks")),
            Intent.UPLOAD_HELP, List.of(List.of("upload")));

    private static final Map<Intent, List<String>> HAN = Map.of(
            Intent.EXPORT, List.of("导出", "下载", "匯出", "導出", "下載"),
            Intent.CREDITS, List.of("积分", "余额", "積分", "餘額", "點數"),
            Intent.STATUS, List.of("状态", "狀態"),
            Intent.UPLOAD_HELP, List.of("上传", "上傳"));

    private static final Set<String> FILLERS = Set.of(
            "please", "pls", "plz", "now", "my", "the", "a", "an", "me", "it", "this", "video", "clip", "mp4", "file",
            "1080p", "720p", "4k", "hd", "full", "high", "quality", "in", "as", "what", "whats", "s", "is", "are",
            "how", "many", "much", "do", "does", "i", "have", "left", "can", "could", "would", "you", "get", "give",
            "current", "project", "check", "show", "see", "tell", "hi", "hey", "ok", "okay", "thanks", "again",
            "to", "image", "photo", "picture", "remaining", "account", "of", "for", "here", "your", "let");

    private static final String HAN_FILLERS = "我的请帮一下查看看显示当前现在吧吗呢啊了视频项目多少还有剩余是个把给发送你能可以么一个当前"
            + "图片文件怎么如何。，？！"
            + "請幫顯示當現嗎還剩餘個給發傳送妳麼圖檔案怎麼視頻影片專案項目目前"; // the same in Traditional Chinese

    private static final int MAX_WORDS = 8;

    private Router() {
    }

    /**
     * The most images one request may animate (each its own take): what a Discord message carries at most, and a
     * Telegram album.
     */
    public static final int MAX_BATCH = 10;

    public static Route route(Incoming message) {
        String text = message.text();
        if (batch(message)) {
            return new Route.Batch(message.attachments(), text);
        }
        if (!message.attachments().isEmpty()) {
            return new Route.Upload(message.attachments(), text);
        }
        if (text.isBlank()) {
            return new Route.Nothing();
        }
        if (text.startsWith("/") || text.startsWith("\uFF0F")) { // a Chinese keyboard's full-width slash too
            String name = text.substring(1).split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
            int at = name.indexOf('@');
            if (at >= 0) {
                name = name.substring(0, at);
            }
            Intent known = COMMANDS.get(name);
            if (known != null) {
                return new Route.Do(known, argument(known.command().orElseThrow(), text.substring(1).strip()));
            }
            return COMMAND_NAME.matcher(name).matches() ? new Route.Do(Intent.UNKNOWN_COMMAND, "/" + name)
                    : new Route.Do(Intent.HELP);
        }
        Intent keyword = keyword(text);
        return keyword != null ? new Route.Do(keyword) : new Route.Turn(text);
    }

    /**
     * What follows the command's word in {@code typed} (the text after the slash), as the command takes it:
     * everything for /settings (the change asked for), the result id the buttons add to /again, /longer and /music,
     * the page of {@code /videos 2}; else, and when it is not what the command takes, "".
     */
    private static String argument(Command command, String typed) {
        String[] words = typed.split("\\s+");
        return switch (command.argument()) {
            case TEXT -> {
                String[] parts = typed.split("\\s+", 2);
                yield parts.length == 2 ? parts[1] : "";
            }
            case RESULT_ID -> words.length == 2 && Action.isResultId(words[1]) ? words[1] : "";
            case PAGE -> words.length == 2 && PAGE.matcher(words[1]).matches() ? words[1] : "";
            case NONE -> "";
        };
    }

    /**
     * The takes a message asks for: one per image of a {@link Route.Batch}, else 1. The rate limit, the user's queue
     * and the daily budget count each take.
     */
    public static int takes(Incoming message) {
        return batch(message) ? message.attachments().size() : 1;
    }

    /** Two or more files, all images, and a request that is not a command. */
    private static boolean batch(Incoming message) {
        List<Attachment> files = message.attachments();
        String text = message.text();
        return files.size() >= 2 && !text.isBlank() && !text.startsWith("/") && !text.startsWith("\uFF0F")
                && files.stream().allMatch(Router::image);
    }

    /** A photo, or a file its platform declares an image. */
    private static boolean image(Attachment a) {
        return a.unnamedPhoto() || a.contentType().toLowerCase(Locale.ROOT).startsWith("image/");
    }

    /** The keyword intent when the whole message is a keyword request, else null. */
    static Intent keyword(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        Set<Intent> found = EnumSet.noneOf(Intent.class);
        // Chinese keywords are found as substrings and removed before looking at words
        StringBuilder rest = new StringBuilder(lower);
        for (Map.Entry<Intent, List<String>> e : HAN.entrySet()) {
            for (String kw : e.getValue()) {
                int i;
                while ((i = rest.indexOf(kw)) >= 0) {
                    found.add(e.getKey());
                    rest.replace(i, i + kw.length(), " ");
                }
            }
        }
        List<String> words = new ArrayList<>();
        StringBuilder han = new StringBuilder();
        for (String token : rest.toString().split("[^\\p{L}\\p{N}]+")) {
            if (token.isEmpty()) {
                continue;
            }
            if (token.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN)) {
                han.append(token);
            } else {
                words.add(token);
            }
        }
        if (words.size() > MAX_WORDS) {
            return null;
        }
        boolean[] used = new boolean[words.size()];
        for (Map.Entry<Intent, List<List<String>>> e : WORDS.entrySet()) {
            for (List<String> phrase : e.getValue()) {
                for (int i = 0; i + phrase.size() <= words.size(); i++) {
                    if (words.subList(i, i + phrase.size()).equals(phrase)) {
                        found.add(e.getKey());
                        for (int j = i; j < i + phrase.size(); j++) {
                            used[j] = true;
                        }
                    }
                }
            }
        }
        if (found.size() != 1) {
            return null;
        }
        for (int i = 0; i < words.size(); i++) {
            if (!used[i] && !FILLERS.contains(words.get(i))) {
                return null;
            }
        }
        if (han.codePoints().anyMatch(cp -> HAN_FILLERS.indexOf(cp) < 0)) {
            return null;
        }
        return found.iterator().next();
    }
}
