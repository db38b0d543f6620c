package dev.nemobot.discord;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.TestChats;
import dev.nemobot.discord.fake.FakeDiscord;
import dev.nemobot.discord.fake.FakeDiscord.Call;
import dev.nemobot.discord.fake.FakeDiscord.User;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import net.dv8tion.jda.api.utils.data.DataObject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two people in one channel, the real engine behind the real JDA against the fake Discord: every answer goes to the
 * interaction it answers, private answers stay private, the video is public and replies to its request.
 */
class DiscordSharedChannelTest {
    private static final Duration RENDER_WAIT = Duration.ofSeconds(40);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PROMPT = "animate this image into a 5-second video with smooth motion, a slow pan "
            + "over the hills and a warm evening light";

    private EngineFixture backend;
    private Harness discord;
    private User alice;
    private User bob;

    @BeforeEach
    void start() throws Exception {
        backend = EngineFixture.start();
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

    private static boolean isMp4(Call c) {
        return c.files().values().stream().anyMatch(f -> f.bytes().length > 12
                && new String(Arrays.copyOfRange(f.bytes(), 4, 8), StandardCharsets.US_ASCII).equals("ftyp"));
    }

    /** Every webhook call made with the interaction's token: its answer, its edits and its follow-ups. */
    private List<Call> answersTo(String interactionId) {
        return discord.fake.calls(c -> c.path().startsWith("/api/v10/webhooks/" + FakeDiscord.APP_ID
                + "/interaction-token-" + interactionId));
    }

    private Call await(Predicate<Call> match, Duration timeout, String what) {
        Awaitility.await().atMost(timeout)
                .untilAsserted(() -> assertThat(discord.fake.calls().stream().anyMatch(match))
                        .as(() -> what + "; calls so far:\n" + discord.fake.describe()).isTrue());
        return discord.fake.calls().stream().filter(match).findFirst().orElseThrow();
    }

    /** The render's progress message as it was created (the video is made of it). */
    private Call progressMessage() {
        return discord.fake.calls(c -> c.isMessageCreate() && c.content() != null
                && c.content().contains("Rendering your clip")).getFirst();
    }

    @Test
    void creditsAndStatusAskedDuringTheSameUsersGenerationAndRenderStayPrivateAndTheVideoRepliesToItsRequest() {
        DataObject image = discord.fake.attachment("sunset.png", "image/png", TestChats.pngBytes(96, 64));
        String animate = discord.fake.slashCommand(alice, true, "animate", Map.of("image", image, "prompt", PROMPT),
                "en-US");
        await(c -> answersTo(animate).contains(c), WAIT, "the first answer to /animate");

        // while the generation streams: alice asks for her balance and her project again and again (past her rate
        // limit, so some of them are refused), bob for his balance
        List<String> privateOnes = new ArrayList<>();
        for (int i = 0; i < 22; i++) {
            privateOnes.add(discord.fake.slashCommand(alice, true, i % 5 == 4 ? "status" : "credits", Map.of(), "en-US"));
        }
        String bobsCredits = discord.fake.slashCommand(bob, true, "credits", Map.of(), "en-US");
        privateOnes.add(bobsCredits);
        // and while it renders
        await(c -> c.content() != null && c.content().contains("Rendering"), RENDER_WAIT, "the render started");
        String statusWhileRendering = discord.fake.slashCommand(alice, true, "status", Map.of(), "en-US");
        privateOnes.add(statusWhileRendering);
        String bobsStatus = discord.fake.slashCommand(bob, true, "status", Map.of(), "en-US");
        privateOnes.add(bobsStatus);

        Call video = await(DiscordSharedChannelTest::isMp4, RENDER_WAIT, "the video");
        assertThat(backend.engine().awaitIdle(RENDER_WAIT)).isTrue();

        // the video: public, in the channel, the render's progress message (which replies to the answer of the
        // /animate that asked for it) edited to carry it, mentioning alice, and its caption says which request it
        // answers
        assertThat(video.path()).startsWith("/api/v10/channels/" + FakeDiscord.CHANNEL_ID + "/messages/");
        assertThat(progressMessage().json().getObject("message_reference").getString("message_id"))
                .isEqualTo(discord.fake.originalMessageId(animate));
        assertThat(video.content()).startsWith("<@" + alice.id() + "> “animate this image into a 5-second video with")
                .contains("…”").contains("Here is your video");
        assertThat(discord.fake.calls(c -> c.content() != null && c.content().contains("Rendering")))
                .as("the render's progress is not anyone's private answer")
                .allMatch(c -> c.path().startsWith("/api/v10/channels/") || answersTo(animate).contains(c));

        // each private command: acknowledged privately, and whatever answers it is its own answer, never the video
        // or the render's progress, and it lands on its own interaction
        for (String id : privateOnes) {
            assertThat(discord.fake.deferredPrivately(id)).as("interaction %s deferred privately", id).isTrue();
            for (Call c : answersTo(id)) {
                assertThat(isMp4(c)).as("a video among the answers of %s", id).isFalse();
                assertThat(String.valueOf(c.content())).as("an answer of %s", id)
                        .doesNotContain("Rendering").doesNotContain("Here is your video").doesNotContain("Uploading");
            }
        }
        assertThat(answersTo(bobsCredits)).singleElement()
                .satisfies(c -> assertThat(c.content()).startsWith("Credits: "));
        assertThat(answersTo(bobsStatus)).isNotEmpty()
                .allSatisfy(c -> assertThat(c.content()).doesNotContain("Credits"));
        long answered = privateOnes.stream().filter(id -> !answersTo(id).isEmpty()).count();
        assertThat(answered).as("private commands answered (each through its own interaction)")
                .isEqualTo(privateOnes.size());
        // nothing meant for one of them went to the channel: the channel messages are /animate's, replying to it
        assertThat(discord.fake.calls(c -> c.isMessageCreate() && c.content() != null && c.content().contains("Credits:")))
                .isEmpty();
        assertThat(discord.fake.calls(Call::isMessageCreate)).isNotEmpty().allSatisfy(c -> {
            assertThat(c.content()).startsWith("<@" + alice.id() + ">");
            assertThat(c.json().getObject("message_reference").getString("message_id"))
                    .isEqualTo(discord.fake.originalMessageId(animate));
        });
    }

    @Test
    void inAThreadEveryAnswerAndTheVideoStayInThatThreadAndReplyToTheirRequest() {
        DataObject image = discord.fake.attachment("sunset.png", "image/png", TestChats.pngBytes(96, 64));
        String request = discord.fake.threadMessage(alice, "<@" + FakeDiscord.BOT_ID + "> " + PROMPT, true,
                List.of(image));
        String status = discord.fake.slashCommandInThread(bob, "status", Map.of(), "en-US");

        Call video = await(DiscordSharedChannelTest::isMp4, RENDER_WAIT, "the video");
        assertThat(backend.engine().awaitIdle(RENDER_WAIT)).isTrue();
        // the render's progress message, a reply to the request in the thread, edited to carry the video
        assertThat(video.path()).startsWith("/api/v10/channels/" + FakeDiscord.THREAD_ID + "/messages/");
        assertThat(progressMessage().json().getObject("message_reference").getString("message_id")).isEqualTo(request);
        assertThat(discord.fake.calls(Call::isMessageCreate)).as("everything for alice's message, in the thread")
                .isNotEmpty().allSatisfy(c -> {
                    assertThat(c.path()).isEqualTo("/api/v10/channels/" + FakeDiscord.THREAD_ID + "/messages");
                    assertThat(c.json().getObject("message_reference").getString("message_id")).isEqualTo(request);
                });
        assertThat(discord.fake.deferredPrivately(status)).isTrue();
        assertThat(answersTo(status)).singleElement().satisfies(c -> assertThat(c.content()).contains("project"));
    }
}
