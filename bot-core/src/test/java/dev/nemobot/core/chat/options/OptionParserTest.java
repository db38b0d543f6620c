package dev.nemobot.core.chat.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nemobot.core.chat.Lang;
import dev.nemobot.core.text.Messages;
import org.junit.jupiter.api.Test;

class OptionParserTest {

    @Test
    void theIssuesExampleIsReadWhole() throws Exception {
        OptionParser.Parsed p = OptionParser.parse("a cat surfing at sunset --ar 9:16 --duration 8 --camera \"zoom in\" "
                + "--style anime --quality 1080p --motion 3 --seed 42 --no \"text, blur\"");
        assertThat(p.prompt()).isEqualTo("a cat surfing at sunset");
        VideoOptions o = p.options();
        assertThat(o.aspect()).isEqualTo(VideoOptions.Aspect.PORTRAIT);
        assertThat(o.duration()).isEqualTo(8);
        assertThat(o.camera()).isEqualTo(VideoOptions.Camera.ZOOM_IN);
        assertThat(o.style()).isEqualTo(VideoOptions.Style.ANIME);
        assertThat(o.quality()).isEqualTo(VideoOptions.Quality.Q1080);
        assertThat(o.motion()).isEqualTo(3);
        assertThat(o.seed()).isEqualTo(42L);
        assertThat(o.avoid()).isEqualTo("text, blur");
        assertThat(o.asFlags()).isEqualTo("--ar 9:16 --duration 8 --motion 3 --camera zoom-in --style anime "
                + "--quality 1080p --seed 42 --no \"text, blur\"");
        assertThat(OptionParser.parse(o.asFlags()).options()).as("flags read back the same").isEqualTo(o);
    }

    @Test
    void spellingsPeopleUse() throws Exception {
        // a phone turns "--" into a dash; "=" and other quotes; Midjourney's and Pika's names; two-word cameras
        VideoOptions o = OptionParser.parse("make it move —ar 16:9 --camera pan left --STYLE=3D --neg «people» "
                + "--quality 720 --duration 5s").options();
        assertThat(o.aspect()).isEqualTo(VideoOptions.Aspect.LANDSCAPE);
        assertThat(o.camera()).isEqualTo(VideoOptions.Camera.PAN_LEFT);
        assertThat(o.style()).isEqualTo(VideoOptions.Style.THREE_D);
        assertThat(o.avoid()).isEqualTo("people");
        assertThat(o.quality()).isEqualTo(VideoOptions.Quality.Q720);
        assertThat(o.duration()).isEqualTo(5);
        assertThat(OptionParser.parse("x --ar auto").options().aspect()).isEqualTo(VideoOptions.Aspect.IMAGE);
        assertThat(OptionParser.parse("--ar 1:1").prompt()).isEmpty();
        OptionParser.Parsed prose = OptionParser.parse("a sunset —calm --ar 9:16");
        assertThat(prose.prompt()).isEqualTo("a sunset —calm");
        assertThat(prose.options().aspect()).isEqualTo(VideoOptions.Aspect.PORTRAIT);
    }

    @Test
    void textWithoutFlagsIsLeftAlone() throws Exception {
        for (String text : new String[] {"animate this image into a 5-second video -- smooth", "sunset—calm sea",
                "a well-known place", "x-ray -> glow", "a sunset —calm and slow", "from 9–5 —really", ""}) {
            OptionParser.Parsed p = OptionParser.parse(text);
            assertThat(p.prompt()).isEqualTo(text);
            assertThat(p.options().isEmpty()).isTrue();
        }
    }

    @Test
    void valuesOutOfRangeAreRefusedWithTheAllowedOnes() {
        assertThatThrownBy(() -> OptionParser.parse("x --ar 4:3")).isInstanceOfSatisfying(OptionException.class, e -> {
            assertThat(e.name()).contains(VideoOptions.Name.AR);
            assertThat(e.given()).isEqualTo("4:3");
            assertThat(e.allowed()).containsExactly("16:9", "9:16", "1:1", "auto");
        });
        assertThatThrownBy(() -> OptionParser.parse("x --duration 30")).isInstanceOfSatisfying(OptionException.class,
                e -> assertThat(e.allowed()).containsExactly("5", "8"));
        assertThatThrownBy(() -> OptionParser.parse("x --motion 9")).isInstanceOf(OptionException.class);
        assertThatThrownBy(() -> OptionParser.parse("x --seed -1")).isInstanceOf(OptionException.class);
        assertThatThrownBy(() -> OptionParser.parse("x --seed 99999999999")).isInstanceOf(OptionException.class);
        assertThatThrownBy(() -> OptionParser.parse("x --quality 4k")).isInstanceOf(OptionException.class);
        assertThatThrownBy(() -> OptionParser.parse("x --style watercolor")).isInstanceOf(OptionException.class);
        assertThatThrownBy(() -> OptionParser.parse("x --camera dolly")).isInstanceOf(OptionException.class);
        assertThatThrownBy(() -> OptionParser.parse("x --no \"" + "a".repeat(201) + "\""))
                .isInstanceOf(OptionException.class);
        assertThatThrownBy(() -> OptionParser.parse("x --ar")).isInstanceOfSatisfying(OptionException.class,
                e -> assertThat(e.given()).isEmpty());
        assertThatThrownBy(() -> OptionParser.parse("x --fps 60")).isInstanceOfSatisfying(OptionException.class, e -> {
            assertThat(e.name()).isEmpty();
            assertThat(e.given()).isEqualTo("--fps");
            assertThat(e.allowed()).contains("--ar", "--duration", "--no");
        });
    }

    @Test
    void refusalsSayWhatIsAllowedInEveryLanguage() {
        OptionException e = refused("x --ar 4:3");
        assertThat(Messages.of(Lang.EN).optionRefused(e)).isEqualTo("I can't use \"4:3\" for --ar. It takes: 16:9, "
                + "9:16, 1:1, auto. Nothing was started and no credits were used.");
        for (Lang lang : Lang.values()) {
            Messages m = Messages.of(lang);
            assertThat(m.optionRefused(e)).contains("4:3", "--ar", "9:16");
            assertThat(m.optionRefused(refused("x --fps 60"))).contains("--fps", "--camera");
            assertThat(m.optionRefused(refused("x --seed"))).contains("--seed", "0-2147483647");
            assertThat(m.help()).contains("--ar", "--duration 5|8");
        }
    }

    @Test
    void aRequestsOwnOptionsWinOverDefaults() throws Exception {
        VideoOptions defaults = OptionParser.parse("--ar 1:1 --quality 720p --style clay").options();
        VideoOptions own = OptionParser.parse("--ar 9:16 --seed 7").options();
        VideoOptions applied = own.over(defaults);
        assertThat(applied.asFlags()).isEqualTo("--ar 9:16 --style clay --quality 720p --seed 7");
        assertThat(VideoOptions.NONE.over(defaults)).isEqualTo(defaults);
        assertThat(defaults.with(VideoOptions.Name.STYLE, "").style()).isNull();
    }

    @Test
    void optionsBecomeAnInstructionInTheSessionsLanguage() throws Exception {
        VideoOptions o = OptionParser.parse("--ar 9:16 --duration 8 --camera zoom-in --style anime --quality 1080p "
                + "--motion 3 --seed 42 --no \"text, blur\"").options();
        assertThat(OptionTexts.ofSession("en").instruction("a cat surfing", o)).isEqualTo("a cat surfing\n"
                + "Settings for this video: aspect ratio 9:16 (portrait), 8 seconds long, motion strength 3 of 5, "
                + "camera movement: zoom in, style: anime, export in 1080p, seed 42, avoid: text, blur.");
        assertThat(OptionTexts.ofSession("ja").instruction("", o)).startsWith("この画像を動画にしてください。\n")
                .contains("9:16（縦長）", "長さ 8秒", "ズームイン", "アニメ", "1080p", "シード 42", "text, blur");
        assertThat(OptionTexts.ofSession("zh-TW").instruction("x", o)).contains("直向", "種子 42");
        assertThat(OptionTexts.ofSession("de").instruction("x", VideoOptions.NONE)).isEqualTo("x");
        for (Lang lang : Lang.values()) {
            String text = OptionTexts.of(lang).instruction("", o);
            assertThat(text).as(lang.code()).contains("9:16", "8", "1080p", "42", "text, blur")
                    .doesNotContain("{", "option.");
        }
    }

    private static OptionException refused(String text) {
        try {
            OptionParser.parse(text);
        } catch (OptionException e) {
            return e;
        }
        throw new AssertionError("not refused: " + text);
    }
}
