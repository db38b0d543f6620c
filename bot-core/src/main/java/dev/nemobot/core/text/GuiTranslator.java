package dev.nemobot.core.text;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Translates the backend's "GUI talk" (it writes as if its web editor were open) per the contract's table. Works
 * sentence by sentence: a sentence that tells the user to operate the interface is dropped and turned into a
 * {@link Followup}; every other sentence, the one about the content, is kept as written. Stateless and
 * thread-safe.
 */
public final class GuiTranslator {
    private static final Pattern SENTENCE = Pattern.compile("[^.!?。！？\\n]+[.!?。！？]*\\s*|\\n+");
    private static final Pattern TEMPORARY_ISSUE = Pattern.compile(
            "(?i)encountered a temporary issue|遇到(了)?(一个)?(临时|暂时)(性)?(的)?问题");

    private static final Pattern EXPORT = Pattern.compile("(?i)\\bexport(ing|ed)?\\b|导出");
    private static final Pattern CREDITS = Pattern.compile(
            "(?i)\\bcheck (your |the )?(account|billing|balance|credits?)\\b|(查看|检查)(你的|您的)?(账户|账号|余额|积分)");
    private static final Pattern TIMELINE = Pattern.compile(
            "(?i)\\bpreview\\b.*\\btimeline\\b|\\bopen(ing)?\\b|打开|时间线中预览|在时间线");
    private static final Pattern UPLOAD = Pattern.compile("(?i)\\b(click|tap|press)\\b.*\\bupload\\b|点击.*上传");
    private static final Pattern DRAG = Pattern.compile("(?i)\\bdrag\\b|\\bdrop\\b|拖拽|拖动");
    private static final Pattern CLICK = Pattern.compile("(?i)\\b(click|tap|press)\\b|\\bbutton\\b|点击|按钮");
    /**
     * A sentence any pattern above can match contains one of these (in lower case): most sentences contain none,
     * and a few substring tests are much cheaper than six regex searches (a streamed turn is translated often).
     * A word added to a pattern above goes here too.
     */
    private static final String[] GUI_WORDS = {"export", "check", "preview", "open", "click", "tap", "press", "drag",
        "drop", "button", "导出", "查看", "检查", "打开", "时间线", "点击", "拖", "按钮"};
    private static final Pattern TRAILING_BLANKS = Pattern.compile("[ \\t]+\\n");
    private static final Pattern BLANK_LINES = Pattern.compile("\\n{3,}");

    private GuiTranslator() {
    }

    /** Translates a complete text. */
    public static Translation translate(String text) {
        Set<Followup> followups = EnumSet.noneOf(Followup.class);
        StringBuilder kept = new StringBuilder();
        for (String sentence : sentences(text)) {
            if (sentence.isBlank()) {
                kept.append(sentence.contains("\n") ? "\n" : "");
                continue;
            }
            Set<Followup> found = classify(sentence);
            if (found == null) {
                kept.append(sentence);
            } else {
                followups.addAll(found);
            }
        }
        return new Translation(tidy(kept.toString()), followups);
    }

    /**
     * Translates text still arriving: only whole sentences are shown, so an instruction about the interface
     * never flashes up before its end arrives.
     */
    public static String translatePartial(String text) {
        int end = lastSentenceEnd(text);
        return end <= 0 ? "" : translate(text.substring(0, end)).text();
    }

    /** True if {@code text} is only the backend's "I encountered a temporary issue" remark. */
    public static boolean isTemporaryIssue(String text) {
        return TEMPORARY_ISSUE.matcher(text).find() && text.strip().length() < 160;
    }

    /** Returns null for a sentence about the content, else what the sentence asked for (maybe nothing). */
    private static Set<Followup> classify(String s) {
        if (!mayTalkAboutTheInterface(s)) {
            return null;
        }
        Set<Followup> f = EnumSet.noneOf(Followup.class);
        boolean gui = false;
        if (UPLOAD.matcher(s).find()) {
            f.add(Followup.UPLOAD);
            gui = true;
        }
        if (EXPORT.matcher(s).find()) {
            f.add(Followup.EXPORT);
            gui = true;
        }
        if (CREDITS.matcher(s).find()) {
            f.add(Followup.CREDITS);
            gui = true;
        }
        if (TIMELINE.matcher(s).find()) {
            f.add(Followup.TIMELINE);
            gui = true;
        }
        if (DRAG.matcher(s).find()) {
            f.add(Followup.DESCRIBE_EDIT);
            gui = true;
        }
        if (CLICK.matcher(s).find()) {
            gui = true;
        }
        return gui ? f : null;
    }

    private static boolean mayTalkAboutTheInterface(String s) {
        // the patterns ignore ASCII case only; lower-casing more than ASCII can only let more sentences through
        String lower = s.toLowerCase(Locale.ROOT);
        for (String w : GUI_WORDS) {
            if (lower.contains(w)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = SENTENCE.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static int lastSentenceEnd(String text) {
        for (int i = text.length() - 1; i >= 0; i--) {
            if (".!?。！？\n".indexOf(text.charAt(i)) >= 0) {
                return i + 1;
            }
        }
        return 0;
    }

    private static String tidy(String s) {
        return BLANK_LINES.matcher(TRAILING_BLANKS.matcher(s).replaceAll("\n")).replaceAll("\n\n").strip();
    }
}
