package dev.nemobot.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShortPromptTest {
    @Test
    void aShortPromptIsKeptOnOneLine() {
        assertThat(ShortPrompt.of("  make it\n  blink ")).isEqualTo("make it blink");
        assertThat(ShortPrompt.of(null)).isEmpty();
        assertThat(ShortPrompt.withCaption("", "Here is your video.")).isEqualTo("Here is your video.");
    }

    @Test
    void aLongOneIsCutAtAWordWithinSixtyCharacters() {
        String cut = ShortPrompt.of("animate this image into a 5-second video with smooth motion, a slow pan over the hills");
        assertThat(cut).isEqualTo("animate this image into a 5-second video with smooth…");
        assertThat(cut.codePointCount(0, cut.length())).isLessThanOrEqualTo(ShortPrompt.MAX);
        assertThat(ShortPrompt.withCaption("make the clouds move", "Here is your video."))
                .isEqualTo("“make the clouds move”\nHere is your video.");
    }

    @Test
    void textWithoutSpacesIsCutBetweenCharactersNeverInsideOne() {
        String emoji = "🎬".repeat(80);
        String cut = ShortPrompt.of(emoji);
        assertThat(cut).endsWith("…").isEqualTo("🎬".repeat(ShortPrompt.MAX - 1) + "…");
        String chinese = "让这张图片里的云慢慢地移动起来并且加上温暖的夕阳光线和轻柔的背景音乐让画面更加生动有趣一些再加一点点镜头推进的效果吧谢谢你啦";
        assertThat(ShortPrompt.of(chinese)).hasSize(ShortPrompt.MAX).endsWith("…");
    }
}
