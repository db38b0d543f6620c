package dev.nemobot.core.text;

import dev.nemobot.core.chat.kit.Catalogue;
import dev.nemobot.core.chat.Lang;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.backend.Credits;
import dev.nemobot.core.backend.DraftJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** The catalogue itself: every language complete and consistent with English, and the language choice. */
@Isolated("sets the JVM's default locale")
class CatalogueTest {
    private static final Pattern ARGUMENT = Pattern.compile("\\{(\\d+)");

    /** One language's file as written (no fallback to English), decoded strictly as UTF-8. */
    private static Map<String, String> file(Lang lang) {
        String name = "/" + Catalogue.BUNDLE.replace('.', '/') + lang.bundleSuffix() + ".properties";
        try (InputStream in = Catalogue.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(in.readAllBytes())).toString();
            Properties p = new Properties();
            p.load(new StringReader(text));
            Map<String, String> out = new TreeMap<>();
            p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
            return out;
        } catch (CharacterCodingException e) {
            throw new AssertionError(name + " is not UTF-8", e);
        } catch (IOException e) {
            throw new AssertionError(name, e);
        }
    }

    /** The argument numbers a pattern uses, including those inside a choice. */
    private static Set<Integer> arguments(String pattern) {
        Set<Integer> out = new TreeSet<>();
        Matcher m = ARGUMENT.matcher(pattern.replace("''", ""));
        while (m.find()) {
            out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }

    @Test
    void everyLanguageHasExactlyTheKeysOfEnglish() {
        Set<String> english = file(Lang.EN).keySet();
        assertThat(english).hasSizeGreaterThan(90);
        for (Lang lang : Lang.values()) {
            assertThat(file(lang).keySet()).as("the keys of " + lang).containsExactlyInAnyOrderElementsOf(english);
        }
    }

    @Test
    void everyTranslationTakesTheArgumentsOfEnglish() {
        Map<String, String> english = file(Lang.EN);
        for (Lang lang : Lang.values()) {
            file(lang).forEach((key, value) -> {
                if (english.containsKey(key)) {
                    assertThat(arguments(value)).as(lang + " " + key + " = " + value)
                            .isEqualTo(arguments(english.get(key)));
                }
            });
        }
    }

    @Test
    void everyValueIsAPatternWithoutALoneApostrophe() {
        for (Lang lang : Lang.values()) {
            file(lang).forEach((key, value) -> {
                assertThat(value).as(lang + " " + key).isNotBlank();
                assertThatCode(() -> new MessageFormat(value, lang.locale())).as(lang + " " + key).doesNotThrowAnyException();
                assertThat(value.replace("''", "")).as(lang + " " + key + ": a lone ' is swallowed by MessageFormat")
                        .doesNotContain("'");
            });
        }
    }

    /** Every method of Messages, in every language: formats, fills every argument, and is really translated. */
    @Test
    void everySentenceRendersInEveryLanguage() throws Exception {
        for (Method method : Messages.class.getDeclaredMethods()) {
            if (!Modifier.isPublic(method.getModifiers()) || Modifier.isStatic(method.getModifiers())
                    || method.getReturnType() != String.class) {
                continue;
            }
            Object[] args = Arrays.stream(method.getParameterTypes()).map(CatalogueTest::sample).toArray();
            String english = (String) method.invoke(Messages.of(Lang.EN), args);
            for (Lang lang : Lang.values()) {
                String text = (String) method.invoke(Messages.of(lang), args);
                String what = lang + " " + method.getName() + ": " + text;
                assertThat(text).as(what).isNotBlank().doesNotContain("{", "}");
                for (Object a : args) {
                    if (a instanceof String s && !s.isEmpty()) {
                        assertThat(text).as(what).contains(s);
                    }
                }
                if (lang != Lang.EN) {
                    assertThat(text).as(what + " is still English").isNotEqualTo(english);
                }
            }
        }
    }

    private static Object sample(Class<?> type) {
        if (type == String.class) {
            return "«arg»";
        } else if (type == int.class || type == long.class) {
            return type == int.class ? (Object) 7 : (Object) 7L;
        } else if (type == boolean.class) {
            return true;
        } else if (type == Duration.class) {
            return Duration.ofMinutes(200);
        } else if (type == Optional.class) {
            return Optional.of("PDF");
        } else if (type == Credits.class) {
            return new Credits(90, 10, 100);
        } else if (type == dev.nemobot.core.chat.options.OptionException.class) {
            try {
                dev.nemobot.core.chat.options.OptionParser.parse("x --ar 4:3");
            } catch (dev.nemobot.core.chat.options.OptionException e) {
                return e;
            }
        }
        throw new AssertionError("no sample for " + type + ": add one here");
    }

    @Test
    void pluralsFollowTheCount() throws Exception {
        Messages en = Messages.of(Lang.EN);
        assertThat(en.cancelled(0)).startsWith("Stopped waiting. The backend");
        assertThat(en.cancelled(1)).startsWith("Stopped waiting and dropped 1 queued message. ");
        assertThat(en.cancelled(2)).startsWith("Stopped waiting and dropped 2 queued messages. ");
        assertThat(en.uploadedFiles(1)).isEqualTo("1 file");
        assertThat(en.uploadedFiles(3)).isEqualTo("3 files");
        assertThat(Messages.of(Lang.DE).uploadedFiles(1)).isEqualTo("1 Datei");
        assertThat(Messages.of(Lang.DE).uploadedFiles(3)).isEqualTo("3 Dateien");
        assertThat(Messages.of(Lang.ES).cancelled(1)).contains("descartado 1 mensaje en cola.");
        assertThat(Messages.of(Lang.ES).cancelled(4)).contains("descartado 4 mensajes en cola.");
        assertThat(Messages.of(Lang.ZH).cancelled(0)).startsWith("已停止等待。");

        var one = DraftJson.parse("{\"t\":[{\"tt\":0,\"sg\":[]}]}");
        var two = DraftJson.parse("{\"t\":[{\"tt\":0,\"sg\":[]},{\"tt\":1,\"sg\":[]}]}");
        assertThat(TimelineSummary.summarize(one, Lang.FR)).isEqualTo("Timeline (1 piste) : 1. Vidéo : vide");
        assertThat(TimelineSummary.summarize(two, Lang.FR)).startsWith("Timeline (2 pistes) : ");
        assertThat(TimelineSummary.summarize(two, Lang.PT)).startsWith("Linha do tempo (2 faixas): 1. Vídeo: vazia");
        assertThat(TimelineSummary.summarize(two, Lang.JA)).startsWith("タイムライン（2トラック）：1. 動画：空");
    }

    @Test
    void durationsAndNumbersAreWrittenTheLanguagesWay() {
        assertThat(Messages.of(Lang.EN).dailyBudget(5, 20, Duration.ofMinutes(200))).contains("in 3 h 20 min");
        assertThat(Messages.of(Lang.DE).dailyBudget(5, 20, Duration.ofMinutes(200))).contains("in 3 Std. 20 Min.");
        assertThat(Messages.of(Lang.JA).dailyBudget(5, 20, Duration.ofMinutes(60))).contains("1時間後");
        assertThat(Messages.of(Lang.RU).dailyBudgetUsed(20, Duration.ofSeconds(30))).contains("через 1 мин");
        assertThat(Messages.of(Lang.EN).credits(new Credits(12345, 0, 12345))).startsWith("Credits: 12345 available");
    }

    @Test
    void refusalsAndButtonsSpeakTheLanguageToo() {
        assertThat(Catalogue.of(Locale.JAPAN).label(Action.EXPORT)).isEqualTo("書き出し");
        assertThat(Catalogue.of(Locale.forLanguageTag("de-CH")).label(Action.CANCEL)).isEqualTo("Abbrechen");
        assertThat(Catalogue.of(Locale.CHINA).label(Action.NEW)).isEqualTo("新项目");
        for (Action a : Action.values()) {
            for (Lang lang : Lang.values()) {
                assertThat(Catalogue.of(lang.locale()).label(a)).as(a + " " + lang).isNotBlank().hasSizeLessThanOrEqualTo(20);
            }
        }
    }

    @Test
    void anUnknownLanguageGetsEnglishWhateverTheMachinesLocale() {
        Locale swedish = Locale.forLanguageTag("sv-SE");
        assertThat(Lang.of(swedish)).isEqualTo(Lang.EN);
        assertThat(Lang.of((Locale) null)).isEqualTo(Lang.EN);
        assertThat(Catalogue.of(swedish).text("ready")).isEqualTo("Ready!");
        assertThat(Catalogue.of(Locale.forLanguageTag("tr")).label(Action.EXPORT)).isEqualTo("Export");
        assertThat(Messages.of(null).ready()).isEqualTo("Ready!");
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertThat(Catalogue.load(swedish).getString("ready")).as("not the machine's German").isEqualTo("Ready!");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void theLanguageComesFromThePlatformThenFromTheScript() {
        Map<String, Lang> tags = Map.of("ja", Lang.JA, "ko-KR", Lang.KO, "es-419", Lang.ES, "pt-BR", Lang.PT,
                "ru", Lang.RU, "de-AT", Lang.DE, "fr-CA", Lang.FR, "zh-hans", Lang.ZH, "zh-TW", Lang.ZH_TW, "en-GB", Lang.EN);
        tags.forEach((tag, lang) -> assertThat(Lang.of(user(Locale.forLanguageTag(tag)), "hello")).as(tag).isEqualTo(lang));
        assertThat(Lang.of(user(Locale.ROOT), "この画像を動画にして")).isEqualTo(Lang.JA);
        assertThat(Lang.of(user(Locale.ROOT), "把这张图片做成视频")).isEqualTo(Lang.ZH);
        assertThat(Lang.of(user(Locale.ROOT), "이 사진을 영상으로")).isEqualTo(Lang.KO);
        assertThat(Lang.of(user(Locale.ROOT), "оживи картинку")).isEqualTo(Lang.RU);
        assertThat(Lang.of(user(Locale.ROOT), "anime cette image")).isEqualTo(Lang.EN);
        assertThat(Lang.of(user(Locale.ROOT), null)).isEqualTo(Lang.EN);
        assertThat(Lang.JA.code()).as("backend sessions are created in the user's language").isEqualTo("ja");
        assertThat(Lang.ZH.code()).isEqualTo("zh");
        assertThat(Lang.ZH_TW.code()).isEqualTo("zh-TW");
    }

    @Test
    void traditionalChineseForTaiwanHongKongMacauAndTheHantScript() {
        for (String tag : new String[] {"zh-TW", "zh-HK", "zh-MO", "zh-Hant", "zh-Hant-CN"}) {
            assertThat(Lang.of(Locale.forLanguageTag(tag))).as(tag).isEqualTo(Lang.ZH_TW);
        }
        for (String tag : new String[] {"zh", "zh-CN", "zh-SG", "zh-Hans", "zh-Hans-HK"}) {
            assertThat(Lang.of(Locale.forLanguageTag(tag))).as(tag).isEqualTo(Lang.ZH);
        }
        assertThat(Catalogue.of(Locale.forLanguageTag("zh-HK")).text("ready")).isEqualTo("準備好了！");
        assertThat(Messages.of(Lang.ZH_TW).help()).contains("專案").doesNotContain("项目");
        assertThat(Lang.ZH_TW.language()).as("Telegram's menus are per two-letter code").isEqualTo("zh");
    }

    /** The user's own locale, then the script of the text, then the place's (a Discord server's), then English. */
    @Test
    void theUsersLocaleThenTheScriptThenThePlaceThenEnglish() {
        Locale de = Locale.GERMAN;
        assertThat(Lang.of(user(Locale.ROOT, de), "积分")).isEqualTo(Lang.ZH);
        assertThat(Lang.of(user(Locale.ROOT, de), "сколько кредитов")).isEqualTo(Lang.RU);
        assertThat(Lang.of(user(Locale.ROOT, de), "make it longer")).isEqualTo(Lang.DE);
        assertThat(Lang.of(user(Locale.ROOT, de), null)).isEqualTo(Lang.DE);
        assertThat(Lang.of(user(Locale.JAPANESE, de), "积分")).as("their own locale first").isEqualTo(Lang.JA);
        assertThat(Lang.of(user(Locale.forLanguageTag("sv"), de), "hej")).as("a locale the bot does not speak")
                .isEqualTo(Lang.DE);
        assertThat(Lang.of(user(Locale.ROOT, Locale.forLanguageTag("zh-TW")), "積分"))
                .as("Han text in a Traditional Chinese server").isEqualTo(Lang.ZH_TW);
        assertThat(Lang.of(user(Locale.ROOT, Locale.ROOT), "hello")).isEqualTo(Lang.EN);
        assertThat(Lang.of(user(Locale.ROOT, Locale.forLanguageTag("sv")), "hello")).isEqualTo(Lang.EN);
    }

    private static ChatUser user(Locale locale, Locale place) {
        return new ChatUser("t", "1", null, locale, place);
    }

    private static ChatUser user(Locale locale) {
        return new ChatUser("t", "1", null, locale);
    }

    @Test
    void adapterTextsFitThePlatformsLimits() {
        for (Lang lang : Lang.values()) {
            file(lang).forEach((key, value) -> {
                if (key.startsWith("discord.command.") || key.startsWith("discord.option.")) {
                    assertThat(value.length()).as(lang + " " + key + ": Discord allows 100").isBetween(1, 100);
                }
                if (key.startsWith("telegram.command.")) {
                    assertThat(value.length()).as(lang + " " + key + ": Telegram allows 256").isBetween(1, 256);
                }
            });
        }
    }
}
