package dev.nemobot.telegram;

import static dev.nemobot.telegram.Harness.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Activity;
import dev.nemobot.core.chat.ChatPlatform;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.MessageRef;
import dev.nemobot.core.chat.ReplyTo;
import dev.nemobot.core.chat.VideoRejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's outbound port, as the real TelegramBots client sends it to a fake Bot API. */
class PlatformTest {
    private static final long LIMIT = 100_000;
    private static final Conversation DM = new Conversation("telegram", "1001", false);
    private static final Conversation GROUP = new Conversation("telegram", "-100777", true);
    private static final ChatUser ANNA = new ChatUser("telegram", "1001", "Anna", Locale.ENGLISH);
    private static final ChatUser LI = new ChatUser("telegram", "1002", "Li", Locale.forLanguageTag("zh-CN"));

    @TempDir
    Path dir;
    private final RecordingEngine engine = new RecordingEngine();
    private Harness h;
    private ChatPlatform telegram;

    @BeforeEach
    void start() {
        h = Harness.start(engine, LIMIT);
        telegram = engine.platform();
    }

    @AfterEach
    void stop() {
        h.close();
        LogCapture.assertNoTokenLogged();
    }

    @Test
    void identifiesItselfWithTheConfiguredUploadLimit() {
        assertThat(telegram.name()).isEqualTo("telegram");
        assertThat(telegram.uploadLimitBytes(DM)).isEqualTo(LIMIT);
    }

    @Test
    void plainTextWithButtonsWhoseCallbackDataIsTheCommandAndItsOwner() {
        MessageRef ref = telegram.send(DM, LI, "完成了", List.of(Action.EXPORT, Action.STATUS, Action.NEW, Action.CANCEL));
        FakeBotApi.Call call = h.api.calls("sendMessage").getFirst();
        assertThat(ref).isEqualTo(new MessageRef(DM, "100")); // the fake numbers messages from 100
        assertThat(call.param("text")).isEqualTo("完成了");
        assertThat(call.params().has("parse_mode")).isFalse();
        JsonNode row = call.params().get("reply_markup").get("inline_keyboard").get(0);
        assertThat(row).hasSize(4);
        assertThat(row.get(0).get("text").asText()).isEqualTo("导出");
        // a button belongs to the person who asked
        assertThat(row.findValuesAsText("callback_data")).containsExactly("/export " + LI.id(), "/status " + LI.id(),
                "/new " + LI.id(), "/cancel " + LI.id());
        assertThat(row.findValuesAsText("callback_data"))
                .allSatisfy(d -> assertThat(d.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64));
    }

    @Test
    void longTextIsSplitAt4096WithButtonsOnTheLastPart() {
        String para = "word ".repeat(700).strip() + "\n";
        String text = para.repeat(3); // about 10,500 characters
        MessageRef ref = telegram.send(DM, ANNA, text, List.of(Action.EXPORT));
        List<FakeBotApi.Call> parts = h.api.calls("sendMessage");
        assertThat(parts).hasSizeGreaterThanOrEqualTo(3);
        assertThat(parts).allSatisfy(p -> assertThat(p.param("text").length()).isLessThanOrEqualTo(4096));
        assertThat(String.join(" ", parts.stream().map(p -> p.param("text")).toList()).replaceAll("\\s+", " "))
                .isEqualTo(text.replaceAll("\\s+", " ").strip());
        assertThat(parts.subList(0, parts.size() - 1)).allSatisfy(p -> assertThat(p.params().has("reply_markup")).isFalse());
        assertThat(parts.getLast().params().has("reply_markup")).isTrue();
        assertThat(ref.id()).isEqualTo("100"); // the first part's message_id, as the fake numbers them
    }

    @Test
    void inAGroupTheRecipientIsMentionedAlsoAfterAnEdit() {
        MessageRef ref = telegram.send(GROUP, ANNA, "working on it", List.of());
        FakeBotApi.Call sent = h.api.calls("sendMessage").getFirst();
        assertThat(sent.param("text")).isEqualTo("Anna, working on it");
        JsonNode mention = sent.params().get("entities").get(0);
        assertThat(mention.get("type").asText()).isEqualTo("text_mention");
        assertThat(mention.get("length").asInt()).isEqualTo(4);
        assertThat(mention.get("user").get("id").asLong()).isEqualTo(1001);

        telegram.edit(ref, "done", List.of(Action.EXPORT));
        FakeBotApi.Call edit = h.api.calls("editMessageText").getFirst();
        assertThat(edit.param("text")).isEqualTo("Anna, done");
        assertThat(edit.param("chat_id")).isEqualTo("-100777");
        assertThat(edit.param("message_id")).isEqualTo(ref.id());
        assertThat(edit.params().get("entities").get(0).get("type").asText()).isEqualTo("text_mention");
        assertThat(edit.params().get("reply_markup").toString()).contains("/export");
    }

    @Test
    void editsInOneChatAreAtLeastTheIntervalApartAndUnchangedTextIsNoError() {
        MessageRef ref = telegram.send(DM, ANNA, "10%", List.of());
        telegram.edit(ref, "20%", List.of());
        telegram.edit(ref, "30%", List.of());
        h.api.failNext("editMessageText", 1, new FakeBotApi.Failure.Refused(400,
                "Bad Request: message is not modified: specified new message content and reply markup are exactly the same"));
        telegram.edit(ref, "30%", List.of());
        List<FakeBotApi.Call> edits = h.api.calls("editMessageText");
        assertThat(edits).hasSize(3);
        long gap = edits.get(2).atNanos() - edits.get(1).atNanos();
        assertThat(Duration.ofNanos(gap)).isGreaterThanOrEqualTo(Harness.EDIT_INTERVAL.minusMillis(20));
    }

    @Test
    void activityIsAChatAction() {
        telegram.showActivity(DM, Activity.TYPING);
        telegram.showActivity(GROUP, Activity.UPLOADING_VIDEO);
        assertThat(h.api.calls("sendChatAction")).extracting(c -> c.param("action"))
                .containsExactly("typing", "upload_video");
    }

    @Test
    void aVideoIsUploadedAsMultipartWithStreamingAndButtons() throws IOException {
        byte[] mp4 = fakeMp4(50_000);
        Path file = Files.write(dir.resolve("out.mp4"), mp4);
        MessageRef ref = telegram.sendVideo(DM, ANNA, file, "Your video is ready", List.of(Action.NEW));
        FakeBotApi.Call call = h.api.calls("sendVideo").getFirst();
        assertThat(call.param("supports_streaming")).isEqualTo("true");
        assertThat(call.param("caption")).isEqualTo("Your video is ready");
        assertThat(call.param("video")).startsWith("attach://");
        FakeBotApi.Part part = call.parts().get(call.param("video").substring("attach://".length()));
        assertThat(part.filename()).isEqualTo("video.mp4");
        assertThat(part.bytes()).isEqualTo(mp4);
        assertThat(call.param("reply_markup")).contains("/new");
        assertThat(ref.conversation()).isEqualTo(DM);
    }

    @Test
    void aProgressMessageGivesWayToItsVideoQuotingTheRequestAndIsDeleted() throws IOException {
        Path file = Files.write(dir.resolve("out.mp4"), fakeMp4(5_000));
        ReplyTo request = new ReplyTo(GROUP, "42");
        MessageRef progress = telegram.send(request, ANNA, "Rendering your clip…", List.of(Action.CANCEL));
        telegram.progress(progress, "Rendering… 90%", List.of(Action.CANCEL));

        MessageRef video = telegram.finishWithVideo(progress, "Video ready!", request, ANNA, file, "Here is your video",
                List.of(Action.AGAIN, Action.NEW), Optional.empty());

        assertThat(video).isNotEqualTo(progress);
        FakeBotApi.Call sent = h.api.calls("sendVideo").getFirst();
        assertThat(sent.param("caption")).isEqualTo("Anna, Here is your video");
        assertThat(sent.param("reply_parameters")).contains("\"message_id\":42");
        assertThat(sent.param("reply_markup")).contains("/again").contains("/new");
        FakeBotApi.Call deleted = h.api.calls("deleteMessage").getFirst();
        assertThat(deleted.param("message_id")).isEqualTo(progress.id());
        assertThat(deleted.atNanos()).isGreaterThan(sent.atNanos());
        assertThat(h.api.calls("editMessageText")).as("the waiting percentage landed before the video or never")
                .allSatisfy(e -> assertThat(e.atNanos()).isLessThan(sent.atNanos()))
                .noneMatch(e -> e.param("text").contains("Video ready!"));
    }

    @Test
    void aProgressMessageTelegramWillNotDeleteIsFoldedAndOneForARefusedVideoStaysForTheLink() throws IOException {
        Path file = Files.write(dir.resolve("out.mp4"), fakeMp4(5_000));
        MessageRef progress = telegram.send(GROUP, ANNA, "Rendering your clip…", List.of(Action.CANCEL));
        h.api.failNext("deleteMessage", 1, new FakeBotApi.Failure.Refused(400, "Bad Request: message can't be deleted"));

        telegram.finishWithVideo(progress, "Video ready!", ReplyTo.conversation(GROUP), ANNA, file, "Here is your video",
                List.of(Action.NEW), Optional.empty());

        assertThat(h.api.calls("editMessageText")).singleElement().satisfies(e -> {
            assertThat(e.param("message_id")).isEqualTo(progress.id());
            assertThat(e.param("text")).isEqualTo("Anna, Video ready!");
            assertThat(e.params().path("reply_markup").path("inline_keyboard")).as("no buttons left").isEmpty();
        });

        Path big = Files.write(dir.resolve("big.mp4"), fakeMp4((int) LIMIT + 1));
        MessageRef other = telegram.send(GROUP, ANNA, "Rendering your clip…", List.of(Action.CANCEL));
        assertThatThrownBy(() -> telegram.finishWithVideo(other, "Video ready!", ReplyTo.conversation(GROUP), ANNA, big,
                "Here is your video", List.of(), Optional.empty())).isInstanceOf(VideoRejectedException.class);
        assertThat(h.api.calls("deleteMessage")).noneMatch(d -> d.param("message_id").equals(other.id()));
    }

    @Test
    void aVideoOverTheLimitIsRejectedWithoutAnUpload() throws IOException {
        Path file = Files.write(dir.resolve("big.mp4"), fakeMp4((int) LIMIT + 1));
        assertThatThrownBy(() -> telegram.sendVideo(DM, ANNA, file, "ready", List.of()))
                .isInstanceOf(VideoRejectedException.class).hasMessageContaining("limit");
        assertThat(h.api.calls("sendVideo")).isEmpty();
    }

    @Test
    void aFailedUploadIsRejectedOnceSoTheEngineSendsTheLink() throws IOException {
        Path file = Files.write(dir.resolve("out.mp4"), fakeMp4(2_000));
        // a server error answered after the upload: the server may have posted it, so it is not sent again
        // (SelfHostedUploadTest has the other failures after the body went out)
        h.api.failNext("sendVideo", 1, new FakeBotApi.Failure.ServerError());
        assertThatThrownBy(() -> telegram.sendVideo(DM, ANNA, file, "ready", List.of()))
                .isInstanceOf(VideoRejectedException.class);
        assertThat(h.api.calls("sendVideo")).hasSize(1);

        h.api.failNext("sendVideo", 1, new FakeBotApi.Failure.Refused(413, "Request Entity Too Large"));
        assertThatThrownBy(() -> telegram.sendVideo(DM, ANNA, file, "ready", List.of()))
                .isInstanceOf(VideoRejectedException.class);
        assertThat(h.api.calls("sendVideo")).hasSize(2);
    }

    @Test
    void aLongCaptionContinuesInAMessageThatCarriesTheButtons() throws IOException {
        Path file = Files.write(dir.resolve("out.mp4"), fakeMp4(2_000));
        String caption = "Your video is ready. " + "Details follow here. ".repeat(80);
        telegram.sendVideo(DM, ANNA, file, caption, List.of(Action.EXPORT));
        FakeBotApi.Call video = h.api.calls("sendVideo").getFirst();
        assertThat(video.param("caption").length()).isLessThanOrEqualTo(1024);
        assertThat(video.params().has("reply_markup")).isFalse();
        FakeBotApi.Call rest = h.api.calls("sendMessage").getFirst();
        assertThat(rest.params().get("reply_markup").toString()).contains("/export");
        assertThat((video.param("caption") + " " + rest.param("text")).replaceAll("\\s+", " "))
                .isEqualTo(caption.strip().replaceAll("\\s+", " "));
    }

    @Test
    void floodLimitsAreWaitedOutWithinTheCap() {
        h.api.failNext("sendMessage", 1, new FakeBotApi.Failure.TooManyRequests(1));
        telegram.send(DM, ANNA, "after the wait", List.of());
        assertThat(h.api.calls("sendMessage")).hasSize(2);
        assertThat(h.sleeps()).contains(Duration.ofSeconds(1));

        h.api.failNext("sendMessage", 1, new FakeBotApi.Failure.TooManyRequests(600));
        assertThatThrownBy(() -> telegram.send(DM, ANNA, "too long a wait", List.of()))
                .isInstanceOf(BotApiException.FloodWait.class).hasMessageContaining("600");
        assertThat(h.sleeps()).doesNotContain(Duration.ofSeconds(600));
    }

    @Test
    void aFloodLimitOnAVideoIsWaitedOutToo() throws IOException {
        Path file = Files.write(dir.resolve("out.mp4"), fakeMp4(2_000));
        h.api.failNext("sendVideo", 1, new FakeBotApi.Failure.TooManyRequests(1));
        telegram.sendVideo(DM, ANNA, file, "ready", List.of());
        assertThat(h.api.calls("sendVideo")).hasSize(2);
        assertThat(h.sleeps()).contains(Duration.ofSeconds(1));
    }

    @Test
    void startWithAWrongTokenFailsWithoutShowingIt() {
        try (FakeBotApi other = new FakeBotApi()) {
            var settings = new dev.nemobot.config.TelegramSettings(dev.nemobot.config.Secret.of("999:wrong-token-xyz"),
                    java.net.URI.create(other.url()), LIMIT);
            assertThatThrownBy(() -> TelegramBot.start(settings, new RecordingEngine()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("TELEGRAM_BOT_TOKEN")
                    .hasMessageNotContaining("wrong-token");
        }
    }

    /** Bytes that start like an MP4 (an ftyp box), enough for a transport test. */
    static byte[] fakeMp4(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        byte[] head = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'};
        System.arraycopy(head, 0, b, 0, head.length);
        return b;
    }
}
