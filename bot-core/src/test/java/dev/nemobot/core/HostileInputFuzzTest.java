package dev.nemobot.core;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.nemobot.core.chat.Attachment;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.chat.Incoming;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.RecordingPlatform;
import dev.nemobot.core.testing.RecordingPlatform.Sent;
import dev.nemobot.core.testing.TestChats;
import dev.nemobot.core.chat.Lang;
import dev.nemobot.core.text.Messages;
import dev.nemobot.simulator.ErrorStyle;
import dev.nemobot.simulator.Faults;
import dev.nemobot.simulator.SimulatorConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;
import org.slf4j.LoggerFactory;

/**
 * Throws a few hundred malformed and hostile messages (a fixed seed: the same every run) at the real engine against
 * the simulator, with the simulator's fault knobs turned between rounds, and checks what must hold whatever comes
 * in: nothing escapes the engine, every message is answered, nobody is stuck, and no answer carries a token, a
 * secret, raw JSON, a stack trace or a control character.
 */
@Isolated("reads every error logged while it runs")
class HostileInputFuzzTest {
    static final long SEED = 0x5EED_2025_0307L;
    static final int USERS = 24;
    static final int ROUNDS = 12;
    static final Duration WAIT = Duration.ofSeconds(30);
    /** What the test's own platform would never want shown: a bot token in a download URL, say. */
    static final String SECRET = "7741852963:AAF-test-secret-bot-token-do-not-show";
    static final Pattern CONTROL = Pattern.compile("[\\p{Cc}&&[^\\n\\t]]|[\\u202A-\\u202E\\u2066-\\u2069\\u200B\\uFEFF]");

    private final Random rng = new Random(SEED);

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void hostileMessagesNeverBreakTheEngineNorLeakAnythingAndEveryoneIsStillAnswered() {
        ch.qos.logback.classic.Logger root =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try (EngineFixture f = EngineFixture.start(
                SimulatorConfig.fast().withStartCredits(60).withRenderTime(Duration.ofMillis(20)), s -> s,
                b -> b.timings(EngineFixture.TEST_TIMINGS.withHeartbeatOnlyTimeout(Duration.ofMillis(400))))) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            List<ChatUser> users = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                Locale locale = switch (i % 3) {
                    case 0 -> Locale.ENGLISH;
                    case 1 -> Locale.SIMPLIFIED_CHINESE;
                    default -> Locale.ROOT;
                };
                users.add(TestChats.user("telegram", "fuzz" + i, locale));
            }

            int cases = 0;
            List<String> kinds = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                Faults faults = f.simulator().faults();
                turnKnobs(faults, round);
                int before = p.sent().size();
                List<Incoming> batch = new ArrayList<>();
                for (ChatUser u : users) {
                    Case c = hostileCase(u);
                    kinds.add(c.kind());
                    batch.add(c.message());
                }
                batch.forEach(in::accept); // must not throw, whatever the message
                cases += batch.size();
                assertThat(f.engine().awaitIdle(WAIT)).as("round %d settles", round).isTrue();

                List<Sent> said = p.sent().subList(before, p.sent().size());
                for (int i = 0; i < users.size(); i++) {
                    ChatUser u = users.get(i);
                    assertThat(said).as("round %d: %s (%s) is answered", round, u.id(), kinds.get(kinds.size() - USERS + i))
                            .anyMatch(s -> answers(s, u));
                }
            }

            // no stuck user: after everything, a plain message still gets the agent's answer
            Faults faults = f.simulator().faults();
            faults.errorStyle(ErrorStyle.ENVELOPE_200);
            faults.sseLineEndings("\n");
            faults.slowAnswers(Duration.ZERO);
            int before = p.sent().size();
            for (ChatUser u : users) {
                in.accept(TestChats.text(u, "hello"));
            }
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            List<Sent> finalAnswers = p.sent().subList(before, p.sent().size());
            for (ChatUser u : users) {
                assertThat(finalAnswers).as("%s still answered", u.id()).anyMatch(s -> answers(s, u));
            }

            assertThat(cases).isGreaterThanOrEqualTo(250);
            List<String> secrets = new ArrayList<>(f.simulator().requests().stream()
                    .map(r -> r.header("Authorization")).flatMap(Optional::stream)
                    .map(h -> h.replaceFirst("^Bearer ", "")).distinct().toList());
            secrets.add(SECRET);
            assertThat(secrets).hasSizeGreaterThan(USERS);
            for (String text : p.texts()) {
                for (String secret : secrets) {
                    assertThat(text).doesNotContain(secret).doesNotContain(secret.substring(0, 16));
                }
                assertThat(text).doesNotContain("nmv_usr_").doesNotContain("{\"").doesNotContain("\"code\"")
                        .doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("<html")
                        .doesNotContain(Messages.of(Lang.EN).internalError())
                        .doesNotContain(Messages.of(Lang.ZH).internalError());
                assertThat(CONTROL.matcher(text).find()).as("a control character in %s", text).isFalse();
            }
            List<ILoggingEvent> errors = logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)
                    && e.getLoggerName().startsWith("dev.nemobot.core")).toList();
            assertThat(errors).as("nothing escaped into an error log").isEmpty();
            for (ILoggingEvent e : List.copyOf(logs.list)) {
                String line = e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
                        : " " + e.getThrowableProxy().getMessage());
                for (String secret : secrets) {
                    assertThat(line).as("a log line").doesNotContain(secret);
                }
            }
        } finally {
            root.detachAppender(logs);
        }
    }

    /** A message to this user, or a video for them, or an edit of one (edits carry no recipient: any counts). */
    private static boolean answers(Sent s, ChatUser u) {
        return switch (s) {
            case Sent.Text t -> t.recipient().equals(u);
            case Sent.Video v -> v.recipient().equals(u);
            default -> false;
        };
    }

    /** Turns one or two of the simulator's knobs, chosen by the seed. */
    private void turnKnobs(Faults faults, int round) {
        faults.errorStyle(rng.nextBoolean() ? ErrorStyle.ENVELOPE_200 : ErrorStyle.HTTP_STATUS);
        faults.sseLineEndings(rng.nextInt(4) == 0 ? "\r\n" : "\n");
        List<Consumer<Faults>> knobs = List.of(
                Faults::malformedEventsNextTurn,
                x -> x.streamErrorNextTurn(rng.nextBoolean()),
                x -> x.failNext("/run_sse", 502, 1 + rng.nextInt(3)),
                x -> x.failNext("/api/upload-video", 503, 1 + rng.nextInt(3)),
                x -> x.failNext("/api/state", 500, 2),
                x -> x.garbageNext("/run_sse", 1 + rng.nextInt(2)),
                x -> x.garbageNext("/api/credits", 2),
                x -> x.garbageNext("/api/upload-video", 1),
                x -> x.rateLimitNext("/run_sse", 1),
                x -> x.dropNextStreamAfter(1 + rng.nextInt(3)),
                Faults::silentNextTurn,
                Faults::heartbeatsOnlyNextTurn,
                Faults::failNextRender,
                Faults::expireAllTokens,
                x -> x.agentSaysNextTurn(hostileAgentText()),
                x -> x.slowAnswers(Duration.ofMillis(rng.nextInt(30))));
        int n = 1 + rng.nextInt(2);
        for (int i = 0; i < n; i++) {
            knobs.get((round * 7 + rng.nextInt(knobs.size())) % knobs.size()).accept(faults);
        }
    }

    /** What a broken or hostile agent might say: secrets, controls, overrides, a wall of text. */
    private String hostileAgentText() {
        return switch (rng.nextInt(4)) {
            case 0 -> "Your key is " + SECRET + " and Bearer nmv_usr_deadbeefdeadbeef.";
            case 1 -> "Bell\u0007 back\b null\u0000 override\u202Eexe.jpg isolate\u2066x\u2069 zw\u200B\uFEFF end";
            case 2 -> "word ".repeat(3000);
            default -> randomUnicode(200);
        };
    }

    private record Case(String kind, Incoming message) {
    }

    private Case hostileCase(ChatUser u) {
        Conversation dm = TestChats.dm(u);
        String id = "fz-" + rng.nextLong();
        int kind = rng.nextInt(16);
        return switch (kind) {
            case 0 -> new Case("random unicode", text(id, u, dm, visible(randomUnicode(1 + rng.nextInt(300)))));
            case 1 -> new Case("huge text", text(id, u, dm, "animate ".repeat(260 + rng.nextInt(6000))));
            case 2 -> new Case("invisible only", text(id, u, dm, "\u200B\u2060\uFEFF\u202E\u2066".repeat(1 + rng.nextInt(5))));
            case 3 -> new Case("controls in a prompt", text(id, u, dm,
                    "ani\u0000mate\u0007 this\u202E into\u001B[31m a video\r\n\u0085please"));
            case 4 -> new Case("fake command", text(id, u, dm, pick("/foo", "/export@otherbot", "/", "／状态",
                    "/help " + randomUnicode(20) + "x", "/start\u0000\u0000", "/credits" + "s".repeat(500),
                    "//", "/..%2F..%2Fetc", "/new@nemo_bot junk", "/cancel now")));
            case 5 -> new Case("keyword", text(id, u, dm, pick("credits", "状态", "export", "show tracks", "余额",
                    "upload", "download please")));
            case 6 -> new Case("garbage bytes named photo.jpg", file(id, u, dm, pick("", "animate this"),
                    attachment("photo.jpg", "image/jpeg", randomBytes(1 + rng.nextInt(4000)), -2)));
            case 7 -> {
                byte[] png = TestChats.pngBytes(16 + rng.nextInt(40), 16 + rng.nextInt(40));
                long lie = rng.nextBoolean() ? png.length / 2 : png.length * 3L;
                yield new Case("lying size", file(id, u, dm, "", attachment("img.png", "image/png", png, lie)));
            }
            case 8 -> new Case("empty file", file(id, u, dm, "animate this",
                    attachment(pick("a.png", "", ".."), "image/png", new byte[0], rng.nextBoolean() ? 0 : -1)));
            case 9 -> new Case("stream breaks mid-read", file(id, u, dm, "animate this",
                    new Attachment("photo.png", "image/png", -1, () -> breaking(TestChats.pngBytes(200, 150)))));
            case 10 -> new Case("download refused", file(id, u, dm, "",
                    new Attachment("photo.png", "image/png", 1234, () -> {
                        throw new IOException("GET https://api.telegram.org/file/bot" + SECRET + "/photos/1.jpg: 502");
                    })));
            case 11 -> new Case("hostile name", file(id, u, dm, visible(randomUnicode(rng.nextInt(40))),
                    attachment(pick("../../etc/passwd", "a\u202Egpj.exe", "x".repeat(10_000), "\u0000",
                            "😀".repeat(300) + ".png", "CON", ".htaccess"), "text/html",
                            TestChats.pngBytes(20, 20), -2)));
            case 12 -> new Case("plain chat", text(id, u, dm, pick("hello", "你好", "what can you do?")));
            case 13 -> new Case("generation", file(id, u, dm, pick(ConversationFlowTest.ANIMATE, "把这张图片做成视频"),
                    TestChats.png("photo.png")));
            case 14 -> {
                List<Attachment> files = List.of(TestChats.png("ok.png"),
                        attachment("fake.gif", "image/gif", "GIF? no, <html>".getBytes(StandardCharsets.UTF_8), -2),
                        attachment("big.mp4", "video/mp4", new byte[8], 21L * 1024 * 1024));
                yield new Case("mixed files", new Incoming(id, u, dm, "", files));
            }
            default -> new Case("declared too large", file(id, u, dm, "animate",
                    attachment("huge.png", "image/png", new byte[16], 20L * 1024 * 1024 + 1 + rng.nextInt(1000))));
        };
    }

    private static Incoming text(String id, ChatUser u, Conversation dm, String text) {
        return new Incoming(id, u, dm, text, List.of());
    }

    private static Incoming file(String id, ChatUser u, Conversation dm, String caption, Attachment a) {
        return new Incoming(id, u, dm, caption, List.of(a));
    }

    /** An attachment with these bytes; {@code size} -2 declares the true size. */
    private static Attachment attachment(String name, String type, byte[] bytes, long size) {
        return new Attachment(name, type, size == -2 ? bytes.length : size, () -> new ByteArrayInputStream(bytes));
    }

    /** A stream that gives the head of an image, then fails like a dropped download. */
    private static InputStream breaking(byte[] image) {
        return new InputStream() {
            int i;

            @Override
            public int read() throws IOException {
                if (i >= Math.min(image.length - 1, 700)) {
                    throw new IOException("connection reset reading https://api.telegram.org/file/bot" + SECRET);
                }
                return image[i++] & 0xFF;
            }
        };
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[rng.nextInt(options.length)];
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        rng.nextBytes(b);
        return b;
    }

    /** Any code points: controls, surrogate halves, private use, emoji, CJK, combining marks, tags. */
    private String randomUnicode(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            switch (rng.nextInt(8)) {
                case 0 -> sb.append((char) rng.nextInt(0x20));
                case 1 -> sb.append((char) (0xD800 + rng.nextInt(0x800)));
                case 2 -> sb.appendCodePoint(0x1F300 + rng.nextInt(0x300));
                case 3 -> sb.appendCodePoint(0x4E00 + rng.nextInt(0x5000));
                case 4 -> sb.appendCodePoint(0x0300 + rng.nextInt(0x70));
                case 5 -> sb.appendCodePoint(0xE0000 + rng.nextInt(0x80));
                case 6 -> sb.appendCodePoint(rng.nextInt(0x110000));
                default -> sb.append((char) (0x20 + rng.nextInt(0x5F)));
            }
        }
        return sb.toString();
    }

    /** At least one visible letter, so the message is never empty (an empty one is rightly not answered). */
    private static String visible(String s) {
        return s + " x";
    }
}
