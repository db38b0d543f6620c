package dev.nemobot.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.discord.fake.FakeDiscord;
import dev.nemobot.discord.fake.FakeDiscord.Call;
import dev.nemobot.discord.fake.FakeDiscord.User;
import dev.nemobot.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which language a member of a German server is answered in (the real engine behind the real JDA against the fake
 * Discord): their own locale, which only interactions carry and the adapter remembers for their plain messages; then
 * the script of what they wrote; then the server's locale; then English.
 */
class DiscordLanguageTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The adapter's clock (the engine keeps its own): moved by hand only where a test says so. */
    private final MutableClock clock = new MutableClock(Instant.now());
    private EngineFixture backend;
    private Harness discord;

    @BeforeEach
    void start() throws Exception {
        backend = EngineFixture.start();
        discord = Harness.start(backend.engine(), true, clock, Duration.ofMillis(50), fake -> fake.guildLocale("de"));
    }

    @AfterEach
    void stop() {
        try {
            backend.close();
        } finally {
            discord.close();
        }
    }

    /** A message the bot posted in the server's channel for {@code user} (not through an interaction). */
    private static Predicate<Call> inChannelFor(User user) {
        return c -> c.isMessageCreate()
                && c.path().equals("/api/v10/channels/" + FakeDiscord.CHANNEL_ID + "/messages")
                && c.content() != null && c.content().contains("<@" + user.id() + ">");
    }

    private static Predicate<Call> answersInteraction(String interactionId) {
        return c -> c.path().startsWith("/api/v10/webhooks/" + FakeDiscord.APP_ID + "/interaction-token-" + interactionId);
    }


    private void mention(User user, String text) {
        discord.fake.guildMessage(user, "<@" + FakeDiscord.BOT_ID + "> " + text, true, List.of());
    }

    @Test
    void aMemberTheBotHasNotSeenWritingChineseInAGermanServerIsAnsweredInChinese() {
        User li = discord.fake.user("100000000000000031", "li");
        mention(li, "积分");
        Call answer = discord.awaitCall(inChannelFor(li), "the answer to 积分");
        assertThat(answer.content()).as("not the server's German").contains("积分：可用").doesNotContain("verfügbar");
    }

    @Test
    void aMemberWritingLatinTextInAGermanServerIsAnsweredInTheServersLanguage() {
        User max = discord.fake.user("100000000000000032", "max");
        mention(max, "credits");
        assertThat(discord.awaitCall(inChannelFor(max), "the answer").content()).contains("verfügbar");
    }

    @Test
    void theLocaleOfAnInteractionIsRememberedForTheUsersLaterPlainMessages() {
        User yui = discord.fake.user("100000000000000033", "yui");
        String slash = discord.fake.slashCommand(yui, true, "credits", Map.of(), "ja");
        assertThat(discord.awaitCall(answersInteraction(slash).and(c -> c.content() != null), "the /credits answer")
                .content()).contains("クレジット");

        mention(yui, "credits");
        Call answer = discord.awaitCall(inChannelFor(yui), "the answer to the plain message");
        assertThat(answer.content()).as("her Discord's Japanese, not the server's German").contains("クレジット")
                .doesNotContain("verfügbar");
        // her own locale comes before the script of what she writes
        int before = discord.fake.calls(inChannelFor(yui)).size();
        mention(yui, "积分");
        await("the answer to 积分").atMost(WAIT).until(() -> discord.fake.calls(inChannelFor(yui)).size() > before);
        assertThat(discord.fake.calls(inChannelFor(yui)).getLast().content()).contains("クレジット");

        // forgotten after a month without an interaction, on the adapter's clock
        clock.advance(Duration.ofDays(31));
        int later = discord.fake.calls(inChannelFor(yui)).size();
        mention(yui, "credits");
        await("the answer a month on").atMost(WAIT).until(() -> discord.fake.calls(inChannelFor(yui)).size() > later);
        assertThat(discord.fake.calls(inChannelFor(yui)).getLast().content()).as("the server's German again")
                .contains("verfügbar").doesNotContain("クレジット");
    }

    @Test
    void aTraditionalChineseUserGetsTraditionalChinese() {
        User mei = discord.fake.user("100000000000000034", "mei");
        String slash = discord.fake.slashCommand(mei, true, "credits", Map.of(), "zh-TW");
        Call answer = discord.awaitCall(answersInteraction(slash).and(c -> c.content() != null), "the /credits answer");
        assertThat(answer.content()).contains("積分：可用").doesNotContain("积分");
    }
}
