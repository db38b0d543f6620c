package dev.nemobot.core.text;

import dev.nemobot.core.chat.kit.Catalogue;
import dev.nemobot.core.chat.Lang;
import dev.nemobot.core.chat.kit.FileType;
import dev.nemobot.core.backend.Credits;
import dev.nemobot.core.store.Results;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every sentence the bot says, in the user's language: each method formats a key of the {@link Catalogue}
 * ({@code dev/nemobot/core/chat/messages*.properties}; how to add one is at the top of {@code messages.properties}).
 * Plain text (no markup), never a token or raw JSON. Immutable; get one with {@link #of(Lang)}.
 */
public final class Messages {
    private static final Map<Lang, Messages> ALL = new EnumMap<>(Lang.class);
    private static final String FORMATS = FileType.CONTRACT_FORMATS;
    private static final String IMAGES = FileType.IMAGE_FORMATS;
    /** The most images one request animates (the router's {@code MAX_BATCH}; text may not depend on intake). */
    private static final int MAX_BATCH = 10;

    static {
        for (Lang lang : Lang.values()) {
            ALL.put(lang, new Messages(Catalogue.of(lang)));
        }
    }

    private final Catalogue c;

    private Messages(Catalogue catalogue) {
        this.c = catalogue;
    }

    public static Messages of(Lang lang) {
        return ALL.get(lang == null ? Lang.EN : lang);
    }

    public Lang lang() {
        return c.lang();
    }

    public String welcome() {
        return c.text("welcome");
    }

    public String ready() {
        return c.text("ready");
    }

    /** The commands, the quick edits under a video ({@code /again /longer /music}) last. */
    public String help() {
        return c.text("help") + "\n" + c.text("help.forget") + "\n" + c.text("help.quickEdits") + "\n"
                + c.text("help.batch", MAX_BATCH) + "\n" + c.text("help.options") + "\n" + c.text("help.settings")
                + "\n" + c.text("help.videos", String.valueOf(Results.KEEP.toDays()));
    }

    /** An unknown {@code /command}: said first, then what the bot understands. */
    public String unknownCommand(String command) {
        return c.text("unknownCommand", command, help());
    }

    public String uploadHelp() {
        return c.text("uploadHelp", FORMATS);
    }

    public String uploaded(String name) {
        return c.text("uploaded", name);
    }

    /** What {@link #uploaded(String)} names when several files came in one message: "3 files". */
    public String uploadedFiles(int count) {
        return c.text("uploadedFiles", count);
    }

    public String queued(int position) {
        return c.text("queued", String.valueOf(position));
    }

    /**
     * The one note about a user's messages waiting behind their running request, edited as the count changes:
     * "… 2 more messages are queued and will be handled in order."
     */
    public String queueNote(int waiting) {
        return c.text("queueNote", waiting);
    }

    /** The queue note once every message it counted has started. */
    public String queueNoteDone() {
        return c.text("queueNoteDone");
    }

    /** A turn waits for one of the bot's slots (BOT_MAX_TURNS): many people are using it at once. */
    public String inLine(int place) {
        return c.text("inLine", String.valueOf(place));
    }

    /** Every slot is taken and the line is full (BOT_MAX_WAITING_TURNS). */
    public String lineFull() {
        return c.text("lineFull");
    }

    /** The user's queue is full: the message was dropped, not kept for later. */
    public String busy() {
        return c.text("busy");
    }

    public String stillWorking() {
        return c.text("stillWorking");
    }

    public String timedOut() {
        return c.text("timedOut");
    }

    public String cancelled(int dropped) {
        return c.text("cancelled", dropped);
    }

    public String nothingToCancel() {
        return c.text("nothingToCancel");
    }

    /** After a restart that cut off the user's request; {@code summary} is the timeline now ("" if empty). */
    public String interrupted(String summary) {
        return c.text("interrupted", summary.isBlank() ? c.text("projectStillEmpty") : summary);
    }

    public String recovering() {
        return c.text("recovering");
    }

    /**
     * A turn whose answer never arrived (the connection broke before its first event) and that changed nothing while
     * the bot watched; {@code summary} is the timeline now ("" if empty).
     */
    public String answerLost(String summary) {
        return c.text("answerLost", summary.isBlank() ? c.text("projectStillEmpty") : summary);
    }

    public String done(String summary) {
        return summary.isBlank() ? c.text("done") : c.text("doneWithSummary", summary);
    }

    /** The project holds uploaded files ({@code names}) but nothing made from them yet. */
    public String uploadWaiting(String names) {
        return c.text("uploadWaiting", names);
    }

    public String emptyProject() {
        return c.text("emptyProject");
    }

    public String generating() {
        return c.text("generating");
    }

    public String credits(Credits credits) {
        return c.text("credits", String.valueOf(credits.available()), String.valueOf(credits.frozen()),
                String.valueOf(credits.total()));
    }

    public String exportNothing() {
        return c.text("exportNothing");
    }

    public String exportJoined() {
        return c.text("exportJoined");
    }

    public String exportQueued() {
        return c.text("exportQueued");
    }

    public String exportHint() {
        return c.text("exportHint");
    }

    public String rendering() {
        return c.text("rendering");
    }

    public String renderingProgress(int percent) {
        return c.text("renderingProgress", String.valueOf(percent));
    }

    /** The render's progress with the time left as predicted from it. */
    public String renderingProgress(int percent, Duration left) {
        return c.text("renderingProgressLeft", String.valueOf(percent), roughly(left));
    }

    /** The export that starts by itself after a generation: what happens next. */
    public String renderingAuto() {
        return c.text("renderingAuto");
    }

    /** "40 s" / "2 min"; at least 5 s, rounded to 5 s under a minute and to whole minutes above. */
    private String roughly(Duration d) {
        long s = Math.max(5, d.toSeconds());
        if (s < 60) {
            long r = Math.max(5, Math.round(s / 5.0) * 5);
            return c.text("time.seconds", String.valueOf(r));
        }
        long min = Math.round(s / 60.0);
        return c.text("time.minutes", String.valueOf(min));
    }

    /** Said the moment a file arrives, before it is uploaded. */
    public String uploading(String name) {
        return c.text("uploading", name);
    }

    /** Said the moment a photo without a file name of its own (Telegram's) arrives: "Uploading your photo…". */
    public String uploadingPhoto() {
        return c.text("uploadingPhoto");
    }

    /** How a photo without a file name of its own is named in other sentences: "your photo". */
    public String yourPhoto() {
        return c.text("yourPhoto");
    }

    /** Said the moment a request is accepted, before the backend answers; replaced by the answer. */
    public String working() {
        return c.text("working");
    }

    /** The acknowledgement of a request that ended before the backend said anything (cancelled). */
    public String stopped() {
        return c.text("stopped");
    }

    /** A quick-edit button ("Again", "Longer") from an earlier project, or whose request is no longer known. */
    public String staleButton() {
        return c.text("staleButton");
    }

    /**
     * A quick-edit button ("Again", "Longer") whose result's request is no longer kept (pruned after {@code days}
     * days) or was never known.
     */
    // ---- /videos: the user's history of results ----

    /** The head of a page of the user's videos ({@code page} from 1). */
    public String videosTitle(int page) {
        return c.text("videos.title", String.valueOf(Results.KEEP.toDays()), String.valueOf(page));
    }

    /** One entry: its number on the page, when it was delivered (already formatted) and a short form of its prompt. */
    public String videosEntry(int number, String when, String prompt) {
        return c.text("videos.entry", String.valueOf(number), when, prompt);
    }

    /** The entry's link to its video. */
    public String videosLink(String url) {
        return c.text("videos.link", url);
    }

    /** An entry whose video came with no link the bot trusts. */
    public String videosNoLink() {
        return c.text("videos.noLink");
    }

    /** No video delivered in the days results are kept. */
    public String videosNone() {
        return c.text("videos.none", String.valueOf(Results.KEEP.toDays()));
    }

    public String videosNewer() {
        return c.text("videos.newer");
    }

    public String videosOlder() {
        return c.text("videos.older");
    }

    /** The label of entry {@code number}'s button for another take. */
    public String videosAgain(int number) {
        return c.text("videos.again", String.valueOf(number));
    }

    /** The list asked for where others would see it: ask in a private chat instead. */
    public String videosInPrivateChat() {
        return c.text("videos.private");
    }

    /** The list asked for where others would see it: the platform's own command answers privately. */
    public String videosByPrivateCommand() {
        return c.text("videos.private.discord");
    }

    public String resultGone(long days) {
        return c.text("resultGone", days);
    }

    /** A quick-edit button pressed while the project has nothing to edit (a new project, or an empty one). */
    public String nothingToEdit() {
        return c.text("nothingToEdit");
    }

    /** The export's progress while the backend does not answer; the render goes on meanwhile. */
    public String renderingBackendDown() {
        return c.text("renderingBackendDown");
    }

    public String videoReady() {
        return c.text("videoReady");
    }

    public String videoCaption(String taskLink) {
        return c.text("videoCaption", taskLink);
    }

    /** The video as a link because it is over the chat's upload limit. */
    public String videoLink(String videoUrl, String taskLink) {
        return linkTooLarge(-1, -1) + " " + downloadAt(Optional.of(videoUrl), taskLink);
    }

    /** The video as a link, without a download address, because the file could not be fetched. */
    public String videoOnlyTaskLink(String taskLink) {
        return linkNotFetched() + " " + downloadAt(Optional.empty(), taskLink);
    }

    /** The finished video was refused (it came from where it may not, or was not a video that can be sent). */
    public String videoRefused(String taskLink) {
        return c.text("videoRefused", taskLink);
    }

    /**
     * The video as a link: {@code reason} (one of the {@code link…} sentences) says why it is not a file here;
     * {@code videoUrl} is the download address, when the backend gave one.
     */
    public String videoLinkBecause(String reason, Optional<String> videoUrl, String taskLink) {
        return reason + " " + downloadAt(videoUrl, taskLink);
    }

    private String downloadAt(Optional<String> videoUrl, String taskLink) {
        return videoUrl.map(u -> c.text("videoDownloadAt", u, taskLink))
                .orElseGet(() -> c.text("videoDownloadInProject", taskLink));
    }

    /** Why a link: the video is over the chat's limit ({@code size} and {@code limit} in bytes, -1 when unknown). */
    public String linkTooLarge(long size, long limit) {
        if (size < 0 || limit < 0) {
            return c.text("linkTooLarge");
        }
        return c.text("linkTooLarge.sized", megabytes(size), megabytes(limit));
    }

    /** Why a link: the platform ({@code platform}, e.g. "Telegram") refused the upload for another reason. */
    public String linkRefused(String platform) {
        return c.text("linkRefused", platform);
    }

    /** Why a link: uploading the file to the chat failed (network, time-out). */
    public String linkUploadFailed(String platform) {
        return c.text("linkUploadFailed", platform);
    }

    /**
     * Why a link: the upload to {@code platform} went out but got no answer in time; the video may still appear, and
     * it is not sent again.
     */
    public String linkUploadUnanswered(String platform) {
        return c.text("linkUploadUnanswered", platform);
    }

    /** Why a link: the finished file could not be fetched from the video service. */
    public String linkNotFetched() {
        return c.text("linkNotFetched");
    }

    /** Why a link: the file could not be stored on the bot's side to send it. */
    public String linkNotStored() {
        return c.text("linkNotStored");
    }

    /** "12.3 MB", or "600 KB" under a megabyte. */
    private String megabytes(long bytes) {
        if (bytes < 1024 * 1024) {
            return Math.max(1, (bytes + 1023) / 1024) + " KB";
        }
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    public String exportFailed() {
        return c.text("exportFailed");
    }

    public String exportTimedOut() {
        return c.text("exportTimedOut");
    }

    public String newSession() {
        return c.text("newSession");
    }

    public String sessionReplaced() {
        return c.text("sessionReplaced");
    }

    /**
     * The user's language is not their project's ({@code projectLanguage}, the code the session was created in):
     * the agent keeps answering in it; /new starts a project in the user's language.
     */
    public String projectLanguage(String projectLanguage) {
        String name = java.util.Locale.forLanguageTag(projectLanguage).getDisplayName(c.lang().locale());
        return c.text("projectLanguage", name.isBlank() ? projectLanguage : name);
    }

    public String sessionLost() {
        return c.text("sessionLost");
    }

    public String noCreditsAnonymous(String signupLink) {
        return c.text("noCreditsAnonymous", signupLink);
    }

    public String noCreditsRegistered() {
        return c.text("noCreditsRegistered");
    }

    public String unsupportedFile(String name) {
        return c.text("unsupportedFile", name, FORMATS);
    }

    public String fileTooLarge(String name) {
        return c.text("fileTooLarge", name);
    }

    public String fileEmpty(String name) {
        return c.text("fileEmpty", name, IMAGES);
    }

    /** A file whose bytes are not an accepted type; {@code looksLike} is what it seems to be ("PDF"), if known. */
    public String fileNotAccepted(String name, Optional<String> looksLike) {
        return c.text("fileNotAccepted", name, looksLike.map(k -> c.text("fileNotAccepted.looksLike", k)).orElse(""),
                FORMATS);
    }

    /**
     * A turn refused because the user spent their daily budget of the operator's credits.
     *
     * @param budget the daily budget in credits
     * @param until  time left until the budget renews (at 00:00 UTC)
     */
    public String dailyBudgetUsed(long budget, Duration until) {
        return c.text("dailyBudgetUsed", String.valueOf(budget), inTime(until));
    }

    /** A batch of {@code takes} of which the daily budget ({@code budget}, renewed in {@code until}) pays {@code fit}. */
    public String batchBudget(int takes, int fit, long budget, Duration until) {
        return c.text("batchBudget", takes, fit, String.valueOf(budget), inTime(until));
    }

    /** A batch of {@code takes} of which the user's queue has room for {@code fit}. */
    public String batchQueue(int takes, int fit) {
        return c.text("batchQueue", takes, fit);
    }

    /** The one acknowledgement of a batch: "3 images: 3 takes, in order." */
    public String batchAck(int takes) {
        return c.text("batchAck", takes);
    }

    /** What the acknowledgement says above the take running now: "Take 2 of 3:" */
    public String batchTake(int take, int takes) {
        return c.text("batchTake", String.valueOf(take), String.valueOf(takes));
    }

    /** The acknowledgement once every take has run (their videos are each in a message of its own). */
    public String batchDone(int takes) {
        return c.text("batchDone", takes);
    }

    /** The line /credits adds under a daily budget. */
    public String dailyBudget(long remaining, long budget, Duration until) {
        return c.text("dailyBudget", String.valueOf(remaining), String.valueOf(budget), inTime(until));
    }

    /** "in 3 h 20 min" / "3 小时 20 分钟后"; at least one minute. */
    private String inTime(Duration d) {
        long minutes = Math.max(1, (d.toSeconds() + 59) / 60);
        String h = String.valueOf(minutes / 60);
        String min = String.valueOf(minutes % 60);
        String span = minutes < 60 ? c.text("time.minutes", min)
                : minutes % 60 == 0 ? c.text("time.hours", h)
                : c.text("time.hoursMinutes", h, min);
        return c.text("time.in", span);
    }

    public String attachmentUnreadable(String name) {
        return c.text("attachmentUnreadable", name);
    }

    public String planRequired() {
        return c.text("planRequired");
    }

    public String rateLimited() {
        return c.text("rateLimited");
    }

    public String backendUnavailable() {
        return c.text("backendUnavailable");
    }

    public String signupsUsedUp() {
        return c.text("signupsUsedUp");
    }

    public String operatorTokenRejected() {
        return c.text("operatorTokenRejected");
    }

    public String turnFailed() {
        return c.text("turnFailed");
    }

    public String internalError() {
        return c.text("internalError");
    }

    public String shuttingDown() {
        return c.text("shuttingDown");
    }

    public String describeEdit() {
        return c.text("describeEdit");
    }

    // What a pressed button's pop-up says when its action starts (Telegram answers every press with one)

    public String pressAgain() {
        return c.text("press.again");
    }

    public String pressLonger() {
        return c.text("press.longer");
    }

    public String pressMusic() {
        return c.text("press.music");
    }

    public String pressExport() {
        return c.text("press.export");
    }

    public String pressStatus() {
        return c.text("press.status");
    }

    public String pressCancel() {
        return c.text("press.cancel");
    }

    public String pressErase() {
        return c.text("press.erase");
    }

    // /forget: what the bot keeps about a user, erased when they confirm

    /** The question /forget asks, above its [Erase everything] and [Cancel] buttons. */
    public String forgetAsk() {
        return c.text("forgetAsk");
    }

    /** The question answered [Cancel]. */
    public String forgetKept() {
        return c.text("forgetKept");
    }

    /** The store could not erase (nothing was erased). */
    public String forgetFailed() {
        return c.text("forgetFailed");
    }

    /**
     * What was erased, listed; "nothing was kept" when every count is 0.
     *
     * @param identity whether their identity (account link, project) was kept
     * @param results  requests of delivered videos
     * @param renders  export jobs
     * @param turns    a running request's record
     * @param days     days counted against the daily budget
     * @param messages ids of their messages handled lately
     * @param defaults whether their default video options were kept
     */
    public String forgotten(boolean identity, int results, int renders, int turns, int days, int messages,
                            boolean defaults) {
        List<String> what = new ArrayList<>();
        if (identity) {
            what.add(c.text("forgotten.identity"));
        }
        if (results > 0) {
            what.add(c.text("forgotten.results", results));
        }
        if (renders > 0) {
            what.add(c.text("forgotten.renders", renders));
        }
        if (turns > 0) {
            what.add(c.text("forgotten.turn"));
        }
        if (days > 0) {
            what.add(c.text("forgotten.spend"));
        }
        if (messages > 0) {
            what.add(c.text("forgotten.messages"));
        }
        if (defaults) {
            what.add(c.text("forgotten.defaults"));
        }
        return what.isEmpty() ? c.text("forgotNothing")
                : c.text("forgotten", String.join(c.text("forgotten.separator"), what));
    }

    public String pressNew() {
        return c.text("press.new");
    }

    /** An option flag that cannot be used: what was refused, what is allowed, and that nothing was spent. */
    public String optionRefused(dev.nemobot.core.chat.options.OptionException e) {
        String allowed = String.join(", ", e.allowed());
        if (e.name().isEmpty()) {
            return c.text("optionUnknown", e.given(), allowed);
        }
        String flag = e.name().get().flag();
        return e.given().isBlank() ? c.text("optionNoValue", flag, allowed)
                : c.text("optionBadValue", e.given(), flag, allowed);
    }

    /** /settings: the user's default video options, one per line ({@code list}), and how to change them. */
    public String settings(String list) {
        return c.text("settings", list);
    }

    /** /settings of a user who set no default. */
    public String settingsNone() {
        return c.text("settingsNone");
    }

    /** /settings after a change: the defaults now ({@code list}, one per line). */
    public String settingsSaved(String list) {
        return c.text("settingsSaved", list);
    }

    public String settingsCleared() {
        return c.text("settingsCleared");
    }

    /** The line /status adds for a user with defaults: {@code list} is "Aspect ratio: 9:16 (portrait), …". */
    public String statusOptions(String list) {
        return c.text("statusOptions", list);
    }
}
