package dev.nemobot.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nemobot.config.AccessSettings;
import dev.nemobot.config.Settings;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.discord.fake.FakeDiscord;
import dev.nemobot.discord.fake.FakeDiscord.Call;
import dev.nemobot.discord.fake.FakeDiscord.User;
import dev.nemobot.simulator.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import net.dv8tion.jda.api.utils.data.DataObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter's own refusals (not an image, too large, someone else's button) pass the engine's access and rate
 * checks like every other answer: the real JDA client against the fake Discord, the real engine against the simulator.
 */
class DiscordGateTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String BOB = "100000000000000022";

    private EngineFixture backend;
    private Harness discord;
    private User alice;
    private User bob;

    private void start(UnaryOperator<Settings> settings) throws Exception {
        backend = EngineFixture.start(SimulatorConfig.fast(), settings, b -> b);
        discord = Harness.start(backend.engine(), true, Duration.ofMillis(50), fake -> { });
        alice = discord.fake.user("100000000000000011", "alice");
        bob = discord.fake.user(BOB, "bob");
    }

    @AfterEach
    void stop() {
        try {
            if (backend != null) {
                backend.close();
            }
        } finally {
            if (discord != null) {
                discord.close();
            }
        }
    }

    @Test
    void aDeniedUserSendingFiveBadAttachmentsIsNotAnsweredBeyondTheGatesOneNotice() throws Exception {
        start(s -> s.withAccess(new AccessSettings(Set.of(), Set.of("discord:" + BOB), Set.of(), Set.of(), Set.of(),
                Set.of())));
        List<String> bobs = sendFiveBadAttachments();
        allHandled();
        List<String> toBob = toBob(bobs);
        assertThat(toBob).as("what the denied user was told")
                .noneMatch(t -> t.contains("not an image") || t.contains("larger than") || t.contains("belongs to"));
        assertThat(toBob).as("only the gate's once-an-hour notice").hasSize(1)
                .allMatch(t -> t.contains("isn't available here"));
    }

    @Test
    void aRateLimitedUserSendingBadAttachmentsGetsAtMostTheRateLimitNotice() throws Exception {
        start(s -> s.withLimits(s.limits().withMessagesPerMinute(1)));
        List<String> bobs = sendFiveBadAttachments();
        allHandled();
        List<String> toBob = toBob(bobs);
        assertThat(toBob).as("the first refusal, then one notice").hasSize(2);
        assertThat(toBob.stream().filter(t -> t.contains("a little fast"))).hasSize(1);
    }

    /** Two mentions with a PDF, one with a 25 MB image, a slash command with a PDF, a press of alice's button. */
    private List<String> sendFiveBadAttachments() {
        DataObject pdf = discord.fake.attachment("notes.pdf", "application/pdf",
                "%PDF-1.4".getBytes(StandardCharsets.US_ASCII));
        DataObject huge = discord.fake.declaredAttachment("huge.png", "image/png", 25L * 1024 * 1024);
        return List.of(
                discord.fake.guildMessage(bob, "<@" + FakeDiscord.BOT_ID + "> animate", true, List.of(pdf)),
                discord.fake.guildMessage(bob, "<@" + FakeDiscord.BOT_ID + "> animate", true, List.of(pdf)),
                discord.fake.guildMessage(bob, "<@" + FakeDiscord.BOT_ID + "> animate", true, List.of(huge)),
                discord.fake.slashCommand(bob, true, "animate", Map.<String, Object>of("image", pdf), "en-US"),
                discord.fake.buttonPress(bob, true, "nemo:new:" + alice.id(), discord.fake.snowflake(), "en-US"));
    }

    /** Waits until everything sent before was handled: alice's message answered, the engine idle. */
    private void allHandled() {
        discord.fake.guildMessage(alice, "<@" + FakeDiscord.BOT_ID + "> help", true, List.of());
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(discord.fake.calls().stream().anyMatch(c -> c.content() != null
                && c.content().contains(alice.id())))
                    .as(() -> "alice's help; calls so far:\n" + discord.fake.describe()).isTrue());
        assertThat(backend.engine().awaitIdle(WAIT)).isTrue();
    }

    /**
     * What bob was shown: channel messages naming him or replying to one of his, interaction answers with a text, and
     * whatever came through his interactions' hooks.
     */
    private List<String> toBob(List<String> ids) {
        List<String> shown = new java.util.ArrayList<>();
        for (Call c : discord.fake.calls()) {
            if (c.path().startsWith("/api/v10/channels/") && c.method().equals("POST") && c.content() != null
                    && (c.content().contains(BOB) || ids.contains(c.json().optObject("message_reference")
                    .map(r -> r.getString("message_id", "")).orElse("")))) {
                shown.add(c.content());
            } else if (ids.stream().anyMatch(id -> c.path().startsWith("/api/v10/interactions/" + id + "/"))) {
                c.json().optObject("data").flatMap(d -> java.util.Optional.ofNullable(d.getString("content", null)))
                        .ifPresent(shown::add);
            } else if (c.content() != null && !c.content().isEmpty()
                    && ids.stream().anyMatch(id -> c.path().contains("interaction-token-" + id))) {
                shown.add(c.content());
            }
        }
        return shown;
    }
}
