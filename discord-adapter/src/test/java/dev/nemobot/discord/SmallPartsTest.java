package dev.nemobot.discord;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Attachment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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
        assertThat(ImagePolicy.safeName("../../etc/passwd\u0000.png")).isEqualTo("passwd.png");
        assertThat(ImagePolicy.safeName("C:\\pics\\cat.png")).isEqualTo("cat.png");
        assertThat(ImagePolicy.safeName("")).isEqualTo("image");
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

    /** A clock the test moves and a scheduler that only records what is due. */
    private static final class ManualTime extends Clock {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        final List<Runnable> tasks = new ArrayList<>();
        final List<Duration> delays = new ArrayList<>();

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        void runDue() {
            List<Runnable> due = new ArrayList<>(tasks);
            tasks.clear();
            due.forEach(Runnable::run);
        }
    }

    @Test
    void theThrottleRunsTheFirstEditAtOnceAndOnlyTheNewestOfABurstAfterTheInterval() {
        ManualTime time = new ManualTime();
        EditThrottle throttle = new EditThrottle(time, Duration.ofSeconds(1), (task, delay) -> {
            time.tasks.add(task);
            time.delays.add(delay);
        });
        List<String> applied = new ArrayList<>();
        throttle.submit("c1", "m1", () -> applied.add("m1:1"));
        throttle.submit("c1", "m1", () -> applied.add("m1:2"));
        time.now = time.now.plusMillis(300);
        throttle.submit("c1", "m1", () -> applied.add("m1:3"));
        throttle.submit("c2", "m9", () -> applied.add("m9:1")); // another channel is not held back
        assertThat(applied).containsExactly("m1:1", "m9:1");
        assertThat(time.delays).containsExactly(Duration.ofSeconds(1));

        time.now = time.now.plusMillis(700);
        time.runDue();
        assertThat(applied).containsExactly("m1:1", "m9:1", "m1:3");

        time.now = time.now.plusMillis(200); // inside the new window
        throttle.submit("c1", "m1", () -> applied.add("m1:4"));
        assertThat(applied).hasSize(3);
        assertThat(time.delays.getLast()).isEqualTo(Duration.ofMillis(800));
        time.now = time.now.plusMillis(800);
        time.runDue();
        assertThat(applied).endsWith("m1:4");

        time.now = time.now.plusSeconds(5); // long idle: the next edit goes at once
        throttle.submit("c1", "m1", () -> applied.add("m1:5"));
        assertThat(applied).endsWith("m1:5");
    }

    @Test
    void twoMessagesParkedInOneChannelAreFlushedOnePerInterval() {
        ManualTime time = new ManualTime();
        EditThrottle throttle = new EditThrottle(time, Duration.ofSeconds(1), (task, delay) -> time.tasks.add(task));
        List<String> applied = new ArrayList<>();
        throttle.submit("c", "a", () -> applied.add("a1"));
        throttle.submit("c", "a", () -> applied.add("a2"));
        throttle.submit("c", "b", () -> applied.add("b1"));
        time.now = time.now.plusSeconds(1);
        time.runDue();
        assertThat(applied).containsExactly("a1", "a2");
        time.now = time.now.plusSeconds(1);
        time.runDue();
        assertThat(applied).containsExactly("a1", "a2", "b1");
        assertThat(time.tasks).isEmpty();
    }
}
