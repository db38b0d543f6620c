package dev.nemobot.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.nemobot.config.AccessSettings;
import dev.nemobot.config.Settings;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.StoreRows;
import dev.nemobot.discord.fake.FakeDiscord.Call;
import dev.nemobot.discord.fake.FakeDiscord.User;
import dev.nemobot.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import net.dv8tion.jda.api.utils.data.DataObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two people in one Discord channel, pressing buttons: the real JDA client against the fake Discord, the real engine
 * against nemo-simulator. A button belongs to whoever asked; what is said about a press (someone else's button, a
 * stale one, "slow down") only its presser sees, after the engine's access and rate checks; every press is
 * acknowledged, and none is left on "thinking…". /forget's question and its buttons' answers are private; only the
 * asker erases (the SQLite store's tables read directly).
 */
class DiscordButtonsTest {
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
    void someoneElsesButtonAndAStaleOneAreAnsweredOnlyToThePresser() throws Exception {
        start(s -> s);
        String bobs = press(bob, "nemo:again:" + alice.id());
        Call refusal = awaitText(bobs, DiscordTexts.notYours(Locale.US));
        assertThat(backend.engine().awaitIdle(WAIT)).isTrue();
        assertThat(backend.simulator().requests()).as("Bob's press reached no backend").isEmpty();
        assertThat(isPrivate(bobs, refusal)).as("Bob's refusal is his only").isTrue();

        // Alice's own button, from a video this bot no longer knows the request of
        String alices = press(alice, "nemo:again:" + alice.id());
        Call stale = awaitText(alices, "That button belongs to an earlier video");
        assertThat(backend.engine().awaitIdle(WAIT)).isTrue();
        assertThat(isPrivate(alices, stale)).as("the stale button's answer is Alice's only").isTrue();

        assertThat(publicTexts()).as("nothing in the channel").isEmpty();
        assertThat(leftThinking(List.of(bobs, alices))).isEmpty();
    }

    @Test
    void everyPressPastTheRateLimitIsAcknowledgedAndRefusedPrivatelyAtMostOnce() throws Exception {
        start(s -> s.withLimits(s.limits().withMessagesPerMinute(1)));
        List<String> presses = List.of(press(alice, "nemo:new:" + alice.id()), press(alice, "nemo:status:" + alice.id()),
                press(alice, "nemo:status:" + alice.id()), press(alice, "nemo:new:" + alice.id()));
        awaitCall(c -> c.content() != null && c.content().contains("Started a new project"), "the first press's answer");
        Call slowDown = awaitCall(c -> c.content() != null && c.content().contains("a little fast"), "the notice");
        for (String id : presses) {
            awaitCall(c -> c.path().startsWith("/api/v10/interactions/" + id + "/"), "the acknowledgement of " + id);
        }
        assertThat(backend.engine().awaitIdle(WAIT)).isTrue();
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(leftThinking(presses).isEmpty()).as(() -> "no press left on thinking: "
                + leftThinking(presses) + "\n" + discord.fake.describe()).isTrue());

        assertThat(discord.fake.calls(c -> c.content() != null && c.content().contains("a little fast")))
                .as("one notice").hasSize(1);
        String noticed = presses.stream().filter(id -> slowDown.path().contains("interaction-token-" + id))
                .findFirst().orElseThrow(() -> new AssertionError("the notice answers no press: " + slowDown));
        assertThat(isPrivate(noticed, slowDown)).as("the notice is private").isTrue();
    }

    @Test
    void theOwnersPressMarksItsButtonUsed() throws Exception {
        start(s -> s);
        String id = press(alice, "nemo:new:" + alice.id());
        Call mark = awaitCall(c -> c.path().contains("interaction-token-" + id) && c.json() != null
                && c.json().hasKey("components"), "the button marked");
        DataObject pressed = mark.buttons().getFirst();
        assertThat(pressed.getString("label")).isEqualTo("✓ Pressed");
        assertThat(pressed.getInt("style")).as("green").isEqualTo(3);
        assertThat(mark.buttons().get(1).getString("label")).as("the other button as it was").isEqualTo("Other");
        Call ack = awaitCall(c -> c.path().startsWith("/api/v10/interactions/" + id + "/"), "the acknowledgement");
        assertThat(ack.json().getInt("type")).as("acknowledged without a placeholder").isEqualTo(6);
        awaitCall(c -> c.content() != null && c.content().contains("Started a new project"), "the answer");
    }

    @Test
    void aDeniedUsersPressesGetNoText() throws Exception {
        start(s -> s.withAccess(new AccessSettings(Set.of(), Set.of("discord:" + BOB), Set.of(), Set.of(), Set.of(),
                Set.of())));
        List<String> presses = List.of(press(bob, "nemo:explode:1"), press(bob, "nemo:again:" + alice.id()),
                press(bob, "nemo:again:" + bob.id()));
        for (String id : presses) {
            awaitCall(c -> c.path().startsWith("/api/v10/interactions/" + id + "/"), "the acknowledgement of " + id);
        }
        // alice's answer shows that bob's presses were handled before it
        discord.fake.guildMessage(alice, "<@" + dev.nemobot.discord.fake.FakeDiscord.BOT_ID + "> help", true, List.of());
        awaitCall(c -> c.content() != null && c.content().contains(alice.id()), "alice's help");
        assertThat(backend.engine().awaitIdle(WAIT)).isTrue();
        await("no press left on thinking").atMost(WAIT).until(() -> leftThinking(presses).isEmpty());

        for (String id : presses) {
            assertThat(discord.fake.calls(c -> c.path().contains("interaction-token-" + id) && c.content() != null
                    && !c.content().isEmpty())).as("no text for press " + id).isEmpty();
        }
        assertThat(publicTexts()).as("nothing in the channel but alice's answer")
                .allMatch(t -> t.startsWith("<@" + alice.id() + ">"));
    }

    @Test
    void forgetIsPrivateOnlyTheAskerErasesCancelKeepsEverythingAndTheNextCommandStartsAfresh() throws Exception {
        start(s -> s);
        ChatUser aliceKey = new ChatUser("discord", alice.id(), "alice", Locale.US);
        String credits = discord.fake.slashCommand(alice, true, "credits", Map.of(), "en-US");
        awaitText(credits, "Credits: 100 available");
        assertThat(backend.engine().awaitIdle(WAIT)).isTrue();
        Map<String, Long> before = StoreRows.records(backend.dataDir(), aliceKey);
        assertThat(before).containsEntry("identities", 1L);

        String forget = discord.fake.slashCommand(alice, true, "forget", Map.of(), "en-US");
        Call question = awaitText(forget, "This erases everything I keep about you");
        assertThat(isPrivate(forget, question)).as("the question is Alice's only").isTrue();
        assertThat(question.buttons()).extracting(b -> b.getString("custom_id"), b -> b.getString("label"))
                .containsExactly(tuple("nemo:erase:" + alice.id(), "Erase everything"),
                        tuple("nemo:keep:" + alice.id(), "Cancel"));

        String bobs = press(bob, "nemo:erase:" + alice.id());
        assertThat(isPrivate(bobs, awaitText(bobs, DiscordTexts.notYours(Locale.US)))).isTrue();
        String keep = press(alice, "nemo:keep:" + alice.id());
        assertThat(isPrivate(keep, awaitText(keep, "Nothing was erased."))).isTrue();
        assertThat(backend.engine().awaitIdle(WAIT)).isTrue();
        assertThat(StoreRows.records(backend.dataDir(), aliceKey)).as("nothing erased").isEqualTo(before);

        String erase = press(alice, "nemo:erase:" + alice.id());
        Call done = awaitText(erase, "Done. Erased:");
        assertThat(done.content()).isEqualTo("Done. Erased: the link to your NemoVideo account and project, "
                + "the ids of your recent messages. Your next message starts afresh.");
        assertThat(isPrivate(erase, done)).as("what was erased is Alice's only").isTrue();
        assertThat(backend.engine().awaitIdle(WAIT)).isTrue();
        assertThat(StoreRows.none(backend.dataDir(), aliceKey)).as("nothing of Alice left").isTrue();

        long tokens = backend.simulator().requests().stream()
                .filter(r -> r.path().equals("/api/auth/anonymous-token")).count();
        String again = discord.fake.slashCommand(alice, true, "credits", Map.of(), "en-US");
        awaitCall(c -> c.path().contains("interaction-token-" + again) && c.content() != null
                && c.content().contains("Credits: 100 available"), "a new account's balance");
        assertThat(backend.simulator().requests().stream()
                .filter(r -> r.path().equals("/api/auth/anonymous-token")).count()).isEqualTo(tokens + 1);
        assertThat(publicTexts()).as("nothing in the channel").isEmpty();
        assertThat(leftThinking(List.of(forget, bobs, keep, erase))).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private String press(User user, String customId) {
        return discord.fake.buttonPress(user, true, customId, discord.fake.snowflake(), "en-US");
    }

    private Call awaitCall(java.util.function.Predicate<Call> match, String what) {
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(discord.fake.calls().stream().anyMatch(match))
                        .as(() -> what + "; calls so far:\n" + discord.fake.describe()).isTrue());
        return discord.fake.calls().stream().filter(match).findFirst().orElseThrow();
    }

    private Call awaitText(String interactionId, String text) {
        return awaitCall(c -> c.content() != null && c.content().contains(text), "'" + text + "' for " + interactionId);
    }

    /** How the interaction was acknowledged; null if it was not. */
    private DataObject ack(String interactionId) {
        return discord.fake.calls(c -> c.path().startsWith("/api/v10/interactions/" + interactionId + "/")).stream()
                .map(Call::json).findFirst().orElse(null);
    }

    private static boolean flagged(DataObject json) {
        return json != null && (json.getInt("flags", 0) & 64) == 64;
    }

    /** Whether {@code c} shows its text to the presser of {@code interactionId} only. */
    private boolean isPrivate(String interactionId, Call c) {
        if (!c.path().contains("interaction-token-" + interactionId)) {
            return false; // a channel message
        }
        if (c.method().equals("POST")) {
            return flagged(c.json()); // a follow-up
        }
        DataObject ack = ack(interactionId); // an edit of the deferred reply
        return ack != null && ack.getInt("type") == 5 && flagged(ack.optObject("data").orElse(null));
    }

    /** DiscordTexts everyone in the channel could read. */
    private List<String> publicTexts() {
        List<String> out = new ArrayList<>();
        for (Call c : discord.fake.calls()) {
            if (c.content() == null || c.content().isEmpty()) {
                continue;
            }
            if (c.path().startsWith("/api/v10/channels/")) {
                out.add(c.content());
            } else if (c.path().contains("interaction-token-")) {
                String id = c.path().replaceAll(".*interaction-token-(\\d+).*", "$1");
                if (!isPrivate(id, c)) {
                    out.add(c.content());
                }
            }
        }
        return out;
    }

    /** The presses acknowledged with a "thinking…" placeholder that nothing replaced or deleted. */
    private List<String> leftThinking(List<String> interactionIds) {
        List<String> left = new ArrayList<>();
        for (String id : interactionIds) {
            DataObject ack = ack(id);
            boolean deferredReply = ack != null && ack.getInt("type") == 5;
            boolean settled = !discord.fake.calls(c -> c.path().contains("interaction-token-" + id + "/messages/@original")
                    && (c.method().equals("DELETE") || c.content() != null)).isEmpty();
            if (deferredReply && !settled) {
                left.add(id);
            }
        }
        return left;
    }

}
