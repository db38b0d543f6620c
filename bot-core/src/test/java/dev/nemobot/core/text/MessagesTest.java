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
        assertThat(Lang.of(new ChatUser("t", "1", null, Locale.TAIWAN), "hello")).isEqualTo(Lang.ZH);
        assertThat(Lang.of(new ChatUser("t", "1", null, Locale.GERMANY), "你好")).isEqualTo(Lang.DE);
        assertThat(Lang.of(new ChatUser("t", "1", null, Locale.forLanguageTag("sv-SE")), "你好"))
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
}
