package dev.nemobot.discord;

import static dev.nemobot.discord.Harness.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.nemobot.config.DiscordSettings.Shards;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.Incoming;
import dev.nemobot.core.chat.MessageRef;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.TestChats;
import dev.nemobot.discord.fake.FakeDiscord;
import dev.nemobot.discord.fake.FakeDiscord.Call;
import dev.nemobot.discord.fake.FakeDiscord.Guild;
import dev.nemobot.discord.fake.FakeDiscord.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.dv8tion.jda.api.utils.data.DataArray;
import net.dv8tion.jda.api.utils.data.DataObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Several bot instances splitting a bot's servers by JDA shard, against the fake Discord that routes by shard. */
class DiscordShardingTest {
    private static final String PROMPT = "animate this image into a 5-second video with smooth motion";
    private FakeDiscord fake;
    private final List<DiscordBot> bots = new ArrayList<>();
    private Guild onShard0;
    private Guild onShard1;
    private User alice;

    @BeforeEach
    void start() throws Exception {
        fake = FakeDiscord.start();
        onShard0 = fake.addGuild(0, 2);
        onShard1 = fake.addGuild(1, 2);
        alice = fake.user("100000000000000011", "alice");
    }

    @AfterEach
    void stop() {
        try {
            bots.forEach(DiscordBot::close);
        } finally {
            fake.close();
        }
    }

    private DiscordBot bot(RecordingEngine engine, Shards shards) {
        DiscordBot bot = Harness.bot(fake, engine, shards);
        bots.add(bot);
        return bot;
    }

    private String mention(Guild guild, String text) {
        return fake.guildMessage(guild, alice, "<@" + FakeDiscord.BOT_ID + "> " + text, true, List.of());
    }

    private List<Call> commandRegistrations() {
        return fake.calls(c -> c.method().equals("PUT") && c.path().equals("/api/v10/applications/" + FakeDiscord.APP_ID + "/commands"));
    }

    private static List<String> shardPairs(List<DataObject> identifies) {
        return identifies.stream().map(i -> i.getArray("shard"))
                .map(a -> a.getInt(0) + "/" + a.getInt(1)).sorted().toList();
    }

    @Test
    void twoInstancesEachReceiveOnlyTheServersOnTheirShard() {
        assertThat(FakeDiscord.shardOf(onShard0.id(), 2)).isZero();
        assertThat(FakeDiscord.shardOf(onShard1.id(), 2)).isOne();
        RecordingEngine first = new RecordingEngine();
        RecordingEngine second = new RecordingEngine();
        bot(first, Shards.range(0, 0, 2));
        bot(second, Shards.range(1, 1, 2));
        assertThat(shardPairs(fake.identifies())).containsExactly("0/2", "1/2");
        assertThat(fake.connectedShards()).containsExactly(0, 1);

        String inZero = mention(onShard0, "status");
        String inOne = mention(onShard1, "credits");
        String inDefault = mention(FakeDiscord.DEFAULT_GUILD, "help"); // 900000000000000003 is on shard 1 of 2
        Incoming a = first.await(m -> m.messageId().equals(inZero), WAIT);
        Incoming b = second.await(m -> m.messageId().equals(inOne), WAIT);
        second.await(m -> m.messageId().equals(inDefault), WAIT);
        assertThat(a.conversation().guild()).isEqualTo(onShard0.id());
        assertThat(a.conversation().id()).isEqualTo(onShard0.channelId());
        assertThat(b.conversation().guild()).isEqualTo(onShard1.id());

        // Discord sends direct messages on shard 0 only
        String dm = fake.directMessage(alice, "help", List.of());
        first.await(m -> m.messageId().equals(dm), WAIT);

        assertThat(first.received()).extracting(Incoming::messageId).containsExactly(inZero, dm);
        assertThat(second.received()).extracting(Incoming::messageId).containsExactly(inOne, inDefault);
        assertThat(commandRegistrations()).as("only shard 0's instance registers the global commands").hasSize(1);
    }

    @Test
    void eachInstanceAnswersInItsOwnServersAndAnyInstanceCanWriteADirectMessage() {
        RecordingEngine first = new RecordingEngine();
        RecordingEngine second = new RecordingEngine();
        bot(first, Shards.range(0, 0, 2));
        bot(second, Shards.range(1, 1, 2));

        String status = mention(onShard1, "status");
        Incoming in = second.await(m -> m.messageId().equals(status), WAIT);
        MessageRef sent = second.platform().send(in.conversation(), in.user(), "hello from shard 1", List.of());
        assertThat(sent.id()).isNotBlank();
        assertThat(fake.calls(c -> c.isMessageCreate() && c.path().equals("/api/v10/channels/" + onShard1.channelId() + "/messages")))
                .singleElement().extracting(Call::content).asString().endsWith("hello from shard 1");
        second.platform().edit(sent, "edited on shard 1", List.of());
        String edit = "/api/v10/channels/" + onShard1.channelId() + "/messages/" + sent.id();
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(!fake.calls(c -> c.method().equals("PATCH") && c.path().equals(edit)).isEmpty())
                        .as(() -> "the edit; calls:\n" + fake.describe()).isTrue());
        assertThat(fake.calls(c -> c.method().equals("PATCH") && c.path().equals(edit)).getFirst().content())
                .endsWith("edited on shard 1");

        // a slash command in a shard-1 server is acknowledged by the instance that runs shard 1
        String slash = fake.slashCommand(alice, onShard1, "credits", Map.of(), "en-US");
        second.await(m -> m.messageId().equals(slash), WAIT);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(!fake.calls(c -> c.path().startsWith("/api/v10/interactions/" + slash + "/")).isEmpty())
                        .as(() -> "the deferral; calls:\n" + fake.describe()).isTrue());
        assertThat(first.received()).isEmpty();

        // a DM channel is opened by REST, so the instance without shard 0 can still write one
        ChatUser user = new ChatUser("discord", alice.id(), "alice", Locale.ROOT);
        Conversation dm = new Conversation("discord", fake.dmChannel(alice), false);
        second.platform().send(dm, user, "your video is ready", List.of());
        assertThat(fake.calls(c -> c.isMessageCreate() && c.path().equals("/api/v10/channels/" + dm.id() + "/messages")))
                .singleElement().extracting(Call::content).isEqualTo("your video is ready");

        // JDA cannot send to a channel it has not cached: a server on the other instance's shard is refused clearly
        Conversation foreign = new Conversation("discord", onShard0.channelId(), true, onShard0.id());
        assertThatThrownBy(() -> second.platform().send(foreign, user, "hello", List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(onShard0.channelId()).hasMessageContaining("another instance");
    }

    /** The real engine against the simulator behind each instance; the recorders show which instance took each message. */
    @Test
    void endToEndEachServerIsServedByTheInstanceThatRunsItsShard() {
        try (EngineFixture backend0 = EngineFixture.start(); EngineFixture backend1 = EngineFixture.start()) {
            RecordingEngine first = new RecordingEngine(backend0.engine());
            RecordingEngine second = new RecordingEngine(backend1.engine());
            bot(first, Shards.range(0, 0, 2));
            bot(second, Shards.range(1, 1, 2));
            User bob = fake.user("100000000000000022", "bob");

            String credits = fake.slashCommand(alice, onShard0, "credits", Map.of(), "zh-CN");
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(fake.calls().stream().anyMatch(c -> c.path().startsWith(
                    "/api/v10/webhooks/" + FakeDiscord.APP_ID + "/interaction-token-" + credits)
                    && c.content() != null && c.content().contains("积分")))
                        .as(() -> "the credits answer; calls:\n" + fake.describe()).isTrue());

            DataObject image = fake.attachment("sunset.png", "image/png", TestChats.pngBytes(96, 64));
            String animate = fake.guildMessage(onShard1, bob, "<@" + FakeDiscord.BOT_ID + "> " + PROMPT, true, List.of(image));
            // the video: the render's progress message in that channel, edited to carry it
            String channel = "/api/v10/channels/" + onShard1.channelId() + "/messages/";
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(fake.calls().stream().anyMatch(c -> c.path().startsWith(channel) && !c.files().isEmpty()))
                            .as(() -> "the MP4 in the shard-1 server; calls:\n" + fake.describe()).isTrue());
            Call video = fake.calls(c -> c.path().startsWith(channel) && !c.files().isEmpty()).getFirst();
            assertThat(video.files().values()).anyMatch(f -> f.fileName().endsWith(".mp4"));
            assertThat(video.content()).startsWith("<@" + bob.id() + ">");

            assertThat(first.received()).extracting(Incoming::messageId).containsExactly(credits);
            assertThat(second.received()).extracting(Incoming::messageId).containsExactly(animate);
            assertThat(backend0.simulator().requests()).as("each backend served its own instance").isNotEmpty();
            assertThat(backend1.simulator().requests()).isNotEmpty();
        }
    }

    @Test
    void oneInstanceWithBothShardsReceivesEveryServer() {
        fake.maxConcurrency(2); // both shards IDENTIFY at once instead of 5 s apart
        RecordingEngine engine = new RecordingEngine();
        bot(engine, Shards.range(0, 1, 2));
        assertThat(shardPairs(fake.identifies())).containsExactly("0/2", "1/2");
        assertThat(fake.calls(c -> c.method().equals("GET") && c.path().equals("/api/v10/gateway/bot")))
                .as("the shard manager asks for max_concurrency once").hasSize(1);

        String inZero = mention(onShard0, "status");
        String inOne = mention(onShard1, "credits");

        // replies go out through whichever shard caches the channel
        Incoming zero = engine.await(m -> m.messageId().equals(inZero), WAIT);
        Incoming one = engine.await(m -> m.messageId().equals(inOne), WAIT);
        engine.platform().send(zero.conversation(), zero.user(), "zero", List.of());
        engine.platform().send(one.conversation(), one.user(), "one", List.of());
        assertThat(fake.calls(Call::isMessageCreate)).extracting(Call::path).containsExactlyInAnyOrder(
                "/api/v10/channels/" + onShard0.channelId() + "/messages",
                "/api/v10/channels/" + onShard1.channelId() + "/messages");
        assertThat(commandRegistrations()).hasSize(1);
        DataArray commands = DataArray.fromJson(commandRegistrations().getFirst().json().getString("__array"));
        assertThat(commands.length()).as("ten, /settings, /videos and /forget").isEqualTo(13);
    }

    @Test
    void unshardedIsOneSessionOfShardZeroOfOneThatGetsEveryServer() {
        RecordingEngine engine = new RecordingEngine();
        bot(engine, Shards.SINGLE);
        assertThat(shardPairs(fake.identifies())).containsExactly("0/1");
        String inZero = mention(onShard0, "status");
        String inOne = mention(onShard1, "credits");
        engine.await(m -> m.messageId().equals(inZero), WAIT);
        engine.await(m -> m.messageId().equals(inOne), WAIT);
        assertThat(commandRegistrations()).hasSize(1);
    }

    @Test
    void aRestBaseWithoutGatewayBotStillConnectsOneShardAtATime() {
        fake.gatewayBotRoute(false);
        RecordingEngine engine = new RecordingEngine();
        bot(engine, Shards.SINGLE);
        assertThat(fake.calls(c -> c.path().equals("/api/v10/gateway/bot"))).as("asked, and answered 404").hasSize(1);
        String inOne = mention(onShard1, "credits");
        engine.await(m -> m.messageId().equals(inOne), WAIT);
    }

    @Test
    void aRefusedTokenFailsTheStartWithoutShowingTheToken() {
        fake.refuseToken(true);
        assertThatThrownBy(() -> bot(new RecordingEngine(), Shards.range(0, 1, 2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("token")
                .hasMessageNotContaining(Harness.TOKEN);
        assertThat(fake.identifies()).as("no gateway session was opened").isEmpty();
    }

    @Test
    void anInstanceWithoutShardZeroRegistersNoCommandsAndGetsNoDirectMessages() {
        RecordingEngine engine = new RecordingEngine();
        bot(engine, Shards.range(1, 1, 2));
        assertThat(commandRegistrations()).isEmpty();
        assertThatThrownBy(() -> fake.directMessage(alice, "hello", List.of()))
                .as("the fake has nowhere to send a DM: no session holds shard 0")
                .isInstanceOf(IllegalStateException.class);
        String inOne = mention(onShard1, "credits");
        engine.await(m -> m.messageId().equals(inOne), WAIT);
    }
}
