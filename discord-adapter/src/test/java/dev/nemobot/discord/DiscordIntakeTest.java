package dev.nemobot.discord;

import static dev.nemobot.discord.Harness.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nemobot.core.chat.Incoming;
import dev.nemobot.discord.fake.FakeDiscord;
import dev.nemobot.discord.fake.FakeDiscord.Call;
import dev.nemobot.discord.fake.FakeDiscord.User;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.dv8tion.jda.api.utils.data.DataArray;
import net.dv8tion.jda.api.utils.data.DataObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DiscordIntakeTest {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3, 4};
    private static final long GUILD_MESSAGES = 1 << 9;
    private static final long DIRECT_MESSAGES = 1 << 12;
    private static final long MESSAGE_CONTENT = 1 << 15;

    private final RecordingEngine engine = new RecordingEngine();
    private Harness discord;
    private User alice;
    private User bob;

    @BeforeEach
    void start() throws Exception {
        discord = Harness.start(engine);
        alice = discord.fake.user("100000000000000011", "alice");
        bob = discord.fake.user("100000000000000022", "bob");
    }

    @AfterEach
    void stop() {
        discord.close();
    }

    private List<Call> calls(String method, String pathRegex) {
        return discord.fake.calls(c -> c.method().equals(method) && c.path().matches(pathRegex));
    }

    private Call awaitCall(String method, String pathRegex) {
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(!calls(method, pathRegex).isEmpty())
                        .as(() -> method + " " + pathRegex + "; calls:\n" + discord.fake.describe()).isTrue());
        return calls(method, pathRegex).getFirst();
    }

    @Test
    void startupRegistersTheElevenGlobalCommandsInEveryLanguageWithoutThePrivilegedIntent() {
        Call put = awaitCall("PUT", "/api/v10/applications/" + FakeDiscord.APP_ID + "/commands");
        DataArray commands = DataArray.fromJson(put.json().getString("__array"));
        assertThat(commands.stream(DataArray::getObject).map(c -> c.getString("name")))
                .containsExactlyInAnyOrder("animate", "credits", "status", "export", "new", "help", "cancel",
                        "again", "longer", "music", "settings", "videos", "forget");
        DataObject forget = commands.stream(DataArray::getObject).filter(c -> c.getString("name").equals("forget"))
                .findFirst().orElseThrow();
        assertThat(forget.getString("description")).isEqualTo("Erase everything the bot keeps about you");
        assertThat(forget.getObject("description_localizations").getString("ja"))
                .isEqualTo("ボットが保存している自分のデータをすべて消去");
        DataObject animate = commands.stream(DataArray::getObject).filter(c -> c.getString("name").equals("animate")).findFirst().orElseThrow();
        DataArray options = animate.getArray("options");
        assertThat(options.getObject(0).getString("name")).isEqualTo("image");
        assertThat(options.getObject(0).getInt("type")).isEqualTo(11); // ATTACHMENT
        assertThat(options.getObject(0).getBoolean("required")).isTrue();
        assertThat(options.getObject(1).getString("name")).isEqualTo("prompt");
        DataObject credits = commands.stream(DataArray::getObject).filter(c -> c.getString("name").equals("credits")).findFirst().orElseThrow();
        assertThat(credits.getString("description")).isEqualTo("Show your remaining credits");
        DataObject localized = credits.getObject("description_localizations");
        assertThat(localized.getString("de")).isEqualTo("Zeigt deine restlichen Credits");
        assertThat(localized.getString("ja")).isEqualTo("残りのクレジットを表示");
        assertThat(localized.getString("zh-CN")).isEqualTo("查看剩余积分");
        assertThat(localized.getString("zh-TW")).as("Traditional Chinese").isEqualTo("查看剩餘積分");
        assertThat(localized.getString("pt-BR")).isEqualTo("Mostra seus créditos restantes");
        assertThat(localized.getString("es-419")).isEqualTo(localized.getString("es-ES"));
        assertThat(localized.hasKey("en-GB")).as("English is the default description").isFalse();
        assertThat(localized.hasKey("sv-SE")).as("a language the bot does not speak").isFalse();
        DataObject again = commands.stream(DataArray::getObject).filter(c -> c.getString("name").equals("again"))
                .findFirst().orElseThrow();
        assertThat(again.getString("description")).isEqualTo("Another take of your last video");
        assertThat(again.getObject("description_localizations").getString("de"))
                .isEqualTo("Eine neue Version deines letzten Videos");
        assertThat(options.getObject(0).getObject("description_localizations").getString("fr"))
                .startsWith("L’image à animer");

        long intents = discord.fake.identifies().getFirst().getLong("intents");
        assertThat(intents & GUILD_MESSAGES).isNotZero();
        assertThat(intents & DIRECT_MESSAGES).isNotZero();
        assertThat(intents & MESSAGE_CONTENT).isZero();
        assertThat(discord.bot.messageContent()).isFalse();
    }

    @Test
    void aLostGatewayShowsAsNotConnectedUntilJdaIsBack() {
        assertThat(engine.platform().connected()).isTrue();
        discord.fake.gatewayDown(true);
        await("the platform to report the lost gateway").atMost(WAIT).until(() -> !engine.platform().connected());
        discord.fake.gatewayDown(false);
        // JDA reconnects by itself, after its own back-off (2 s, doubling)
        await().atMost(Duration.ofSeconds(40))
                .untilAsserted(() -> assertThat(engine.platform().connected())
                        .as(() -> "JDA to reconnect; calls:\n" + discord.fake.describe()).isTrue());
        String id = discord.fake.directMessage(alice, "back again", List.of());
        assertThat(engine.await(m -> m.messageId().equals(id), WAIT).text()).isEqualTo("back again");
    }

    @Test
    void slashAnimateIsDeferredAndBecomesAnIncomingWithThePromptAndTheImage() throws Exception {
        DataObject image = discord.fake.attachment("cat.png", "image/png", PNG);
        String id = discord.fake.slashCommand(alice, true, "animate",
                Map.of("image", image, "prompt", "make the cat dance"), "zh-CN");

        Incoming in = engine.await(m -> m.messageId().equals(id), WAIT);
        assertThat(in.text()).isEqualTo("make the cat dance");
        assertThat(in.user().platform()).isEqualTo("discord");
        assertThat(in.user().id()).isEqualTo(alice.id());
        assertThat(in.user().locale()).isEqualTo(Locale.forLanguageTag("zh-CN"));
        assertThat(in.conversation().id()).isEqualTo(FakeDiscord.CHANNEL_ID);
        assertThat(in.conversation().group()).isTrue();
        assertThat(in.conversation().guild()).as("for the guild allow and deny lists").isEqualTo(FakeDiscord.GUILD_ID);
        assertThat(in.attachments()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo("cat.png");
            assertThat(a.contentType()).isEqualTo("image/png");
            assertThat(a.size()).isEqualTo(PNG.length);
        });
        try (InputStream bytes = in.attachments().getFirst().source().open()) {
            assertThat(bytes.readAllBytes()).isEqualTo(PNG);
        }
        Call ack = awaitCall("POST", "/api/v10/interactions/" + id + "/.*/callback");
        assertThat(ack.json().getInt("type")).isEqualTo(5); // deferred channel message
    }

    @Test
    void slashCommandsWithoutOptionsArriveAsCommandText() {
        String credits = discord.fake.slashCommand(alice, true, "credits", Map.of(), "en-US");
        String cancel = discord.fake.slashCommand(alice, true, "cancel", Map.of(), "en-US");
        assertThat(engine.await(m -> m.messageId().equals(credits), WAIT).text()).isEqualTo("/credits");
        assertThat(engine.await(m -> m.messageId().equals(cancel), WAIT).text()).isEqualTo("/cancel");
    }

    @Test
    void anImageWithAMentionInAChannelBecomesAnIncomingWithoutTheMention() throws Exception {
        DataObject image = discord.fake.attachment("dog.jpg", "image/jpeg", PNG);
        String id = discord.fake.guildMessage(alice, "<@" + FakeDiscord.BOT_ID + "> a dog surfing at sunset", true, List.of(image));

        Incoming in = engine.await(m -> m.messageId().equals(id), WAIT);
        assertThat(in.text()).isEqualTo("a dog surfing at sunset");
        assertThat(in.conversation().group()).isTrue();
        assertThat(in.conversation().guild()).isEqualTo(FakeDiscord.GUILD_ID);
        assertThat(in.attachments()).singleElement().satisfies(a -> assertThat(a.contentType()).isEqualTo("image/jpeg"));
        try (InputStream bytes = in.attachments().getFirst().source().open()) {
            assertThat(bytes.readAllBytes()).isEqualTo(PNG);
        }
    }

    @Test
    void channelMessagesThatDoNotMentionTheBotAreIgnored() {
        String ignored = discord.fake.guildMessage(alice, "just chatting", false, List.of());
        String addressed = discord.fake.guildMessage(alice, "<@!" + FakeDiscord.BOT_ID + "> credits", true, List.of());
        assertThat(engine.await(m -> m.messageId().equals(addressed), WAIT).text()).isEqualTo("credits");
        assertThat(engine.received()).extracting(Incoming::messageId).doesNotContain(ignored).hasSize(1);
    }

    @Test
    void directMessagesPassChineseKeywordsThroughAsAPrivateConversation() {
        String id = discord.fake.directMessage(bob, "查看积分", List.of());
        Incoming in = engine.await(m -> m.messageId().equals(id), WAIT);
        assertThat(in.text()).isEqualTo("查看积分");
        assertThat(in.conversation().group()).isFalse();
        assertThat(in.conversation().guild()).isEmpty();
        assertThat(in.conversation().id()).isEqualTo(discord.fake.dmChannel(bob));
        assertThat(in.user().id()).isEqualTo(bob.id());
    }

    @Test
    void aNonImageAttachmentOnASlashCommandIsAcknowledgedEphemerallyAndHandedOnAsARefusal() {
        DataObject pdf = discord.fake.attachment("report.pdf", "application/pdf", new byte[] {1, 2, 3});
        String id = discord.fake.slashCommand(alice, true, "animate", Map.of("image", pdf), "en-US");
        Call answer = awaitCall("POST", "/api/v10/interactions/" + id + "/.*/callback");
        assertThat(answer.json().getInt("type")).isEqualTo(5);
        assertThat(answer.json().getObject("data").getInt("flags") & 64).isEqualTo(64); // ephemeral
        // the engine says it, after its access and rate checks
        Incoming in = engine.await(m -> m.messageId().equals(id), WAIT);
        assertThat(in.refusal()).get().asString().contains("report.pdf").contains("not an image");
        assertThat(in.attachments()).isEmpty();
    }

    @Test
    void anOversizedImageInAMentionIsHandedOnAsARefusalWithoutItsFile() {
        DataObject huge = discord.fake.declaredAttachment("huge.png", "image/png", 25L * 1024 * 1024);
        String id = discord.fake.guildMessage(alice, "<@" + FakeDiscord.BOT_ID + ">", true, List.of(huge));
        Incoming in = engine.await(m -> m.messageId().equals(id), WAIT);
        assertThat(in.refusal()).get().asString().contains("huge.png").contains("20 MB");
        assertThat(in.attachments()).isEmpty();
        assertThat(discord.fake.calls(c -> c.path().equals("/api/v10/channels/" + FakeDiscord.CHANNEL_ID + "/messages")))
                .as("the adapter answers nothing itself").isEmpty();
    }

    @Test
    void theOwnersButtonPressIsAcknowledgedAndBecomesTheActionsCommand() {
        String press = discord.fake.buttonPress(alice, true, "nemo:export:" + alice.id(), discord.fake.snowflake(), "en-US");
        Incoming in = engine.await(m -> m.messageId().equals(press), WAIT);
        assertThat(in.text()).isEqualTo("/export");
        assertThat(in.user().id()).isEqualTo(alice.id());
        Call ack = awaitCall("POST", "/api/v10/interactions/" + press + "/.*/callback");
        assertThat(ack.json().getInt("type")).as("acknowledged without a word or a placeholder").isEqualTo(6);
    }

    @Test
    void creditsAndStatusAreDeferredEphemerallySoOnlyTheAskerSeesTheAnswer() {
        String credits = discord.fake.slashCommand(alice, true, "credits", Map.of(), "en-US");
        String status = discord.fake.slashCommand(alice, true, "status", Map.of(), "en-US");
        String statusButton = discord.fake.buttonPress(alice, true, "nemo:status:" + alice.id(),
                discord.fake.snowflake(), "en-US");
        String animate = discord.fake.slashCommand(alice, true, "animate",
                Map.of("image", discord.fake.attachment("cat.png", "image/png", PNG)), "en-US");
        for (String id : List.of(credits, status, statusButton)) {
            Call ack = awaitCall("POST", "/api/v10/interactions/" + id + "/.*/callback");
            assertThat(ack.json().getInt("type")).isEqualTo(5);
            assertThat(ack.json().getObject("data").getInt("flags") & 64).as("ephemeral").isEqualTo(64);
        }
        Call shared = awaitCall("POST", "/api/v10/interactions/" + animate + "/.*/callback");
        assertThat(shared.json().optObject("data").map(d -> d.getInt("flags", 0) & 64).orElse(0))
                .as("the video is for the channel to see").isZero();
        // this engine takes the press without a word: its private "thinking" reply goes
        awaitCall("DELETE", "/api/v10/webhooks/\\d+/interaction-token-" + statusButton + "/messages/@original");
    }

    @Test
    void theQuickEditButtonsArriveAsTheirCommands() {
        for (String action : List.of("again", "longer", "add_music")) {
            String press = discord.fake.buttonPress(alice, true, "nemo:" + action + ":" + alice.id(),
                    discord.fake.snowflake(), "en-US");
            assertThat(engine.await(m -> m.messageId().equals(press), WAIT).text())
                    .isEqualTo(Map.of("again", "/again", "longer", "/longer", "add_music", "/music").get(action));
        }
    }

    @Test
    void anotherUsersButtonPressIsAcknowledgedWithoutAWordAndHandedOnAsARefusal() {
        String press = discord.fake.buttonPress(bob, true, "nemo:cancel:" + alice.id(), discord.fake.snowflake(), "zh-CN");
        Call answer = awaitCall("POST", "/api/v10/interactions/" + press + "/.*/callback");
        assertThat(answer.json().getInt("type")).as("nothing shown: the engine answers, privately").isEqualTo(6);
        Incoming in = engine.await(m -> m.messageId().equals(press), WAIT);
        assertThat(in.refusal()).contains(DiscordTexts.notYours(Locale.CHINA));
        assertThat(in.user().id()).isEqualTo(bob.id());
    }

    @Test
    void aGatewayReconnectThatReplaysAMessageDoesNotRepeatTheTurn() {
        discord.fake.replayOnResume(true);
        String first = discord.fake.guildMessage(alice, "<@" + FakeDiscord.BOT_ID + "> status", true, List.of());
        engine.await(m -> m.messageId().equals(first), WAIT);

        discord.fake.requestReconnect();
        await("a resume").atMost(WAIT).until(() -> discord.fake.resumes() == 1 && discord.fake.connected());
        String second = discord.fake.guildMessage(alice, "<@" + FakeDiscord.BOT_ID + "> credits", true, List.of());
        engine.await(m -> m.messageId().equals(second), WAIT);

        assertThat(engine.received()).extracting(Incoming::messageId).containsExactly(first, second);
    }

    @Test
    void theBotTokenNeverAppearsInWhatIsSentOrLogged() {
        String id = discord.fake.slashCommand(alice, true, "help", Map.of(), "en-US");
        engine.await(m -> m.messageId().equals(id), WAIT);
        assertThat(discord.fake.describe()).doesNotContain(Harness.TOKEN);
        assertThat(CapturedLogs.all()).doesNotContain(Harness.TOKEN);
        assertThat(discord.bot.toString()).doesNotContain(Harness.TOKEN);
    }
}
