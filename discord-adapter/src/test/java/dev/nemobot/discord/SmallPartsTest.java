package dev.nemobot.discord;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Attachment;
import org.junit.jupiter.api.Test;

/** The adapter's pure parts, without JDA. */
class SmallPartsTest {

    @Test
    void customIdsRoundTripAndRejectForeignOrMalformedIds() {
        for (Action action : Action.values()) {
            String id = CustomIds.of(action, "123456789012345678");
            assertThat(id.length()).isLessThanOrEqualTo(100);
            assertThat(CustomIds.parse(id)).contains(new CustomIds.Press(action, "123456789012345678"));
        }
        String again = CustomIds.of(Action.AGAIN, "123456789012345678", java.util.Optional.of("k3x9m2p7q4rt"));
        assertThat(again).isEqualTo("nemo:again:123456789012345678:k3x9m2p7q4rt");
        assertThat(CustomIds.parse(again).orElseThrow().command()).as("a press names the result")
                .isEqualTo("/again k3x9m2p7q4rt");
        assertThat(CustomIds.of(Action.NEW, "1", java.util.Optional.of("k3x9m2p7q4rt"))).isEqualTo("nemo:new:1");
        assertThat(CustomIds.parse("nemo:new:1:k3x9m2p7q4rt")).as("only quick edits name a result").isEmpty();
        assertThat(CustomIds.parse("nemo:again:1:NOT-AN-ID")).isEmpty();
        assertThat(CustomIds.parse("nemo:export:")).isEmpty();
        assertThat(CustomIds.parse("nemo:explode:1")).isEmpty();
        assertThat(CustomIds.parse("other:export:1")).isEmpty();
        assertThat(CustomIds.parse("nemo:export:12:3")).isEmpty();
        assertThat(CustomIds.parse("nemo:export:abc")).isEmpty();
        assertThat(CustomIds.parse(null)).isEmpty();
    }

    @Test
    void imagesAreJudgedByDeclaredTypeOrExtensionAndSize() {
        assertThat(ImagePolicy.judge("a.png", "image/png", 10)).isEqualTo(new ImagePolicy.Accepted("image/png"));
        assertThat(ImagePolicy.judge("a.JPG", null, 10)).isEqualTo(new ImagePolicy.Accepted("image/jpeg"));
        assertThat(ImagePolicy.judge("a.webp", "image/webp; charset=binary", 10)).isEqualTo(new ImagePolicy.Accepted("image/webp"));
        assertThat(ImagePolicy.judge("a.png", "application/pdf", 10)).isInstanceOf(ImagePolicy.NotAnImage.class);
        assertThat(ImagePolicy.judge("a.svg", "image/svg+xml", 10)).isInstanceOf(ImagePolicy.NotAnImage.class);
        assertThat(ImagePolicy.judge("a.exe", null, 10)).isInstanceOf(ImagePolicy.NotAnImage.class);
        assertThat(ImagePolicy.judge("a.png", "image/png", Attachment.MAX_BYTES)).isInstanceOf(ImagePolicy.Accepted.class);
        assertThat(ImagePolicy.judge("a.png", "image/png", Attachment.MAX_BYTES + 1)).isInstanceOf(ImagePolicy.TooLarge.class);
    }

    @Test
    void markdownIsEscapedButLinksStayClickable() {
        assertThat(DiscordText.escape("a *bold* _claim_ ~x~ `code` |s|"))
                .isEqualTo("a \\*bold\\* \\_claim\\_ \\~x\\~ \\`code\\` \\|s\\|");
        assertThat(DiscordText.escape("see https://x.test/a_b*c now_ok"))
                .isEqualTo("see https://x.test/a_b*c now\\_ok");
        assertThat(DiscordText.escape("# title\n> quote\nC# and a>b")).isEqualTo("\\# title\n\\> quote\nC# and a>b");
    }

    @Test
    void theInviteLinkAsksForBotAndCommandsWithTheFivePermissionsOfTheReadme() {
        assertThat(DiscordBot.INVITE_PERMISSIONS).isEqualTo(117760L);
        assertThat(DiscordBot.inviteUrl("42"))
                .isEqualTo("https://discord.com/oauth2/authorize?client_id=42&scope=bot+applications.commands&permissions=117760");
    }
}
