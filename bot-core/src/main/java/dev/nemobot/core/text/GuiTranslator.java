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
 * {@link Followup}; every other sentence, the one about the content, is kept as written. The contract gives the
 * table in English and Chinese; sessions run in the user's language, so the same instructions are recognised in
 * every language the bot speaks (Traditional Chinese, Japanese, Korean, Spanish, Portuguese, Russian, German,
 * French): the patterns below marked "other languages". Stateless and thread-safe.
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
    // other languages: zh-TW, ja, ko, es, pt, ru, de, fr. A Latin-script stem must start a word ((?<!\p{L})), so
    // that it is not found inside another; (?iu) folds case beyond ASCII ("Öffne", "Нажмите")
    private static final String WORD_START = "(?<!\\p{L})";
    private static final Pattern EXPORT_OTHER = Pattern.compile("(?iu)匯出|導出|エクスポート|書き出|내보내|экспорт|"
            + WORD_START + "export(ar|a|e|ez|er|ieren|iere)(?!\\p{L})");
    private static final Pattern CREDITS_OTHER = Pattern.compile("(?iu)積分|餘額|クレジット|残高|크레딧|잔액|кредит|баланс|"
            + WORD_START + "(crédit|saldo|credits|guthaben|kontostand|solde)");
    private static final Pattern ACCOUNT_OTHER = Pattern.compile("(?iu)帳戶|帳號|查看|檢查|アカウント|確認|계정|확인|аккаунт|"
            + "учётн|учетн|провер|" + WORD_START + "(cuenta|consulta|revisa|conta|confira|verifique|konto|prüf|nachseh|"
            + "compte|vérifie)");
    private static final Pattern OPEN_OTHER = Pattern.compile("(?iu)打開|開啟|開いて|開く|開け|열어|열면|열기|откро|открыть|"
            + WORD_START + "(abre|abrir|abra|öffne|öffnen|ouvre|ouvrez|ouvrir)(?!\\p{L})");
    private static final Pattern PREVIEW_OTHER = Pattern.compile("(?iu)預覽|プレビュー|미리 ?보|предпросмотр|"
            + WORD_START + "(vista previa|previsualiz|pré-?visualiz|vorschau|aperçu|prévisualis)");
    private static final Pattern TIMELINE_OTHER = Pattern.compile("(?iu)時間軸|時間線|タイムライン|타임라인|шкал[аеуы] времени|"
            + "таймлайн|línea de tiempo|linha do tempo|zeitleiste|chronologie|timeline");
    private static final Pattern UPLOAD_OTHER = Pattern.compile("(?iu)上傳|アップロード|업로드|загруз|"
            + WORD_START + "(subir|sube|enviar|envie|carregar|hochlad|importer|importe|téléverse)");
    private static final Pattern DRAG_OTHER = Pattern.compile("(?iu)拖曳|拖動|拖拉|ドラッグ|ドロップ|드래그|끌어|перетащ|"
            + "перетян|" + WORD_START + "(arrast|glisse|zieh(e)? (den|die|das)(?!\\p{L})|ziehen sie(?!\\p{L}))");
    private static final Pattern CLICK_OTHER = Pattern.compile("(?iu)點擊|點選|按鈕|按一下|クリック|タップ|押して|ボタン|클릭|"
            + "탭하|누르|버튼|нажм|нажать|кнопк|" + WORD_START + "(clic|cliqu|pulsa|pulse|pressione|botón|botão|bouton|klick|"
            + "tipp(e|en)(?!\\p{L})|drück|schaltfläche|appuie|appuyez)");
    /**
     * Any stem the "other languages" patterns can match contains one of these, in lower case (the fast path, as
     * {@link #GUI_WORDS} is for English and Chinese). A stem added to a pattern above goes here too.
     */
    private static final String[] OTHER_WORDS = {"匯出", "導出", "エクスポート", "書き出", "내보내", "экспорт", "export",
        "積分", "餘額", "クレジット", "残高", "크레딧", "잔액", "кредит", "баланс", "crédit", "saldo", "credits", "guthaben",
        "kontostand", "solde", "打開", "開", "열어", "열면", "열기", "откро", "открыть", "abre", "abrir", "abra", "öffne",
        "ouvre", "ouvrez", "ouvrir", "預覽", "プレビュー", "미리", "предпросмотр", "vista previa", "previsualiz",
        "visualiz", "vorschau", "aperçu", "prévisualis", "上傳", "アップロード", "업로드", "загруз", "拖", "ドラッグ",
        "ドロップ", "드래그", "끌어", "перетащ", "перетян", "arrast", "glisse", "zieh", "點", "按", "クリック", "タップ",
        "押して", "ボタン", "클릭", "탭하", "누르", "버튼", "нажм", "нажать", "кнопк", "clic", "cliqu", "pulsa", "pulse",
        "pressione", "botón", "botão", "bouton", "klick", "tipp", "drück", "schaltfläche", "appuie", "appuyez"};

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
        String lower = s.toLowerCase(Locale.ROOT);
        boolean english = mayTalkAboutTheInterface(lower, GUI_WORDS);
        boolean other = mayTalkAboutTheInterface(lower, OTHER_WORDS);
        if (!english && !other) {
            return null;
        }
        Set<Followup> f = EnumSet.noneOf(Followup.class);
        boolean click = english && CLICK.matcher(s).find() || other && CLICK_OTHER.matcher(s).find();
        boolean gui = click;
        if (english && UPLOAD.matcher(s).find() || other && click && UPLOAD_OTHER.matcher(s).find()) {
            f.add(Followup.UPLOAD);
            gui = true;
        }
        if (english && EXPORT.matcher(s).find() || other && EXPORT_OTHER.matcher(s).find()) {
            f.add(Followup.EXPORT);
            gui = true;
        }
        if (english && CREDITS.matcher(s).find()
                || other && CREDITS_OTHER.matcher(s).find() && ACCOUNT_OTHER.matcher(s).find()) {
            f.add(Followup.CREDITS);
            gui = true;
        }
        if (english && TIMELINE.matcher(s).find() || other && (OPEN_OTHER.matcher(s).find()
                || PREVIEW_OTHER.matcher(s).find() && TIMELINE_OTHER.matcher(s).find())) {
            f.add(Followup.TIMELINE);
            gui = true;
        }
        if (english && DRAG.matcher(s).find() || other && DRAG_OTHER.matcher(s).find()) {
            f.add(Followup.DESCRIBE_EDIT);
            gui = true;
        }
        return gui ? f : null;
    }

    private static boolean mayTalkAboutTheInterface(String lower, String[] words) {
        // the English patterns ignore ASCII case only; lower-casing more than ASCII can only let more sentences through
        for (String w : words) {
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
