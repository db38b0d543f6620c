package dev.nemobot.discord;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.TestChats;
import dev.nemobot.discord.fake.FakeDiscord;
import dev.nemobot.discord.fake.FakeDiscord.Call;
import dev.nemobot.discord.fake.FakeDiscord.User;
import dev.nemobot.simulator.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import net.dv8tion.jda.api.utils.data.DataObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /videos} on Discord: the real JDA client against the fake Discord, the real engine against nemo-simulator.
 * Alice makes six videos in a server channel, then asks for her videos: the answer is hers only (an ephemeral
 * reply), five to a page newest first, each with its Again button and an Older one; Older turns that same reply to
 * the second page; Bob pressing her button is refused privately and turns nothing.
 */
class DiscordVideosTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final byte[] PNG = TestChats.pngBytes(96, 64);

    private EngineFixture backend;
    private Harness discord;
    private User alice;
    private User bob;

    @BeforeEach
    void start() throws Exception {
        backend = EngineFixture.start(SimulatorConfig.fast(), b -> b);
        discord = Harness.start(backend.engine(), true, Duration.ofMillis(50), fake -> { });
        alice = discord.fake.user("100000000000000011", "alice");
        bob = discord.fake.user("100000000000000022", "bob");
    }

    @AfterEach
    void stop() {
        try {
            backend.close();
        } finally {
            discord.close();
        }
    }

    @Test
    void theListIsTheAskersOnlyAndItsPagesTurnInPlace() {
        for (int i = 1; i <= 6; i++) {
            int n = i;
            DataObject image = discord.fake.attachment("photo.png", "image/png", PNG);
            discord.fake.slashCommand(alice, true, "animate", Map.of("image", image, "prompt",
                    "animate video number " + i), "en-US");
            await().atMost(WAIT).untilAsserted(() -> assertThat(videos())
                    .as(() -> "video " + n + "; calls so far:\n" + discord.fake.describe()).isEqualTo(n));
            assertThat(backend.engine().awaitIdle(WAIT)).isTrue();
        }

        String asked = discord.fake.slashCommand(alice, true, "videos", Map.of(), "en-US");
        Call list = discord.awaitCall(answers(asked).and(says("Your videos")), "the list");
        assertThat(discord.fake.deferredPrivately(asked)).as("only Alice sees it").isTrue();
        assertThat(list.path()).endsWith("/messages/@original");
        assertThat(list.content()).startsWith("Your videos of the last 30 days, newest first (page 1):")
                .contains("“animate video number 6”").contains("“animate video number 2”")
                .doesNotContain("number 1”");
        assertThat(list.content().indexOf("number 6")).isLessThan(list.content().indexOf("number 5"));
        List<String> ids = customIds(list);
        assertThat(ids).hasSize(6);
        assertThat(ids.subList(0, 5)).allMatch(id -> id.matches("nemo:again:" + alice.id() + ":[a-z0-9]{12}"));
        assertThat(ids.get(5)).isEqualTo("nemo:videos:" + alice.id() + ":2");
        assertThat(labels(list)).containsExactly("Again #1", "Again #2", "Again #3", "Again #4", "Again #5",
                "Older ▶");

        String listMessage = discord.fake.originalMessageId(asked);
        String turned = discord.fake.buttonPress(alice, true, ids.get(5), listMessage, "en-US");
        Call page2 = discord.awaitCall(answers(turned).and(says("(page 2)")), "page 2");
        assertThat(page2.method()).isEqualTo("PATCH");
        assertThat(page2.path()).as("the pressed message itself").endsWith("/messages/@original");
        assertThat(ack(turned).getInt("type")).as("acknowledged as an edit of the pressed message").isEqualTo(6);
        assertThat(page2.content()).contains("6. Delivered ").contains("“animate video number 1”")
                .doesNotContain("number 2”");
        assertThat(customIds(page2)).hasSize(2).last().isEqualTo("nemo:videos:" + alice.id() + ":1");
        assertThat(labels(page2)).containsExactly("Again #6", "◀ Newer");

        String bobs = discord.fake.buttonPress(bob, true, ids.get(5), listMessage, "en-US");
        Call refusal = discord.awaitCall(answers(bobs).and(says(DiscordTexts.notYours(Locale.US))), "Bob's refusal");
        assertThat(refusal.method()).isEqualTo("POST");
        assertThat(refusal.json().getInt("flags", 0) & 64).as("his only").isEqualTo(64);
        assertThat(backend.engine().awaitIdle(WAIT)).isTrue();
        assertThat(discord.fake.calls(answers(bobs).and(says("Your videos")))).as("nothing turned for Bob").isEmpty();
        assertThat(discord.fake.calls(c -> c.path().startsWith("/api/v10/channels/") && c.content() != null
                && c.content().contains("Your videos"))).as("nothing in the channel").isEmpty();
    }

    @Test
    void askedInTheChannelTheListIsNotShownThere() {
        discord.fake.guildMessage(alice, "<@" + FakeDiscord.BOT_ID + "> /videos", true, List.of());
        Call answer = discord.awaitCall(says("only for you"), "the answer");
        assertThat(answer.content()).contains("use the /videos command (only you see its answer)");
        assertThat(backend.engine().awaitIdle(WAIT)).isTrue();
        assertThat(discord.fake.calls(says("Your videos")).isEmpty() && discord.fake.calls(says("no videos")).isEmpty())
                .isTrue();
    }

    // ---------------------------------------------------------------- helpers

    private long videos() {
        return discord.fake.calls(c -> c.files().values().stream().anyMatch(f -> f.bytes().length > 12
                && new String(Arrays.copyOfRange(f.bytes(), 4, 8), StandardCharsets.US_ASCII).equals("ftyp"))).size();
    }


    private static Predicate<Call> says(String text) {
        return c -> c.content() != null && c.content().contains(text);
    }

    private static Predicate<Call> answers(String interactionId) {
        return c -> c.path().startsWith("/api/v10/webhooks/" + FakeDiscord.APP_ID + "/interaction-token-" + interactionId);
    }

    private DataObject ack(String interactionId) {
        return discord.fake.calls(c -> c.path().startsWith("/api/v10/interactions/" + interactionId + "/")).stream()
                .map(Call::json).findFirst().orElseThrow();
    }

    private static List<String> customIds(Call c) {
        return c.buttons().stream().map(b -> b.getString("custom_id")).toList();
    }

    private static List<String> labels(Call c) {
        return c.buttons().stream().map(b -> b.getString("label")).toList();
    }
}
