package dev.nemobot.core;

import static dev.nemobot.core.testing.TestChats.bytes;
import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.config.LimitSettings;
import dev.nemobot.core.chat.Attachment;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.RecordingPlatform;
import dev.nemobot.core.testing.TestChats;
import dev.nemobot.simulator.RecordedRequest;
import dev.nemobot.simulator.SimulatorConfig;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Files, captions and commands that are not what they claim, through the real engine against the simulator. */
class BadInputTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String ANIMATE = ConversationFlowTest.ANIMATE;
    private final ChatUser ann = user("telegram", "1", Locale.ENGLISH);
    private final ChatUser li = user("telegram", "2", Locale.SIMPLIFIED_CHINESE);

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] jpegBytes() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB), "jpg", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<RecordedRequest> uploads(EngineFixture f) {
        return Checks.requests(f.simulator(), "POST", "/api/upload-video");
    }

    /** The file name the multipart upload carried. */
    static String uploadedName(RecordedRequest r) {
        String body = r.bodyText();
        int at = body.indexOf("filename=\"");
        return body.substring(at + 10, body.indexOf('"', at + 10));
    }

    /** The multipart part's header lines (before the file's bytes). */
    static String partHeader(RecordedRequest r) {
        String body = r.bodyText();
        return body.substring(0, body.indexOf("\r\n\r\n"));
    }

    @Test
    void aPdfNamedPhotoJpgIsRefusedByItsBytesInTheUsersLanguageAndNeverUploaded() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            byte[] pdf = ascii("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj << /Type /Catalog >>");
            in.accept(file(ann, ANIMATE, bytes("photo.jpg", "image/jpeg", pdf, pdf.length)));
            var en = p.awaitText(t -> t.contains("photo.jpg") && !t.startsWith("Uploading"), WAIT);
            assertThat(en.shownText()).contains("PDF").contains("jpg, png, gif, webp").contains("20 MB")
                    .contains("Please send");
            in.accept(file(li, "把这张图片做成视频", bytes("照片.jpg", "image/jpeg", pdf, pdf.length)));
            var zh = p.awaitText(t -> t.contains("照片.jpg") && !t.startsWith("正在上传"), WAIT);
            assertThat(zh.shownText()).contains("PDF").contains("无法使用").contains("jpg, png");
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(f.simulator().requests()).as("not even a token or a session for these new users").isEmpty();
            Checks.nothingLeaked(p, f.simulator());
        }
    }

    @Test
    void emptyHtmlElfAndZipFilesAreRefusedWithWhatIsAccepted() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            in.accept(file(ann, "", bytes("empty.png", "image/png", new byte[0], 0)));
            assertThat(p.awaitText(t -> t.contains("empty.png") && !t.startsWith("Uploading"), WAIT).shownText()).contains("is empty")
                    .contains("jpg, png");
            byte[] html = ascii("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>");
            in.accept(file(ann, "", bytes("cat.webp", "image/webp", html, html.length)));
            assertThat(p.awaitText(t -> t.contains("cat.webp") && !t.startsWith("Uploading"), WAIT).shownText()).contains("HTML");
            byte[] elf = new byte[]{0x7F, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
            in.accept(file(ann, "", bytes("sunset.png", "image/png", elf, elf.length)));
            assertThat(p.awaitText(t -> t.contains("sunset.png") && !t.startsWith("Uploading"), WAIT).shownText()).contains("ELF");
            byte[] zip = new byte[]{'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0};
            in.accept(file(ann, "", bytes("clip.mp4", "video/mp4", zip, zip.length)));
            assertThat(p.awaitText(t -> t.contains("clip.mp4") && !t.startsWith("Uploading"), WAIT).shownText()).contains("ZIP").contains("mp4");
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(f.simulator().requests()).as("nothing at all reached the backend").isEmpty();
        }
    }

    @Test
    void hostileNamesAreCleanedAndGetTheExtensionOfWhatTheBytesAre() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            byte[] pngBytes = TestChats.pngBytes(40, 30);
            in.accept(file(ann, "", bytes("../../etc/passwd", "text/plain", pngBytes, pngBytes.length)));
            p.awaitText(t -> t.startsWith("Got it: passwd.png is in your project"), WAIT);
            byte[] jpg = jpegBytes();
            in.accept(file(ann, "", bytes("a\u202Egpj.exe", "application/x-msdownload", jpg, jpg.length)));
            p.awaitText(t -> t.startsWith("Got it: agpj.jpg"), WAIT);
            in.accept(file(ann, "", bytes("x".repeat(10_000) + "\u0000.png", "image/png", pngBytes, pngBytes.length)));
            p.awaitText(t -> t.startsWith("Got it: xxx"), WAIT);
            in.accept(file(ann, "", bytes("\u0000\u0007", "image/png", pngBytes, pngBytes.length)));
            p.awaitText(t -> t.startsWith("Got it: image.png"), WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();

            List<String> names = uploads(f).stream().map(BadInputTest::uploadedName).toList();
            assertThat(names).hasSize(4);
            assertThat(names.get(0)).isEqualTo("passwd.png");
            assertThat(names.get(1)).isEqualTo("agpj.jpg");
            assertThat(names.get(2)).hasSize(100).matches("x+\\.png");
            assertThat(names.get(3)).isEqualTo("image.png");
            assertThat(uploads(f)).allSatisfy(r -> assertThat(partHeader(r)).doesNotContain("../")
                    .doesNotContain("\u202E").doesNotContain("\u0000"));
            assertThat(partHeader(uploads(f).get(1))).as("the type the bytes are, not the one declared")
                    .contains("Content-Type: image/jpeg");
        }
    }

    @Test
    void aFileOverTheLimitWithoutADeclaredSizeIsStoppedWhileReading() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            byte[] head = TestChats.pngBytes(4, 4);
            AtomicLong read = new AtomicLong();
            Attachment endless = new Attachment("endless.png", "image/png", -1, () -> new InputStream() {
                @Override
                public int read() {
                    long i = read.getAndIncrement();
                    return i < head.length ? head[(int) i] & 0xFF : 0;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    long i = read.get();
                    for (int k = 0; k < len; k++) {
                        b[off + k] = i + k < head.length ? head[(int) (i + k)] : 0;
                    }
                    read.addAndGet(len);
                    return len;
                }
            });
            in.accept(file(ann, ANIMATE, endless));
            p.awaitText(t -> t.contains("endless.png is larger than 20 MB") && t.contains("compress"), WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(read.get()).as("stopped just past the limit").isGreaterThan(Attachment.MAX_BYTES)
                    .isLessThan(Attachment.MAX_BYTES + 1024 * 1024);
            assertThat(Checks.turnsSent(f.simulator())).isEmpty();

            int before = p.texts().size();
            in.accept(text(ann, "hello"));
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(p.texts().size()).as("still answered").isGreaterThan(before);
        }
    }

    @Test
    void aDownloadThatBreaksMidwayIsExplainedAndTheUserCanGoOn() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            byte[] pngBytes = TestChats.pngBytes(400, 300);
            Attachment breaking = new Attachment("photo.png", "image/png", pngBytes.length, () -> new InputStream() {
                int i;

                @Override
                public int read() throws IOException {
                    if (i >= pngBytes.length / 2) {
                        throw new IOException("connection reset by the platform");
                    }
                    return pngBytes[i++] & 0xFF;
                }
            });
            in.accept(file(ann, ANIMATE, breaking));
            p.awaitText(t -> t.contains("couldn't read photo.png") && t.contains("send it again"), WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(Checks.turnsSent(f.simulator())).isEmpty();
            in.accept(file(ann, ANIMATE, png("photo.png")));
            p.awaitVideo(WAIT);
            assertThat(p.texts()).noneMatch(t -> t.contains("connection reset") || t.contains("Exception"));
        }
    }

    @Test
    void aCaptionOverTheTextCapIsRefusedBeforeAnyUpload() {
        try (EngineFixture f = EngineFixture.start(SimulatorConfig.fast(),
                s -> s.withLimits(LimitSettings.defaults().withMaxTextChars(100)), b -> b)) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            in.accept(file(ann, "animate " + "very ".repeat(20), png("photo.png")));
            p.awaitText(t -> t.contains("too long (at most 100 characters)"), WAIT);
            in.accept(file(li, "动".repeat(101), png("photo.png")));
            p.awaitText(t -> t.contains("最多 100 个字符"), WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(uploads(f)).isEmpty();
            // invisible characters do not count against the cap: they are gone before it is checked
            in.accept(file(ann, "animate this" + "\u200B".repeat(200), png("photo.png")));
            p.awaitVideo(WAIT);
        }
    }

    @Test
    void controlAndInvisibleCharactersNeverReachTheBackend() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            in.accept(text(ann, "hel\u0000lo\u0007 \u202Ethere\u202C\u200B\r\nfriend\uDB40\uDC69"));
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(p.texts()).as("answered").isNotEmpty();
            assertThat(Checks.turnsSent(f.simulator())).singleElement().asString()
                    .contains("\"text\":\"hello there\\nfriend\"");
        }
    }

    @Test
    void unknownCommandsGetTheHelpInTheUsersLanguageAndNeverReachTheBackend() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            in.accept(text(ann, "/foo animate this image into a video"));
            assertThat(p.awaitText(t -> t.startsWith("I don't know /foo."), WAIT).shownText())
                    .contains("Send an image", "/export", "/status");
            in.accept(text(li, "/随便 生成视频"));
            p.awaitText(t -> t.startsWith("我不认识 /随便 这个命令。") && t.contains("发送一张图片"), WAIT);
            in.accept(text(ann, "／generate"));
            in.accept(text(ann, "/"));
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(p.texts()).anyMatch(t -> t.startsWith("I don't know /generate."));
            assertThat(p.texts()).as("a bare slash: only the help").anyMatch(t -> t.startsWith("Send an image"));
            assertThat(p.texts().stream().filter(t -> t.contains("Send an image (with"))).hasSize(3);
            assertThat(Checks.turnsSent(f.simulator())).isEmpty();
        }
    }

    @Test
    void aMessageOfNothingButInvisibleCharactersGetsTheHelp() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            in.accept(text(ann, "\u200B\u200B\u202E\u0000\uFEFF"));
            p.awaitText(t -> t.startsWith("Send an image"), WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(Checks.turnsSent(f.simulator())).isEmpty();
        }
    }

    @Test
    void whatTheBackendSaysIsCleanedAndASecretInItIsMasked() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            in.accept(text(ann, "credits"));
            p.awaitText(t -> t.startsWith("Credits:"), WAIT);
            String token = Checks.requests(f.simulator(), "GET", "/api/credits").getFirst().header("Authorization")
                    .orElseThrow().substring("Bearer ".length());
            f.simulator().faults().agentSaysNextTurn("Debug: your token is " + token + "\u0007 (Bearer " + token
                    + ")\u202E and the bot's is 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw.");
            in.accept(text(ann, "tell me a secret"));
            p.awaitText(t -> t.contains("Debug: your token is ***"), WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(p.texts()).noneMatch(t -> t.contains(token) || t.contains("AAHdqTcv") || t.contains("\u0007")
                    || t.contains("\u202E"));
            Checks.nothingLeaked(p, f.simulator());
        }
    }
}
