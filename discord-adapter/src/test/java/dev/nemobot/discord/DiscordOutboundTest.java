package dev.nemobot.discord;

import static dev.nemobot.discord.Harness.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.ChatPlatform;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.Incoming;
import dev.nemobot.core.chat.MessageRef;
import dev.nemobot.core.chat.ReplyTo;
import dev.nemobot.core.chat.VideoRejectedException;
import dev.nemobot.discord.fake.FakeDiscord;
import dev.nemobot.discord.fake.FakeDiscord.Call;
import dev.nemobot.discord.fake.FakeDiscord.User;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Map;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.utils.data.DataArray;
import net.dv8tion.jda.api.utils.data.DataObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscordOutboundTest {
    private static final Conversation CHANNEL = new Conversation("discord", FakeDiscord.CHANNEL_ID, true);

    private final RecordingEngine engine = new RecordingEngine();
    private Harness discord;
    private ChatPlatform platform;
    private User alice;
    private ChatUser aliceUser;

    @TempDir
    Path temp;

    @BeforeEach
    void start() throws Exception {
        discord = Harness.start(engine);
        platform = engine.platform();
        alice = discord.fake.user("100000000000000011", "alice");
        aliceUser = new ChatUser("discord", alice.id(), "alice", Locale.US);
    }

    @AfterEach
    void stop() {
        discord.close();
    }

    private List<Call> calls(String method, String pathRegex) {
        return discord.fake.calls(c -> c.method().equals(method) && c.path().matches(pathRegex));
    }

    private static List<String> customIds(DataObject payload) {
        DataArray rows = payload.getArray("components");
        return rows.stream(DataArray::getObject)
                .flatMap(row -> row.getArray("components").stream(DataArray::getObject))
                .map(button -> button.getString("custom_id"))
                .toList();
    }

    private Incoming slash(String name) {
        String id = discord.fake.slashCommand(alice, true, name, Map.of(), "en-US");
        return engine.await(m -> m.messageId().equals(id), WAIT);
    }

    @Test
    void theFirstReplyReplacesTheDeferredPlaceholderAndLaterOnesAreChannelMessagesMentioningTheUser() {
        Incoming in = slash("export");
        MessageRef first = platform.send(in.replyTo(), in.user(), "Your project has 2 tracks", List.of(Action.EXPORT, Action.NEW));

        List<Call> original = calls("PATCH", "/api/v10/webhooks/" + FakeDiscord.APP_ID + "/.*/messages/@original");
        assertThat(original).singleElement().satisfies(c -> {
            assertThat(c.content()).isEqualTo("Your project has 2 tracks");
            assertThat(customIds(c.json())).containsExactly("nemo:export:" + alice.id(), "nemo:new:" + alice.id());
        });
        assertThat(first.id()).isNotBlank();

        platform.send(in.replyTo(), in.user(), "Still rendering_now", List.of(Action.CANCEL));
        Call later = calls("POST", "/api/v10/channels/" + FakeDiscord.CHANNEL_ID + "/messages").getLast();
        assertThat(later.content()).isEqualTo("<@" + alice.id() + "> Still rendering\\_now");
        assertThat(later.json().getObject("allowed_mentions").getArray("users").getString(0)).isEqualTo(alice.id());
        assertThat(later.json().getObject("allowed_mentions").getArray("parse").length()).isZero();
        assertThat(customIds(later.json())).containsExactly("nemo:cancel:" + alice.id());
        assertThat(later.json().getObject("message_reference").getString("message_id"))
                .as("a reply to the interaction's first answer").isEqualTo(first.id());
    }

    @Test
    void laterAnswersToAPrivateCommandArePrivateFollowUpsOfItsOwnInteraction() {
        Incoming in = slash("status");
        platform.send(in.replyTo(), in.user(), "Your project has 2 tracks", List.of());
        platform.send(in.replyTo(), in.user(), "and a title", List.of());

        assertThat(calls("POST", "/api/v10/channels/.*/messages")).isEmpty();
        assertThat(calls("POST", "/api/v10/webhooks/" + FakeDiscord.APP_ID + "/interaction-token-" + in.messageId()))
                .singleElement().satisfies(c -> {
                    assertThat(c.content()).isEqualTo("and a title");
                    assertThat(c.json().getInt("flags") & 64).as("ephemeral").isEqualTo(64);
                });
    }

    @Test
    void whenTheInteractionCannotBeAnsweredAnymoreTheReplyGoesToTheChannel() {
        Incoming in = slash("credits");
        discord.fake.unknownWebhooks(true);
        platform.send(in.replyTo(), in.user(), "You have 90 credits", List.of());
        assertThat(calls("PATCH", "/api/v10/webhooks/.*/messages/@original")).hasSize(1);
        assertThat(calls("POST", "/api/v10/channels/" + FakeDiscord.CHANNEL_ID + "/messages")).singleElement()
                .satisfies(c -> assertThat(c.content()).isEqualTo("<@" + alice.id() + "> You have 90 credits"));
    }

    @Test
    void anInteractionWhoseTokenIsAboutToExpireIsNotUsedForTheReply() throws Exception {
        RecordingEngine late = new RecordingEngine();
        java.time.Clock fourteenMinutesLater = java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMinutes(14).plusSeconds(30));
        try (Harness h = Harness.start(late, true, fourteenMinutesLater, Duration.ofMillis(300), f -> { })) {
            User erin = h.fake.user("100000000000000055", "erin");
            String id = h.fake.slashCommand(erin, true, "status", Map.of(), "en-US");
            Incoming in = late.await(m -> m.messageId().equals(id), WAIT);
            late.platform().send(in.replyTo(), in.user(), "Rendering 40%", List.of());
            assertThat(h.fake.calls(c -> c.path().contains("/webhooks/"))).isEmpty();
            assertThat(h.fake.calls(Call::isMessageCreate)).singleElement()
                    .satisfies(c -> assertThat(c.content()).isEqualTo("<@" + erin.id() + "> Rendering 40%"));
        }
    }

    @Test
    void buttonLabelsFollowTheUsersLanguage() {
        ChatUser chinese = new ChatUser("discord", alice.id(), "alice", Locale.CHINA);
        platform.send(CHANNEL, chinese, "完成", List.of(Action.EXPORT));
        Call sent = calls("POST", "/api/v10/channels/\\d+/messages").getLast();
        DataObject button = sent.json().getArray("components").getObject(0).getArray("components").getObject(0);
        assertThat(button.getString("label")).isEqualTo("导出");
    }

    @Test
    void progressEditsOfAMessageAreCoalescedToTheNewestTextAndUnchangedTextIsSkipped() {
        MessageRef progress = platform.send(CHANNEL, aliceUser, "Working 0%", List.of(Action.CANCEL));
        String path = "/api/v10/channels/" + FakeDiscord.CHANNEL_ID + "/messages/" + progress.id();
        platform.progress(progress, "Working 10%", List.of(Action.CANCEL));
        platform.progress(progress, "Working 20%", List.of(Action.CANCEL));
        platform.progress(progress, "Working 30%", List.of(Action.CANCEL));

        await("the last edit").atMost(WAIT)
                .until(() -> calls("PATCH", path).stream().anyMatch(c -> c.content().endsWith("30%")));
        // 20% waited while 10% was on its way, and 30% replaced it: one message's edits go one at a time, newest first
        List<String> shown = calls("PATCH", path).stream().map(Call::content).toList();
        assertThat(shown).startsWith("<@" + alice.id() + "> Working 10%").endsWith("<@" + alice.id() + "> Working 30%");

        platform.progress(progress, "Working 30%", List.of(Action.CANCEL));
        platform.edit(progress, "Done", List.of());
        assertThat(calls("PATCH", path)).as("a final edit has landed when edit returns").hasSize(shown.size() + 1);
        Call last = calls("PATCH", path).getLast();
        assertThat(last.content()).endsWith("Done");
        assertThat(last.json().getArray("components").length()).isZero();
    }

    @Test
    void longTextIsSplitIntoMessagesDiscordAccepts() {
        String paragraph = "word ".repeat(199) + "end\n";
        String text = paragraph.repeat(5); // about 5000 characters
        platform.send(CHANNEL, aliceUser, text, List.of(Action.STATUS));
        List<Call> sent = calls("POST", "/api/v10/channels/\\d+/messages");
        assertThat(sent).hasSizeGreaterThanOrEqualTo(3);
        assertThat(sent).allSatisfy(c -> assertThat(c.content().length()).isLessThanOrEqualTo(Message.MAX_CONTENT_LENGTH));
        assertThat(sent.getFirst().content()).startsWith("<@" + alice.id() + ">");
        assertThat(customIds(sent.getLast().json())).containsExactly("nemo:status:" + alice.id());
        assertThat(sent.getFirst().json().getArray("components").length()).isZero();
        assertThat(String.join(" ", sent.stream().map(Call::content).toList()).replaceAll("\\s+", " "))
                .contains("end word");
    }

    @Test
    void aVideoGoesOutAsAnMp4AttachmentMentioningTheUser() throws Exception {
        Path mp4 = temp.resolve("render.mp4");
        byte[] bytes = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm', 'm', 'p', '4', '1'};
        Files.write(mp4, bytes);

        platform.sendVideo(CHANNEL, aliceUser, mp4, "Here is your video", List.of(Action.NEW));
        Call upload = calls("POST", "/api/v10/channels/\\d+/messages").getLast();
        assertThat(upload.files().values()).singleElement().satisfies(f -> {
            assertThat(f.fileName()).isEqualTo("render.mp4");
            assertThat(f.bytes()).isEqualTo(bytes);
        });
        assertThat(upload.content()).isEqualTo("<@" + alice.id() + "> Here is your video");
        assertThat(upload.json().getArray("attachments").getObject(0).getString("filename")).isEqualTo("render.mp4");
    }

    @Test
    void aVideoOverTheLimitTheInteractionReportsIsRejectedWithoutUploading() throws Exception {
        discord.fake.attachmentSizeLimit(1000);
        Incoming in = slash("export");
        assertThat(platform.uploadLimitBytes(in.conversation())).isEqualTo(1000);
        Path mp4 = temp.resolve("big.mp4");
        Files.write(mp4, new byte[1001]);

        assertThatThrownBy(() -> platform.sendVideo(in.replyTo(), in.user(), mp4, "video", List.of()))
                .isInstanceOf(VideoRejectedException.class);
        assertThat(discord.fake.calls(c -> !c.files().isEmpty())).isEmpty();

        // the link the engine sends instead still answers the interaction
        platform.send(in.replyTo(), in.user(), "Too large to attach: http://127.0.0.1/v/big_file.mp4", List.of());
        assertThat(calls("PATCH", "/api/v10/webhooks/.*/messages/@original")).singleElement()
                .satisfies(c -> assertThat(c.content()).isEqualTo("Too large to attach: http://127.0.0.1/v/big_file.mp4"));
    }

    @Test
    void discordAnswering413MakesTheVideoARejectionSoTheLinkIsSent() throws Exception {
        discord.fake.rejectUploads(true);
        Path mp4 = temp.resolve("v.mp4");
        Files.write(mp4, new byte[2048]);
        assertThatThrownBy(() -> platform.sendVideo(CHANNEL, aliceUser, mp4, "video", List.of()))
                .isInstanceOf(VideoRejectedException.class)
                .hasMessageContaining("too large");
    }

    private Path smallMp4() throws Exception {
        Path mp4 = temp.resolve("render.mp4");
        Files.write(mp4, new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm'});
        return mp4;
    }

    @Test
    void aProgressMessageBecomesTheVideoWithItsButtonsAndNoProgressEditLandsAfterIt() throws Exception {
        MessageRef progress = platform.send(CHANNEL, aliceUser, "Rendering your clip…", List.of(Action.CANCEL, Action.STATUS));
        platform.progress(progress, "Rendering… 90%", List.of(Action.CANCEL, Action.STATUS));

        MessageRef video = platform.finishWithVideo(progress, "Video ready!", ReplyTo.conversation(CHANNEL), aliceUser,
                smallMp4(), "Here is your video", List.of(Action.AGAIN, Action.NEW), Optional.empty());

        assertThat(video).as("the progress message is the video").isEqualTo(progress);
        String path = "/api/v10/channels/" + FakeDiscord.CHANNEL_ID + "/messages/" + progress.id();
        List<Call> edits = discord.fake.calls(c -> c.path().equals(path));
        // the waiting percentage landed before the video or never: the video is the message's last state
        assertThat(edits.getLast()).satisfies(c -> {
            assertThat(c.method()).isEqualTo("PATCH");
            assertThat(c.files().values()).singleElement().satisfies(f -> assertThat(f.fileName()).isEqualTo("render.mp4"));
            assertThat(c.content()).isEqualTo("<@" + alice.id() + "> Here is your video");
            assertThat(customIds(c.json())).containsExactly("nemo:again:" + alice.id(), "nemo:new:" + alice.id());
        });
        assertThat(calls("POST", "/api/v10/channels/\\d+/messages")).as("no second message").hasSize(1);
        assertThat(discord.fake.calls()).noneMatch(c -> "Video ready!".equals(c.content()));
    }

    @Test
    void aProgressMessageSentThroughItsInteractionBecomesTheVideoThroughTheSameHook() throws Exception {
        Incoming in = slash("export");
        MessageRef progress = platform.send(in.replyTo(), in.user(), "Rendering your clip…", List.of(Action.CANCEL));

        platform.finishWithVideo(progress, "Video ready!", in.replyTo(), in.user(), smallMp4(), "Here is your video",
                List.of(Action.AGAIN), Optional.empty());

        assertThat(calls("PATCH", "/api/v10/webhooks/" + FakeDiscord.APP_ID + "/interaction-token-" + in.messageId()
                + "/messages/.*")).filteredOn(c -> !c.files().isEmpty()).singleElement().satisfies(c -> {
                    assertThat(c.content()).isEqualTo("Here is your video");
                    assertThat(customIds(c.json())).containsExactly("nemo:again:" + alice.id());
                });
        assertThat(calls("POST", "/api/v10/channels/.*/messages")).isEmpty();
    }

    @Test
    void aProgressMessageThatCannotBeEditedAnyMoreHasTheVideoSentBesideIt() throws Exception {
        Incoming in = slash("export");
        MessageRef progress = platform.send(in.replyTo(), in.user(), "Rendering your clip…", List.of(Action.CANCEL));
        discord.fake.unknownWebhooks(true); // the interaction's token no longer works

        MessageRef video = platform.finishWithVideo(progress, "Video ready!", in.replyTo(), in.user(), smallMp4(),
                "Here is your video", List.of(Action.AGAIN), Optional.empty());

        assertThat(video).isNotEqualTo(progress);
        assertThat(calls("POST", "/api/v10/channels/" + FakeDiscord.CHANNEL_ID + "/messages")).singleElement()
                .satisfies(c -> {
                    assertThat(c.files()).hasSize(1);
                    assertThat(c.content()).isEqualTo("<@" + alice.id() + "> Here is your video");
                    assertThat(customIds(c.json())).containsExactly("nemo:again:" + alice.id());
                });
    }

    @Test
    void aVideoOverTheLimitLeavesTheProgressMessageForTheLink() throws Exception {
        discord.fake.attachmentSizeLimit(1000);
        Incoming in = slash("export");
        MessageRef progress = platform.send(in.replyTo(), in.user(), "Rendering your clip…", List.of(Action.CANCEL));
        Path big = temp.resolve("big.mp4");
        Files.write(big, new byte[1001]);

        assertThatThrownBy(() -> platform.finishWithVideo(progress, "Video ready!", in.replyTo(), in.user(), big,
                "Here is your video", List.of(), Optional.empty()))
                .isInstanceOfSatisfying(VideoRejectedException.class, e -> assertThat(e.tooLarge()).isTrue());
        assertThat(discord.fake.calls(c -> !c.files().isEmpty())).isEmpty();

        discord.fake.rejectUploads(true);
        assertThatThrownBy(() -> platform.finishWithVideo(progress, "Video ready!", in.replyTo(), in.user(),
                smallMp4(), "Here is your video", List.of(), Optional.empty()))
                .as("Discord answering 413 to the edit")
                .isInstanceOfSatisfying(VideoRejectedException.class, e -> assertThat(e.tooLarge()).isTrue());
    }

    @Test
    void uploadLimitsComeFromTheGuildOrTheDmDefault() {
        assertThat(platform.uploadLimitBytes(CHANNEL)).isEqualTo(10L * 1024 * 1024); // boost tier 0
        assertThat(platform.uploadLimitBytes(new Conversation("discord", "123456789012345678", false)))
                .isEqualTo(Message.MAX_FILE_SIZE);
    }

    @Test
    void aReplyInADirectMessageNeedsNoMentionAndOpensTheDmChannelWhenNotCached() {
        User carol = discord.fake.user("100000000000000033", "carol");
        Conversation dm = new Conversation("discord", discord.fake.dmChannel(carol), false);
        platform.send(dm, new ChatUser("discord", carol.id(), "carol", Locale.ROOT), "hello", List.of());
        Call sent = calls("POST", "/api/v10/channels/" + dm.id() + "/messages").getLast();
        assertThat(sent.content()).isEqualTo("hello");
        assertThat(calls("POST", "/api/v10/users/@me/channels")).isNotEmpty();
    }

    @Test
    void theTypingIndicatorIsShown() {
        platform.showActivity(CHANNEL, dev.nemobot.core.chat.Activity.UPLOADING_VIDEO);
        await("typing").atMost(WAIT).until(() -> !calls("POST", "/api/v10/channels/\\d+/typing").isEmpty());
    }

    @Test
    void directMessagesAreAnsweredWithServersOnlyWhenDmsAreOff() throws Exception {
        RecordingEngine other = new RecordingEngine();
        try (Harness noDms = Harness.start(other, false, Duration.ofMillis(300), f -> { })) {
            User dave = noDms.fake.user("100000000000000044", "dave");
            String message = noDms.fake.directMessage(dave, "hello", List.of());
            String slash = noDms.fake.slashCommand(dave, false, "credits", Map.of(), "en-US");
            await("answers").atMost(WAIT)
                    .until(() -> other.received().size() == 2
                            && !noDms.fake.calls(c -> c.path().contains("/interactions/" + slash + "/")).isEmpty());
            // handed to the engine as refusals: it answers them after its access and rate checks
            assertThat(other.received()).extracting(Incoming::messageId).containsExactlyInAnyOrder(message, slash);
            assertThat(other.received()).allMatch(m -> m.refusal().isPresent() && m.attachments().isEmpty());
            assertThat(other.received().stream().filter(m -> m.messageId().equals(message)).findFirst().orElseThrow()
                    .refusal()).contains(DiscordTexts.dmsOff(Locale.ROOT));
            Call ack = noDms.fake.calls(c -> c.path().contains("/interactions/" + slash + "/")).getFirst();
            assertThat(ack.json().getObject("data").getInt("flags") & 64).isEqualTo(64);
            String dm = noDms.fake.dmChannel(dave);
            assertThat(noDms.fake.calls(c -> c.path().equals("/api/v10/channels/" + dm + "/messages")))
                    .as("the adapter answers nothing itself").isEmpty();
            DataArray commands = DataArray.fromJson(noDms.fake.calls(c -> c.method().equals("PUT")).getFirst().json().getString("__array"));
            assertThat(commands.getObject(0).getArray("contexts").stream(DataArray::getInt)).containsExactly(0);
        }
    }

    @Test
    void thePrivilegedIntentIsRequestedWhenThePortalAllowsIt() throws Exception {
        try (Harness withIntent = Harness.start(new RecordingEngine(), true, Duration.ofMillis(300),
                f -> f.applicationFlags(1 << 18))) {
            assertThat(withIntent.bot.messageContent()).isTrue();
            assertThat(withIntent.fake.identifies().getFirst().getLong("intents") & (1 << 15)).isNotZero();
        }
    }
}
