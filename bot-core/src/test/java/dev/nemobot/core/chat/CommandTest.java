package dev.nemobot.core.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.kit.Catalogue;
import java.util.Arrays;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;

/** The command table: what the platforms' menus list has a description in every catalogue, and a valid name. */
class CommandTest {

    @Test
    void everyMenuCommandHasADescriptionInEveryLanguage() {
        for (Lang lang : Lang.values()) {
            ResourceBundle bundle = Catalogue.load(lang.locale());
            for (Command c : Command.values()) {
                if (c.inTelegramMenu()) {
                    assertThat(bundle.containsKey("telegram.command." + c.word()))
                            .as("telegram.command.%s in %s", c.word(), lang).isTrue();
                    assertThat(bundle.getString("telegram.command." + c.word())).isNotBlank();
                }
                if (c.discordSlash()) {
                    assertThat(bundle.containsKey("discord.command." + c.word()))
                            .as("discord.command.%s in %s", c.word(), lang).isTrue();
                    assertThat(bundle.getString("discord.command." + c.word())).isNotBlank();
                }
            }
        }
    }

    @Test
    void wordsAreWhatBothPlatformsAccept() {
        // Telegram: 1-32 of a-z, 0-9 and _; Discord: lower case, 1-32
        assertThat(Command.values()).allSatisfy(c -> assertThat(c.word()).matches("[a-z0-9_]{1,32}"));
        assertThat(Arrays.stream(Command.values()).map(Command::word).distinct()).hasSize(Command.values().length);
        assertThat(Command.named("AGAIN")).contains(Command.AGAIN);
        assertThat(Command.named("animatee")).isEmpty();
    }

    @Test
    void theMenusAreTheTablesInItsOrder() {
        assertThat(Command.telegramMenu()).extracting(Command::word).containsExactly("start", "help", "credits",
                "status", "settings", "videos", "export", "upload", "new", "cancel", "again", "longer", "music",
                "forget");
        assertThat(Command.discordCommands()).extracting(Command::word).containsExactlyInAnyOrder("animate", "credits",
                "status", "export", "new", "help", "cancel", "again", "longer", "music", "settings", "videos",
                "forget");
    }

    @Test
    void buttonsSendTheirCommand() {
        assertThat(Action.ADD_MUSIC.command()).isEqualTo("/music");
        assertThat(Action.OPTIONS.command()).isEqualTo("/settings");
        assertThat(Action.AGAIN.onResult()).isTrue();
        assertThat(Action.VIDEOS.takesArgument()).isTrue();
        assertThat(Action.OPTIONS.takesArgument()).isFalse();
        assertThat(Arrays.stream(Action.values()).filter(Action::onResult))
                .containsExactly(Action.AGAIN, Action.LONGER, Action.ADD_MUSIC);
    }
}
