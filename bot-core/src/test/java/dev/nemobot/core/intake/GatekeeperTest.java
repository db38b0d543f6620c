package dev.nemobot.core.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.config.AccessSettings;
import dev.nemobot.config.LimitSettings;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.Incoming;
import dev.nemobot.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GatekeeperTest {
    /** A clock the test moves by hand. */
    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private static final AccessSettings OPEN = AccessSettings.open();

    private static Incoming msg(String platform, String user, String chat, String guild, String text, Locale locale) {
        return new Incoming("m" + System.nanoTime(), new ChatUser(platform, user, "U", locale),
                new Conversation(platform, chat, !guild.isEmpty(), guild), text, List.of());
    }

    private static Incoming msg(String user, String text) {
        return msg("telegram", user, "dm-" + user, "", text, Locale.ENGLISH);
    }

    private static Optional<String> refusal(Gatekeeper.Verdict v) {
        assertThat(v).isInstanceOf(Gatekeeper.Verdict.Refuse.class);
        return ((Gatekeeper.Verdict.Refuse) v).text();
    }

    private static Incoming images(String user, int n) {
        List<dev.nemobot.core.chat.Attachment> files = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            files.add(new dev.nemobot.core.chat.Attachment("p" + i + ".png", "image/png", 10,
                    () -> new java.io.ByteArrayInputStream(new byte[0])));
        }
        return new Incoming("m" + System.nanoTime(), new ChatUser("telegram", user, "U", Locale.ENGLISH),
                new Conversation("telegram", "dm-" + user, false), "animate this", files);
    }

    @Test
    void aBatchCountsEachImageAndIsRefusedWholeSayingHowManyWouldStart() {
        Gatekeeper g = new Gatekeeper(OPEN, LimitSettings.defaults().withMessagesPerMinute(6), clock);
        assertThat(g.check(images("1", 4))).as("4 of 6").isInstanceOf(Gatekeeper.Verdict.Admit.class);
        // 2 left: a batch of 3 is refused (counting as one message), saying 1 would start now
        assertThat(refusal(g.check(images("1", 3)))).get().asString()
                .contains("These 3 images are 3 takes").contains("at most 6 a minute").contains("only 1 can start now")
                .contains("Nothing was started");
        assertThat(g.check(msg("1", "hi"))).as("the last token").isInstanceOf(Gatekeeper.Verdict.Admit.class);
        clock.advance(Duration.ofSeconds(30)); // 3 more
        assertThat(g.check(images("1", 3))).isInstanceOf(Gatekeeper.Verdict.Admit.class);
        assertThat(refusal(g.check(images("2", 11)))).as("more than one request animates").get().asString()
                .contains("You sent 11 images, but one request animates at most 10");
        assertThat(g.check(images("2", 6))).as("the refusal of 11 counted nothing")
                .isInstanceOf(Gatekeeper.Verdict.Admit.class);
    }

    @Test
    void aDeniedUserIsToldPolitelyOnceAnHourThenIgnored() {
        Gatekeeper g = new Gatekeeper(new AccessSettings(Set.of(), Set.of("telegram:66"), Set.of(), Set.of(),
                Set.of(), Set.of()), LimitSettings.defaults(), clock);
        assertThat(refusal(g.check(msg("66", "hi")))).get().asString().contains("isn't available here");
        assertThat(refusal(g.check(msg("66", "hi")))).isEmpty();
        clock.advance(Duration.ofMinutes(61));
        assertThat(refusal(g.check(msg("66", "hi")))).isPresent();
        assertThat(g.check(msg("67", "hi"))).isInstanceOf(Gatekeeper.Verdict.Admit.class);
    }

    @Test
    void anAllowListAdmitsOnlyWhatItNamesBareOrQualified() {
        Gatekeeper g = new Gatekeeper(new AccessSettings(Set.of("1", "Discord:2"), Set.of(), Set.of(), Set.of(),
                Set.of(), Set.of()), LimitSettings.defaults(), clock);
        assertThat(g.check(msg("1", "hi"))).isInstanceOf(Gatekeeper.Verdict.Admit.class);
        assertThat(g.check(msg("discord", "2", "c", "", "hi", Locale.ENGLISH)))
                .isInstanceOf(Gatekeeper.Verdict.Admit.class);
        assertThat(g.check(msg("2", "hi"))).as("discord:2 is not telegram:2")
                .isInstanceOf(Gatekeeper.Verdict.Refuse.class);
    }

    @Test
    void guildListsApplyToGuildChannelsAndAnAllowListKeepsDirectMessagesOut() {
        Gatekeeper g = new Gatekeeper(new AccessSettings(Set.of(), Set.of(), Set.of(), Set.of("chat-9"),
                Set.of("g1"), Set.of()), LimitSettings.defaults(), clock);
        assertThat(g.check(msg("discord", "5", "c1", "g1", "hi", Locale.ENGLISH)))
                .isInstanceOf(Gatekeeper.Verdict.Admit.class);
        assertThat(g.check(msg("discord", "6", "c1", "g2", "hi", Locale.ENGLISH)))
                .isInstanceOf(Gatekeeper.Verdict.Refuse.class);
        assertThat(g.check(msg("discord", "7", "dm-7", "", "hi", Locale.ENGLISH)))
                .isInstanceOf(Gatekeeper.Verdict.Refuse.class);
        assertThat(g.check(msg("discord", "8", "chat-9", "g1", "hi", Locale.ENGLISH))).as("denied chat")
                .isInstanceOf(Gatekeeper.Verdict.Refuse.class);
    }

    @Test
    void overLongMessagesCountAgainstTheRateSoABurstGetsAtMostTheRatesAnswers() {
        Gatekeeper g = new Gatekeeper(OPEN, LimitSettings.defaults().withMessagesPerMinute(2).withMaxTextChars(50),
                clock);
        List<Optional<String>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(refusal(g.check(msg("1", "far too long a message ".repeat(3) + i))));
        }
        assertThat(answers.stream().flatMap(Optional::stream).toList()).as("two 'too long', one 'slow down'")
                .hasSize(3).satisfiesExactly(t -> assertThat(t).contains("too long"),
                        t -> assertThat(t).contains("too long"), t -> assertThat(t).contains("a little fast"));
    }

    @Test
    void theMessageRateSaysWhenToTryAgainAndRefillsWithTime() {
        Gatekeeper g = new Gatekeeper(OPEN, LimitSettings.defaults().withMessagesPerMinute(3), clock);
        for (int i = 0; i < 3; i++) {
            assertThat(g.check(msg("1", "m" + i))).isInstanceOf(Gatekeeper.Verdict.Admit.class);
        }
        assertThat(refusal(g.check(msg("1", "m3")))).get().asString()
                .contains("at most 3 a minute").contains("try again in 20 s");
        assertThat(refusal(g.check(msg("1", "m4")))).as("no second notice within a minute").isEmpty();
        assertThat(g.check(msg("2", "other user"))).isInstanceOf(Gatekeeper.Verdict.Admit.class);
        clock.advance(Duration.ofSeconds(20));
        assertThat(g.check(msg("1", "m5"))).isInstanceOf(Gatekeeper.Verdict.Admit.class);
        assertThat(g.check(msg("1", "m6"))).isInstanceOf(Gatekeeper.Verdict.Refuse.class);
    }

    @Test
    void anOverlongMessageIsRefusedInTheUsersLanguage() {
        Gatekeeper g = new Gatekeeper(OPEN, LimitSettings.defaults().withMaxTextChars(50), clock);
        assertThat(refusal(g.check(msg("telegram", "1", "c", "", "动".repeat(51), Locale.CHINESE)))).get().asString()
                .contains("最多 50 个字符");
        assertThat(g.check(msg("1", "x".repeat(50)))).isInstanceOf(Gatekeeper.Verdict.Admit.class);
    }

    @Test
    void zeroTurnsTheRateLimitOff() {
        Gatekeeper g = new Gatekeeper(OPEN, LimitSettings.defaults().withMessagesPerMinute(0), clock);
        for (int i = 0; i < 1000; i++) {
            assertThat(g.check(msg("1", "m"))).isInstanceOf(Gatekeeper.Verdict.Admit.class);
        }
    }

    @Test
    void forgetsAQuietUsersBucketAfterAnHourOnTheInjectedClock() {
        Gatekeeper g = new Gatekeeper(OPEN, LimitSettings.defaults().withMessagesPerMinute(6), clock);
        assertThat(g.check(msg("1", "hi"))).isInstanceOf(Gatekeeper.Verdict.Admit.class);
        clock.advance(Duration.ofMinutes(59));
        assertThat(g.tracked()).as("kept within the hour").isEqualTo(1);
        clock.advance(Duration.ofMinutes(2));
        assertThat(g.tracked()).as("forgotten once the engine's clock passed the hour").isZero();
    }
}
