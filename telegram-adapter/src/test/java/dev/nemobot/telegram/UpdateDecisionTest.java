package dev.nemobot.telegram;

import static dev.nemobot.telegram.Harness.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nemobot.core.chat.Attachment;
import dev.nemobot.core.chat.Incoming;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Updates from a fake Bot API, through the real TelegramBots poller, into the engine's inbox. */
class UpdateDecisionTest {
    private static final FakeBotApi.Person ANNA = new FakeBotApi.Person(1001, "Anna", "en");
    private static final FakeBotApi.Person LI = new FakeBotApi.Person(1002, "Li", "zh-hans");
    private static final FakeBotApi.Chat ANNA_DM = new FakeBotApi.Chat(1001);
    private static final FakeBotApi.Chat GROUP = new FakeBotApi.Chat(-100777);

    private final RecordingEngine engine = new RecordingEngine();
    private Harness h;

    @BeforeEach
    void start() {
        h = Harness.start(engine, 50_000_000);
    }

    @AfterEach
    void stop() {
        h.close();
        LogCapture.assertNoTokenLogged();
    }

    @Test
    void startChecksTheTokenRegistersCommandsInEveryLanguageAndPolls() {
        assertThat(h.bot.username()).isEqualTo(FakeBotApi.BOT_USERNAME);
        assertThat(h.api.calls("getMe")).hasSize(1);
        assertThat(h.api.calls("deleteWebhook")).as("a webhook left from webhook mode would refuse getUpdates").hasSize(1);
        assertThat(h.api.setWebhooks()).isEmpty();
        List<FakeBotApi.Call> menus = h.api.calls("setMyCommands");
        assertThat(menus).hasSize(9);
        assertThat(menus.get(0).params().get("commands").toString())
                .contains("\"start\"", "\"help\"", "\"credits\"", "\"status\"", "\"export\"", "\"new\"", "\"cancel\"")
                .contains("Your credit balance")
                .as("the buttons under a video, typed").contains("\"again\"", "\"longer\"", "\"music\"")
                .contains("Another take of your last video", "Add background music to your last video")
                .as("the default video options").contains("\"settings\"", "Your default video options")
                .as("what the bot keeps, erased").contains("\"forget\"", "Erase everything I keep about you");
        assertThat(menus.get(0).params().has("language_code")).as("English is everyone else's menu").isFalse();
        assertThat(menus.subList(1, 9)).extracting(c -> c.param("language_code"))
                .containsExactly("zh", "ja", "ko", "es", "pt", "ru", "de", "fr");
        assertThat(menus.get(1).params().get("commands").toString()).contains("查看积分余额", "为上一个视频再生成一版");
        assertThat(menus.get(2).params().get("commands").toString()).contains("\"credits\"", "クレジット残高")
                .contains("既定の動画オプション");
        FakeBotApi.Call poll = h.api.await("getUpdates", c -> true, WAIT);
        assertThat(poll.params().get("allowed_updates").toString()).contains("message", "callback_query");
        assertThat(poll.params().get("timeout").asInt()).isEqualTo(1);
    }

    @Test
    void privateTextArrivesOnThePollingThreadWithUserLanguageAndUpdateId() {
        int update = h.api.text(ANNA, ANNA_DM, "animate this image into a 5-second video");
        Incoming m = engine.await(i -> true, WAIT);
        // the chat and Telegram's message id, not the update id (update ids start over)
        assertThat(m.messageId()).isEqualTo("message:1001:" + h.api.messageIdOf(update));
        assertThat(m.text()).isEqualTo("animate this image into a 5-second video");
        assertThat(m.user().platform()).isEqualTo("telegram");
        assertThat(m.user().id()).isEqualTo("1001");
        assertThat(m.user().displayName()).isEqualTo("Anna");
        assertThat(m.user().locale()).isEqualTo(Locale.ENGLISH);
        assertThat(m.conversation().id()).isEqualTo("1001");
        assertThat(m.conversation().group()).isFalse();
        assertThat(m.attachments()).isEmpty();
        assertThat(engine.threads()).containsOnly("telegram-poll");
    }

    @Test
    void keywordsInChineseAndEnglishPassThroughAsText() {
        h.api.text(LI, new FakeBotApi.Chat(1002), "导出");
        h.api.text(ANNA, ANNA_DM, "what's my balance?");
        assertThat(engine.await(i -> i.text().equals("导出"), WAIT).user().locale().getLanguage()).isEqualTo("zh");
        engine.await(i -> i.text().equals("what's my balance?"), WAIT);
    }

    @Test
    void commandsWithThisBotsSuffixAreNormalised() {
        h.api.text(ANNA, ANNA_DM, "/credits@" + FakeBotApi.BOT_USERNAME);
        h.api.text(ANNA, ANNA_DM, "/Export@Nemo_Test_Bot 1080p please");
        h.api.text(ANNA, ANNA_DM, "/start");
        engine.await(i -> i.text().equals("/start"), WAIT);
        assertThat(engine.received()).extracting(Incoming::text)
                .containsExactly("/credits", "/export 1080p please", "/start");
    }

    @Test
    void inAGroupOnlyCommandsMentionsAndRepliesToTheBotArrive() {
        h.api.text(ANNA, GROUP, "hello everyone");
        h.api.text(ANNA, GROUP, "/credits@some_other_bot");
        h.api.text(ANNA, GROUP, "/weather");
        h.api.photo(ANNA, GROUP, "nice holiday", new byte[] {9, 9, 9});
        h.api.text(ANNA, GROUP, "/credits");
        h.api.text(LI, GROUP, "@" + FakeBotApi.BOT_USERNAME + " animate this");
        h.api.replyToBot(ANNA, GROUP, 42, "make it slower");
        h.api.photo(LI, GROUP, "@" + FakeBotApi.BOT_USERNAME + " make it move", new byte[] {1, 2, 3, 4, 5});
        h.api.text(ANNA, GROUP, "/status@" + FakeBotApi.BOT_USERNAME);
        engine.await(i -> i.text().equals("/status"), WAIT);

        List<Incoming> got = engine.received();
        assertThat(got).extracting(Incoming::text)
                .containsExactly("/credits", "animate this", "make it slower", "make it move", "/status");
        assertThat(got).allSatisfy(i -> {
            assertThat(i.conversation().group()).isTrue();
            assertThat(i.conversation().id()).isEqualTo("-100777");
        });
        assertThat(got.get(1).user().id()).isEqualTo("1002");
        assertThat(got.get(2).user().id()).isEqualTo("1001");
        assertThat(got.get(1).user().key()).isNotEqualTo(got.get(2).user().key());
        assertThat(got.get(3).attachments()).hasSize(1);
    }

    @Test
    void aPhotoIsTheLargestSizeDownloadedFromTheConfiguredServer() throws IOException {
        byte[] jpeg = randomBytes(40_000);
        h.api.photo(ANNA, ANNA_DM, "animate this", jpeg);
        Incoming m = engine.await(i -> !i.attachments().isEmpty(), WAIT);
        assertThat(m.text()).isEqualTo("animate this");
        Attachment a = m.attachments().getFirst();
        assertThat(a.contentType()).isEqualTo("image/jpeg");
        assertThat(a.size()).isEqualTo(jpeg.length);
        assertThat(a.name()).as("named by its date, not Telegram's file id").matches("photo-\\d{8}-\\d{6}\\.jpg");
        assertThat(a.unnamedPhoto()).isTrue();
        assertThat(h.api.calls("getFile")).isEmpty(); // nothing is fetched until the engine opens it

        try (InputStream in = a.source().open()) {
            assertThat(in.readAllBytes()).isEqualTo(jpeg);
        }
        assertThat(h.api.calls("download")).singleElement()
                .satisfies(c -> assertThat(c.path()).startsWith("/file/bot" + FakeBotApi.TOKEN + "/photos/"));
        assertThat(a.toString()).doesNotContain(FakeBotApi.TOKEN);
    }

    @Test
    void anImageSentAsADocumentKeepsItsBytesNameAndType() throws IOException {
        byte[] png = randomBytes(12_345);
        h.api.document(ANNA, ANNA_DM, null, "../../holiday photo.png", "image/png", png);
        Incoming m = engine.await(i -> !i.attachments().isEmpty(), WAIT);
        Attachment a = m.attachments().getFirst();
        assertThat(a.name()).isEqualTo("holiday photo.png");
        assertThat(a.contentType()).isEqualTo("image/png");
        assertThat(a.size()).isEqualTo(png.length);
        assertThat(m.text()).isEmpty();
        try (InputStream in = a.source().open()) {
            assertThat(in.readAllBytes()).isEqualTo(png);
        }
    }

    @Test
    void aSelfHostedLocalServersAbsolutePathIsReadFromItsDirectory(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        h.close();
        h = Harness.selfHostedLocal(engine, 50_000_000, java.util.Optional.of(dir));
        byte[] png = randomBytes(3_000);
        java.nio.file.Path local = java.nio.file.Files.write(dir.resolve("file_9.png"), png);
        h.api.documentOnLocalServer(ANNA, ANNA_DM, "local.png", local, png.length);
        Attachment a = engine.await(i -> !i.attachments().isEmpty(), WAIT).attachments().getFirst();
        try (InputStream in = a.source().open()) {
            assertThat(in.readAllBytes()).isEqualTo(png);
        }
        assertThat(h.api.calls("getFile")).hasSize(1);
        assertThat(h.api.calls("download")).isEmpty();
    }

    @Test
    void aPhotoOver20MbIsRefusedInTheUsersLanguageBeforeAnyDownload() {
        h.api.photo(ANNA, ANNA_DM, "animate this", new byte[] {1}, 25L * 1024 * 1024);
        h.api.photo(LI, new FakeBotApi.Chat(1002), null, new byte[] {1}, 25L * 1024 * 1024);
        // handed to the engine as a refusal: it answers after its access and rate checks, like every answer
        Incoming en = engine.await(i -> i.user().id().equals("1001"), WAIT);
        Incoming zh = engine.await(i -> i.user().id().equals("1002"), WAIT);
        assertThat(en.refusal()).get().asString().contains("25.0 MB", "over 20 MB");
        assertThat(zh.refusal()).get().asString().contains("25.0 MB", "超过了 20 MB");
        assertThat(en.attachments()).isEmpty();
        assertThat(en.text()).isEqualTo("animate this");
        assertThat(h.api.calls("getFile")).isEmpty();
        assertThat(h.api.calls("download")).isEmpty();
        assertThat(h.api.calls("sendMessage")).as("the adapter answers nothing itself").isEmpty();
    }

    @Test
    void aButtonPressBecomesItsCommandAndIsAnswered() {
        h.api.press(LI, GROUP, 77, "/export 1002");
        Incoming m = engine.await(i -> true, WAIT);
        assertThat(m.text()).isEqualTo("/export");
        assertThat(m.refusal()).isEmpty();
        assertThat(m.user().id()).isEqualTo("1002");
        assertThat(m.conversation().group()).isTrue();
        h.api.await("answerCallbackQuery", c -> c.param("callback_query_id").equals("cbq-77-1002"), WAIT);
    }

    @Test
    void aQuickEditPressCarriesItsResultIdToTheEngineAndOtherDataAfterACommandDoesNot() {
        h.api.press(ANNA, ANNA_DM, 78, "/again 1001 k3x9m2p7q4rt");
        Incoming again = engine.await(i -> i.messageId().equals("press:cbq-78-1001"), WAIT);
        assertThat(again.refusal()).isEmpty();
        assertThat(again.text()).isEqualTo("/again k3x9m2p7q4rt");
        // a result id where no button carries one, one that is not an id, or one without its owner: stale
        List<String> stale = List.of("/export 1001 k3x9m2p7q4rt", "/again 1001 ../../etc", "/again k3x9m2p7q4rt");
        for (int n = 0; n < stale.size(); n++) {
            String key = "press:cbq-" + (80 + n) + "-1001";
            h.api.press(ANNA, ANNA_DM, 80 + n, stale.get(n));
            assertThat(engine.await(i -> i.messageId().equals(key), WAIT).refusal()).as(stale.get(n))
                    .contains(TelegramTexts.staleButton(java.util.Locale.ENGLISH));
        }
        for (String query : List.of("cbq-78-1001", "cbq-80-1001", "cbq-81-1001", "cbq-82-1001")) {
            h.api.await("answerCallbackQuery", c -> c.param("callback_query_id").equals(query), WAIT);
        }
    }

    @Test
    void someoneElsesButtonAndStaleDataAreHandedOnAsRefusalsForTheEngineToSayPrivately() {
        // a press is known to the engine by its callback query id (UpdateKey)
        h.api.press(ANNA, GROUP, 78, "/export 1002"); // Li's button
        String lis = "press:cbq-78-" + ANNA.id();
        // an older version's button: whose it is, is unknown in a group
        h.api.press(ANNA, GROUP, 79, "/export");
        String older = "press:cbq-79-" + ANNA.id();
        h.api.press(ANNA, ANNA_DM, 5, "something-old");
        String unknown = "press:cbq-5-" + ANNA.id();
        // in a private chat, the one person there is its owner
        h.api.press(ANNA, ANNA_DM, 6, "/export");
        String olderInPrivate = "press:cbq-6-" + ANNA.id();
        Incoming notYours = engine.await(i -> i.messageId().equals(lis), WAIT);
        assertThat(notYours.refusal()).contains(TelegramTexts.notYours(java.util.Locale.ENGLISH));
        assertThat(engine.await(i -> i.messageId().equals(older), WAIT).refusal())
                .contains(TelegramTexts.staleButton(java.util.Locale.ENGLISH));
        assertThat(engine.await(i -> i.messageId().equals(unknown), WAIT).refusal())
                .contains(TelegramTexts.staleButton(java.util.Locale.ENGLISH));
        Incoming old = engine.await(i -> i.messageId().equals(olderInPrivate), WAIT);
        assertThat(old.refusal()).isEmpty();
        assertThat(old.text()).isEqualTo("/export");
        for (String query : List.of("cbq-78-1001", "cbq-79-1001", "cbq-5-1001", "cbq-6-1001")) {
            h.api.await("answerCallbackQuery", c -> c.param("callback_query_id").equals(query), WAIT);
        }
    }

    @Test
    void theSameUpdateIsHandledOnce() {
        int id = h.api.duplicated(ANNA, ANNA_DM, "only once");
        h.api.text(ANNA, ANNA_DM, "next");
        engine.await(i -> i.text().equals("next"), WAIT);
        assertThat(engine.received()).extracting(Incoming::messageId).containsExactly(
                "message:1001:" + h.api.messageIdOf(id), "message:1001:" + h.api.messageIdOf(id + 1));
    }

    @Test
    void pollingBacksOffAfterServerErrorsAndGoesOnAndTheHealthCheckSeesIt() {
        assertThat(engine.platform().connected()).isTrue();
        h.api.failNext("getUpdates", 2, new FakeBotApi.Failure.ServerError());
        await("the platform to say it is not receiving").atMost(WAIT).until(() -> !engine.platform().connected());
        h.api.text(ANNA, ANNA_DM, "still there?");
        engine.await(i -> i.text().equals("still there?"), WAIT);
        List<FakeBotApi.Call> polls = h.api.calls("getUpdates");
        assertThat(polls.size()).isGreaterThanOrEqualTo(3);
        assertThat(engine.platform().connected()).as("receiving again").isTrue();
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
