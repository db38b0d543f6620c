package dev.nemobot.core.text;

import dev.nemobot.core.chat.Lang;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.backend.Credits;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class MessagesTest {

    @Test
    void languageFollowsTheLocaleThenTheText() {
        assertThat(Lang.of(new ChatUser("t", "1", null, Locale.SIMPLIFIED_CHINESE), "hello")).isEqualTo(Lang.ZH);
        assertThat(Lang.of(new ChatUser("t", "1", null, Locale.TAIWAN), "hello")).isEqualTo(Lang.ZH_TW);
        assertThat(Lang.of(new ChatUser("t", "1", null, Locale.GERMANY), "你好")).isEqualTo(Lang.DE);
        assertThat(Lang.of(new ChatUser("t", "1", null, Locale.forLanguageTag("sv-SE")), "你好"))
                .as("a language the bot does not speak: the script's").isEqualTo(Lang.ZH);
        assertThat(Lang.of(new ChatUser("t", "1", null, Locale.forLanguageTag("sv-SE")), "hello"))
                .as("a language the bot does not speak").isEqualTo(Lang.EN);
        assertThat(Lang.of(new ChatUser("t", "1", null, Locale.ROOT), "你好")).isEqualTo(Lang.ZH);
        assertThat(Lang.of(new ChatUser("t", "1", null, Locale.ROOT), "hello")).isEqualTo(Lang.EN);
    }

    @Test
    void everyLanguageSaysTheErrorTableFacts() {
        for (Lang lang : Lang.values()) {
            Messages m = Messages.of(lang);
            assertThat(m.fileTooLarge("a.png")).containsPattern("20 (MB|Mo|МБ)");
            assertThat(m.unsupportedFile("a.exe")).contains("jpg", "png", "mp4", "webp");
            assertThat(m.signupsUsedUp()).contains("NEMO_TOKEN");
            assertThat(m.noCreditsAnonymous("https://x/?bind=1")).contains("https://x/?bind=1");
            assertThat(m.credits(new Credits(90, 0, 100))).contains("90", "100");
            assertThat(m.cancelled(2)).contains("/status");
        }
        assertThat(Messages.of(Lang.EN).planRequired()).containsIgnoringCase("register or upgrade");
        assertThat(Messages.of(Lang.EN).noCreditsRegistered()).containsIgnoringCase("top up");
    }

    @Test
    void theNewRepliesSayTheirFactsInBothLanguages() {
        for (Lang lang : Lang.values()) {
            Messages m = Messages.of(lang);
            assertThat(m.unknownCommand("/foo")).contains("/foo").endsWith(m.help());
            assertThat(m.help()).as(lang + ": the buttons' commands are listed too")
                    .contains("/export", "/credits", "/again", "/longer", "/music");
            assertThat(m.uploadWaiting("cat.png")).contains("cat.png");
            assertThat(m.renderingProgress(40, java.time.Duration.ofSeconds(31))).contains("40%", "30");
            assertThat(m.renderingProgress(40, java.time.Duration.ofSeconds(150))).contains("3");
            assertThat(m.linkTooLarge(12L * 1024 * 1024, 10L * 1024 * 1024)).contains("12.0 MB", "10.0 MB");
            assertThat(m.linkRefused("Discord")).contains("Discord");
            assertThat(m.videoLinkBecause(m.linkNotFetched(), java.util.Optional.of("https://v/x.mp4"), "https://t"))
                    .contains("https://v/x.mp4", "https://t");
            assertThat(m.videoLink("https://v/x.mp4", "https://t")).doesNotContain("Video ready", "视频已完成！");
            assertThat(m.busy()).contains("/cancel");
        }
        assertThat(Messages.of(Lang.EN).renderingProgress(40, java.time.Duration.ofSeconds(31)))
                .isEqualTo("Rendering… 40%, about 30 s left");
        assertThat(Messages.of(Lang.ZH).unknownCommand("/foo")).startsWith("我不认识 /foo 这个命令。");
    }
}
