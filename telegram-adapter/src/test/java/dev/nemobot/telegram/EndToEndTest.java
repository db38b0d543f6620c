package dev.nemobot.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nemobot.config.AccessSettings;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.TestChats;
import dev.nemobot.simulator.RecordedRequest;
import dev.nemobot.simulator.SimulatorConfig;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole bot: the real TelegramBots client against the fake Bot API, the real engine and backend client against
 * nemo-simulator. What a Telegram user would see is read from the calls the fake recorded.
 */
class EndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ANIMATE = "animate this image into a 5-second video with smooth motion";
    private static final FakeBotApi.Person ANNA = new FakeBotApi.Person(1001, "Anna", "en");
    private static final FakeBotApi.Person BO = new FakeBotApi.Person(1003, "Bo", "en");
    private static final FakeBotApi.Person LI = new FakeBotApi.Person(1002, "Li", "zh-hans");
    private static final FakeBotApi.Person KENJI = new FakeBotApi.Person(1004, "Kenji", "ja");
    private static final FakeBotApi.Chat ANNA_DM = new FakeBotApi.Chat(1001);
    private static final FakeBotApi.Chat KENJI_DM = new FakeBotApi.Chat(1004);
    private static final FakeBotApi.Chat BO_DM = new FakeBotApi.Chat(1003);
    private static final FakeBotApi.Chat GROUP = new FakeBotApi.Chat(-100777);

    private static final String COULD_NOT_READ = "I couldn't read";

    @TempDir
    Path tmp;
    private EngineFixture fixture;
    private Harness h;

    private void start(long uploadLimit) {
        fixture = EngineFixture.start();
        h = Harness.start(fixture.engine(), uploadLimit);
    }

    @AfterEach
    void stop() {
        Harness.close(h, fixture, WAIT);
        LogCapture.assertNoTokenLogged();
    }

    @Test
    void aPhotoWithACaptionEndsAsAStreamableMp4InTheChat() {
        start(50_000_000);
        h.api.photo(ANNA, ANNA_DM, ANIMATE, jpeg(320, 200));

        FakeBotApi.Call video = h.api.await("sendVideo", c -> c.param("chat_id").equals("1001"), WAIT);
        byte[] mp4 = videoBytes(video);
        assertThat(new String(mp4, 4, 4, StandardCharsets.US_ASCII)).as("an ftyp box first").isEqualTo("ftyp");
        assertThat(video.param("supports_streaming")).isEqualTo("true");
        assertThat(video.param("caption")).startsWith("Here is your video.").contains(EngineFixture.WEB_URL.toString());
        assertThat(h.api.calls("sendChatAction")).extracting(c -> c.param("action")).contains("typing", "upload_video");
        assertThat(h.api.calls("getFile")).hasSize(1);
        assertThat(h.api.calls("download")).hasSize(1);
        assertThat(uploads()).as("the photo reached the backend").hasSize(1);
        assertThat(fixture.engine().awaitIdle(WAIT)).isTrue();
        noTokenReachedTheBackend();
    }

    @Test
    void inWebhookModeAPhotoDeliveredToTheBotEndsAsAnMp4WithoutAnyPolling() {
        fixture = EngineFixture.start();
        h = Harness.webhook(fixture.engine(), 50_000_000, true);
        int update = h.api.photo(ANNA, ANNA_DM, ANIMATE, jpeg(320, 200));
        assertThat(h.api.pushes()).containsExactly(new FakeBotApi.Push(update, 200));

        FakeBotApi.Call video = h.api.await("sendVideo", c -> c.param("chat_id").equals("1001"), WAIT);
        byte[] mp4 = videoBytes(video);
        assertThat(new String(mp4, 4, 4, StandardCharsets.US_ASCII)).as("an ftyp box first").isEqualTo("ftyp");
        assertThat(video.param("caption")).startsWith("Here is your video.");
        assertThat(uploads()).as("the photo reached the backend").hasSize(1);
        assertThat(fixture.engine().awaitIdle(WAIT)).isTrue();
        assertThat(h.api.setWebhooks()).extracting(FakeBotApi.SetWebhook::secretToken)
                .containsExactly(Harness.WEBHOOK_SECRET);
        assertThat(h.api.calls("getUpdates")).isEmpty();
        assertThat(h.api.calls("deleteWebhook")).isEmpty();
        noTokenReachedTheBackend();
        LogCapture.assertNotLogged(Harness.WEBHOOK_SECRET);
    }

    @Test
    void anImageSentAsADocumentIsUploadedAsTheOriginalFile() {
        start(50_000_000);
        byte[] png = TestChats.pngBytes(200, 120);
        h.api.document(ANNA, ANNA_DM, null, "holiday.png", "image/png", png);

        // "Uploading holiday.png…" at once, edited into the outcome
        FakeBotApi.Call got = h.api.await("editMessageText", c -> c.param("text").startsWith("Got it: holiday.png"),
                WAIT);
        assertThat(got.param("chat_id")).isEqualTo("1001");
        List<RecordedRequest> uploads = uploads();
        assertThat(uploads).hasSize(1);
        assertThat(indexOf(uploads.getFirst().body(), png)).as("the original bytes were uploaded").isNotNegative();
        noTokenReachedTheBackend();
    }

    /**
     * A self-hosted Bot API server started with --local answers getFile with absolute paths on its disk: the bot reads
     * one only from under TELEGRAM_LOCAL_FILES_DIR, links resolved, and a private file elsewhere never reaches the
     * backend.
     */
    @Test
    void onlyAFileUnderTheServersDirectoryIsReadAndAPrivateFileElsewhereNeverReachesTheBackend() throws IOException {
        // the server keeps a bot's files in a folder named by its token, as telegram-bot-api does
        Path root = Files.createDirectories(tmp.resolve("telegram-bot-api"));
        Path documents = Files.createDirectories(root.resolve(FakeBotApi.TOKEN).resolve("documents"));
        byte[] inside = TestChats.pngBytes(200, 120);
        Path insideFile = Files.write(documents.resolve("file_1.png"), inside);
        byte[] secret = TestChats.pngBytes(210, 130);
        Path secretFile = privateFile(Files.createDirectories(tmp.resolve("private")).resolve("secret.png"), secret);
        Path link = Files.createSymbolicLink(documents.resolve("file_2.png"), secretFile);
        Path dotDot = Path.of(documents + "/../../../private/secret.png");

        fixture = EngineFixture.start();
        h = Harness.selfHostedLocal(fixture.engine(), 50_000_000, Optional.of(root));
        int mark = LogCapture.mark();
        FakeBotApi.Person outsider = person(2001);
        FakeBotApi.Person linker = person(2002);
        FakeBotApi.Person climber = person(2003);
        FakeBotApi.Person honest = person(2004);
        h.api.documentOnLocalServer(outsider, chat(outsider), "a.png", secretFile, secret.length);
        h.api.documentOnLocalServer(linker, chat(linker), "b.png", link, secret.length);
        h.api.documentOnLocalServer(climber, chat(climber), "c.png", dotDot, secret.length);
        h.api.documentOnLocalServer(honest, chat(honest), "d.png", insideFile, inside.length);

        // each refused user is told the file could not be read; before: the private file was uploaded for each
        for (FakeBotApi.Person p : List.of(outsider, linker, climber)) {
            awaitTextTo(p, COULD_NOT_READ);
        }
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(uploads().size() == 1)
                        .as(() -> "one upload, got " + uploads().size()).isTrue());
        assertThat(fixture.engine().awaitIdle(WAIT)).isTrue();
        List<RecordedRequest> uploads = uploads();
        assertThat(uploads).singleElement()
                .satisfies(u -> assertThat(indexOf(u.body(), inside)).as("the file inside").isNotNegative());
        for (RecordedRequest r : fixture.simulator().requests()) {
            assertThat(indexOf(r.body(), secret)).as("the private file in a request to %s", r.path()).isNegative();
        }
        assertThat(h.api.calls("download")).isEmpty();
        List<LogCapture.Event> warns = filesWarnsSince(mark);
        assertThat(warns).as("one line per refusal").hasSize(3).allSatisfy(w -> {
            assertThat(w.message()).contains("outside TELEGRAM_LOCAL_FILES_DIR", "refused");
            assertThat(w.throwable()).isFalse();
        });
    }

    @Test
    void withoutTheDirectoryConfiguredNoLocalFileIsRead() throws IOException {
        byte[] secret = TestChats.pngBytes(210, 130);
        Path secretFile = privateFile(tmp.resolve("secret.png"), secret);
        fixture = EngineFixture.start();
        h = Harness.selfHostedLocal(fixture.engine(), 50_000_000, Optional.empty());
        int mark = LogCapture.mark();
        FakeBotApi.Person anna = person(2005);
        h.api.documentOnLocalServer(anna, chat(anna), "a.png", secretFile, secret.length);

        awaitTextTo(anna, COULD_NOT_READ);
        assertThat(fixture.engine().awaitIdle(WAIT)).isTrue();
        assertThat(uploads()).isEmpty();
        assertThat(filesWarnsSince(mark)).singleElement()
                .satisfies(w -> assertThat(w.message()).contains("TELEGRAM_LOCAL_FILES_DIR is not set", "refused"));
    }

    private static Path privateFile(Path path, byte[] bytes) throws IOException {
        Files.write(path, bytes);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        return path;
    }

    private static FakeBotApi.Person person(long id) {
        return new FakeBotApi.Person(id, "User" + id, "en");
    }

    private static FakeBotApi.Chat chat(FakeBotApi.Person p) {
        return new FakeBotApi.Chat(p.id());
    }

    /** Waits until a message sent or edited in {@code p}'s chat contains {@code text}. */
    private void awaitTextTo(FakeBotApi.Person p, String text) {
        String chat = String.valueOf(p.id());
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(h.api.calls("sendMessage").stream().anyMatch(c -> said(c, chat, text))
                        || h.api.calls("editMessageText").stream().anyMatch(c -> said(c, chat, text)))
                            .as(() -> "\"" + text + "\" in chat " + chat + "; calls: " + h.api.summary()).isTrue());
    }

    private static boolean said(FakeBotApi.Call c, String chat, String text) {
        return chat.equals(c.param("chat_id")) && c.param("text") != null && c.param("text").contains(text);
    }

    @Test
    void creditsInAPrivateChatAndInAGroupWhereTheReplyMentionsTheAsker() {
        start(50_000_000);
        h.api.text(ANNA, ANNA_DM, "/credits");
        h.api.text(LI, GROUP, "/credits@" + FakeBotApi.BOT_USERNAME);
        FakeBotApi.Call dm = h.api.await("sendMessage", c -> c.param("chat_id").equals("1001"), WAIT);
        FakeBotApi.Call group = h.api.await("sendMessage", c -> c.param("chat_id").equals("-100777"), WAIT);
        assertThat(dm.param("text")).startsWith("Credits: ");
        assertThat(group.param("text")).startsWith("Li, 积分：");
        assertThat(group.params().get("entities").get(0).get("user").get("id").asLong()).isEqualTo(1002);
        noTokenReachedTheBackend();
    }

    @Test
    void aUserWhoseTelegramIsInJapaneseIsAnsweredInJapanese() {
        start(50_000_000);
        h.api.photo(KENJI, KENJI_DM, ANIMATE, jpeg(320, 200));
        FakeBotApi.Call video = h.api.await("sendVideo", c -> c.param("chat_id").equals("1004"), WAIT);
        assertThat(video.param("caption")).startsWith("動画はこちらです。").contains(EngineFixture.WEB_URL.toString());
        assertThat(fixture.engine().awaitIdle(WAIT)).isTrue();

        long asked = System.nanoTime();
        h.api.text(KENJI, KENJI_DM, "/status");
        FakeBotApi.Call status = h.api.await("sendMessage", c -> c.atNanos() > asked, WAIT);
        assertThat(status.param("text")).startsWith("タイムライン（");
        assertThat(status.param("reply_markup")).as("the buttons too").contains("書き出し");
        h.api.text(KENJI, KENJI_DM, "/credits");
        h.api.await("sendMessage", c -> c.param("text").startsWith("クレジット：利用可能 "), WAIT);
        h.api.photo(KENJI, KENJI_DM, ANIMATE, new byte[] {1}, 25L * 1024 * 1024);
        h.api.await("sendMessage", c -> c.param("text").contains("25.0 MB あり、20 MBを超えています"), WAIT);
        noTokenReachedTheBackend();
    }

    @Test
    void buttonPressesActLikeTheirCommands() {
        start(50_000_000);
        h.api.photo(ANNA, ANNA_DM, ANIMATE, jpeg(320, 200));
        h.api.await("sendVideo", c -> true, WAIT);
        assertThat(fixture.engine().awaitIdle(WAIT)).isTrue();

        long pressed = System.nanoTime();
        h.api.press(ANNA, ANNA_DM, 500, "/status");
        FakeBotApi.Call status = h.api.await("sendMessage", c -> c.atNanos() > pressed, WAIT);
        assertThat(status.param("text")).contains("Timeline");
        h.api.await("answerCallbackQuery", c -> c.param("callback_query_id").equals("cbq-500-1001"), WAIT);
        assertThat(status.param("reply_markup")).as("an Export button").contains("\"callback_data\":\"/export 1001\"");

        h.api.press(ANNA, ANNA_DM, 501, "/export");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(h.api.calls("sendVideo").size() == 2)
                        .as(() -> "a second video; " + h.api.summary()).isTrue());
        noTokenReachedTheBackend();
    }

    /** The texts the bot sent or edited in {@code chat}, in order. */
    private List<String> textsIn(FakeBotApi.Chat chat) {
        return h.api.calls().stream()
                .filter(c -> c.method().equalsIgnoreCase("sendMessage") || c.method().equalsIgnoreCase("editMessageText"))
                .filter(c -> String.valueOf(chat.id()).equals(c.param("chat_id")))
                .map(c -> c.param("text"))
                .toList();
    }

    /** A Telegram photo has no file name: the user is told "your photo", in their language, never an internal id. */
    @Test
    void aPhotoIsAcknowledgedAsYourPhotoInTheUsersLanguageWithoutAnInternalId() {
        start(50_000_000);
        h.api.photo(ANNA, ANNA_DM, null, jpeg(320, 200));
        h.api.photo(KENJI, KENJI_DM, null, jpeg(320, 200));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(textsIn(ANNA_DM).stream().anyMatch(t -> t.startsWith("Got it"))
                        && textsIn(KENJI_DM).size() >= 2).as(() -> "both photos taken; " + h.api.summary()).isTrue());

        assertThat(textsIn(ANNA_DM).getFirst()).isEqualTo("Uploading your photo…");
        assertThat(textsIn(ANNA_DM)).anyMatch(t -> t.startsWith("Got it: your photo is in your project."));
        assertThat(textsIn(KENJI_DM).getFirst()).isEqualTo("写真をアップロード中…");
        assertThat(h.api.calls()).as("no Telegram file id or unique id in anything the bot wrote")
                .noneMatch(c -> c.param("text") != null && c.param("text").matches("(?s).*(uniq\\d|file-id-|photo-).*"));
        assertThat(uploads()).as("uploaded under a name made of its date")
                .allSatisfy(r -> assertThat(new String(r.body(), StandardCharsets.ISO_8859_1))
                        .containsPattern("filename=\"photo-\\d{8}-\\d{6}\\.jpg\"").doesNotContain("uniq"));
    }

    @Test
    void theProgressAndTheVideoCarryButtonsAndAgainMakesANewTake() {
        start(50_000_000);
        h.api.photo(ANNA, ANNA_DM, ANIMATE, jpeg(320, 200));
        FakeBotApi.Call video = h.api.await("sendVideo", c -> true, WAIT);
        assertThat(fixture.engine().awaitIdle(WAIT)).isTrue();
        assertThat(video.param("reply_markup")).as("the quick edits under the video")
                .containsPattern("\"callback_data\":\"/again 1001 [a-z0-9]{12}\".*\"callback_data\":\"/longer 1001 [a-z0-9]{12}\""
                        + ".*\"callback_data\":\"/music 1001 [a-z0-9]{12}\".*\"callback_data\":\"/new 1001\"")
                .contains("\"text\":\"Again\"", "\"text\":\"Add music\"");
        FakeBotApi.Call first = h.api.calls("sendMessage").getFirst();
        assertThat(first.param("text")).as("said at once").startsWith("Uploading ");
        assertThat(first.param("reply_markup")).contains("\"callback_data\":\"/cancel 1001\"");
        assertThat(h.api.calls().stream().filter(c -> c.method().equalsIgnoreCase("sendMessage")
                || c.method().equalsIgnoreCase("editMessageText")))
                .as("the render's progress with Cancel and Status")
                .anyMatch(c -> c.param("text").startsWith("Rendering") && c.param("reply_markup") != null
                        && c.param("reply_markup").contains("/cancel") && c.param("reply_markup").contains("/status"));

        h.api.press(ANNA, ANNA_DM, 600, "/again");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(h.api.calls("sendVideo").size() == 2)
                        .as(() -> "a second take; " + h.api.summary()).isTrue());
        assertThat(turns()).hasSize(2);
        assertThat(new String(turns().get(1).body(), StandardCharsets.UTF_8)).contains("new take").contains(ANIMATE);

        h.api.press(ANNA, ANNA_DM, 601, "/forgotten");
        FakeBotApi.Call notice = h.api.await("answerCallbackQuery",
                c -> c.param("callback_query_id").equals("cbq-601-1001"), WAIT);
        assertThat(notice.param("text")).isEqualTo("This button no longer works: send /help to see what I can do now.");
        noTokenReachedTheBackend();
    }

    @Test
    void aVideoOverTheUploadLimitArrivesAsALink() {
        start(1_000);
        h.api.photo(ANNA, ANNA_DM, ANIMATE, jpeg(320, 200));
        // the link ends the render's progress message, where the video would have been
        FakeBotApi.Call link = h.api.await("editMessageText", c -> c.param("text").contains("too large to send here"),
                WAIT);
        assertThat(link.param("text")).contains("http");
        assertThat(h.api.calls("sendVideo")).isEmpty();
        noTokenReachedTheBackend();
    }

    @Test
    void a25MbPhotoIsRefusedBeforeAnyDownloadAndNeverReachesTheBackend() {
        start(50_000_000);
        h.api.photo(ANNA, ANNA_DM, ANIMATE, new byte[] {1}, 25L * 1024 * 1024);
        h.api.await("sendMessage", c -> c.param("text").contains("over 20 MB"), WAIT);
        h.api.text(ANNA, ANNA_DM, "/credits");
        h.api.await("sendMessage", c -> c.param("text").startsWith("Credits:"), WAIT);
        assertThat(h.api.calls("getFile")).isEmpty();
        assertThat(h.api.calls("download")).isEmpty();
        assertThat(uploads()).isEmpty();
        assertThat(turns()).isEmpty();
    }

    @Test
    void aDeniedUserSendingFiveTooLargeFilesIsNotAnsweredBeyondTheGatesOneNotice() {
        fixture = EngineFixture.start(SimulatorConfig.fast(), s -> s.withAccess(new AccessSettings(Set.of(),
                Set.of("telegram:1003"), Set.of(), Set.of(), Set.of(), Set.of())), b -> b);
        h = Harness.start(fixture.engine(), 50_000_000);
        for (int i = 0; i < 5; i++) {
            h.api.photo(BO, BO_DM, ANIMATE, new byte[] {1}, 25L * 1024 * 1024);
        }
        allHandled();
        List<String> toBo = textsTo("1003");
        assertThat(toBo).as("what the denied user was told").noneMatch(t -> t.contains("over 20 MB"));
        assertThat(toBo).as("only the gate's once-an-hour notice").hasSize(1)
                .allMatch(t -> t.contains("isn't available here"));
    }

    @Test
    void aRateLimitedUserSendingTooLargeFilesGetsAtMostTheRateLimitNotice() {
        fixture = EngineFixture.start(SimulatorConfig.fast(), s -> s.withLimits(s.limits().withMessagesPerMinute(1)),
                b -> b);
        h = Harness.start(fixture.engine(), 50_000_000);
        for (int i = 0; i < 5; i++) {
            h.api.photo(BO, BO_DM, ANIMATE, new byte[] {1}, 25L * 1024 * 1024);
        }
        allHandled();
        List<String> toBo = textsTo("1003");
        assertThat(toBo).as("the first file's refusal, then one notice").hasSize(2);
        assertThat(toBo.stream().filter(t -> t.contains("over 20 MB"))).hasSize(1);
        assertThat(toBo.stream().filter(t -> t.contains("a little fast"))).hasSize(1);
    }

    /** Waits until everything sent before was handled: another user's message answered, the engine idle. */
    private void allHandled() {
        h.api.text(ANNA, ANNA_DM, "/help");
        h.api.await("sendMessage", c -> c.param("chat_id").equals("1001"), WAIT);
        assertThat(fixture.engine().awaitIdle(WAIT)).isTrue();
    }

    private List<String> textsTo(String chatId) {
        return h.api.calls("sendMessage").stream().filter(c -> c.param("chat_id").equals(chatId))
                .map(c -> c.param("text")).toList();
    }

    @Test
    void floodLimitsOnRepliesAndOnTheVideoAreWaitedOut() {
        start(50_000_000);
        h.api.failNext("sendVideo", 1, new FakeBotApi.Failure.TooManyRequests(1));
        h.api.failNext("sendMessage", 1, new FakeBotApi.Failure.TooManyRequests(1));
        h.api.photo(ANNA, ANNA_DM, ANIMATE, jpeg(320, 200));
        h.api.await("sendVideo", c -> c.parts().containsKey(c.param("video").replace("attach://", ""))
                && h.api.calls("sendVideo").size() == 2, WAIT);
        assertThat(h.sleeps()).contains(Duration.ofSeconds(1));
        assertThat(h.api.calls("sendMessage")).as("the refused message was sent again").hasSizeGreaterThan(1);
    }

    @Test
    void twoUsersAtOnceEachGetTheirOwnVideo() {
        start(50_000_000);
        h.api.photo(ANNA, ANNA_DM, ANIMATE, jpeg(320, 200));
        h.api.photo(BO, BO_DM, ANIMATE, jpeg(300, 180));
        h.api.await("sendVideo", c -> c.param("chat_id").equals("1001"), WAIT);
        h.api.await("sendVideo", c -> c.param("chat_id").equals("1003"), WAIT);
        assertThat(fixture.engine().awaitIdle(WAIT)).isTrue();
        List<String> clientIds = fixture.simulator().requests().stream()
                .filter(r -> r.path().equals("/api/auth/anonymous-token"))
                .map(r -> r.header("X-Client-Id").orElseThrow()).toList();
        assertThat(clientIds).hasSize(2).doesNotHaveDuplicates();
        assertThat(turns()).hasSize(2);
        noTokenReachedTheBackend();
    }

    // ---------------------------------------------------------------- helpers

    private void noTokenReachedTheBackend() {
        List<RecordedRequest> all = fixture.simulator().requests();
        assertThat(all).isNotEmpty();
        String secret = FakeBotApi.TOKEN;
        String tokenPart = secret.substring(secret.indexOf(':') + 1);
        for (RecordedRequest r : all) {
            String everything = r.method() + " " + r.path() + "?" + r.query() + " " + headers(r.headers()) + " "
                    + new String(r.body(), StandardCharsets.ISO_8859_1);
            assertThat(everything).as("request to %s", r.path()).doesNotContain(secret).doesNotContain(tokenPart)
                    .doesNotContain("/file/bot");
        }
    }

    private static String headers(Map<String, List<String>> h) {
        return h.toString();
    }

    private List<LogCapture.Event> filesWarnsSince(int mark) {
        return LogCapture.eventsSince(mark).stream()
                .filter(e -> e.level().equals("WARN") && e.logger().endsWith("TelegramFiles")).toList();
    }

    private List<RecordedRequest> uploads() {
        return fixture.simulator().requests().stream().filter(r -> r.path().startsWith("/api/upload-video/")).toList();
    }

    private List<RecordedRequest> turns() {
        return fixture.simulator().requests().stream().filter(r -> r.path().equals("/run_sse")).toList();
    }

    private static byte[] videoBytes(FakeBotApi.Call video) {
        return video.parts().get(video.param("video").substring("attach://".length())).bytes();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** A real JPEG, as Telegram stores photos. */
    static byte[] jpeg(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(0x3A7BD5), w, h, new Color(0xF7B733)));
        g.fillRect(0, 0, w, h);
        g.dispose();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "jpg", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
