package dev.nemobot.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.TestChats;
import dev.nemobot.simulator.RecordedRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A self-hosted Bot API server started with --local answers getFile with absolute paths on its disk. The whole bot
 * (the real TelegramBots client against the fake Bot API, the real engine against nemo-simulator) reads such a file
 * only from under TELEGRAM_LOCAL_FILES_DIR, links resolved: a private file elsewhere never reaches the backend.
 */
class LocalFilesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ANIMATE = "animate this image into a 5-second video with smooth motion";
    private static final String COULD_NOT_READ = "I couldn't read";

    @TempDir
    Path tmp;

    private EngineFixture fixture;
    private Harness h;

    @AfterEach
    void stop() {
        try {
            if (fixture != null) {
                fixture.engine().awaitIdle(WAIT);
            }
            if (h != null) {
                h.close();
            }
        } finally {
            if (fixture != null) {
                fixture.close();
            }
        }
        LogCapture.assertNoTokenLogged();
    }

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
        Eventually.until(() -> uploads().size() == 1, WAIT, () -> "one upload, got " + uploads().size());
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
        Eventually.until(() -> h.api.calls("sendMessage").stream().anyMatch(c -> said(c, chat, text))
                        || h.api.calls("editMessageText").stream().anyMatch(c -> said(c, chat, text)), WAIT,
                () -> "\"" + text + "\" in chat " + chat + "; calls: " + h.api.summary());
    }

    private static boolean said(FakeBotApi.Call c, String chat, String text) {
        return chat.equals(c.param("chat_id")) && c.param("text") != null && c.param("text").contains(text);
    }

    private List<LogCapture.Event> filesWarnsSince(int mark) {
        return LogCapture.eventsSince(mark).stream()
                .filter(e -> e.level().equals("WARN") && e.logger().endsWith("TelegramFiles")).toList();
    }

    private List<RecordedRequest> uploads() {
        return fixture.simulator().requests().stream().filter(r -> r.path().startsWith("/api/upload-video/")).toList();
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
}
