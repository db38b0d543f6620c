package dev.nemobot.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Choice;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.Incoming;
import dev.nemobot.core.chat.ReplyTo;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.TestChats;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

@Isolated("sets user.home")
class ConsoleChatTest {
    @TempDir
    Path dir;

    private final ChatUser me = new ChatUser(ConsoleChat.NAME, "me", "me", Locale.ENGLISH);

    @Test
    void aLineStartingWithAFilePathSendsTheFileWithTheRestAsCaption() throws Exception {
        Path image = dir.resolve("my photo.png");
        Files.write(image, TestChats.pngBytes(8, 8));
        ConsoleChat chat = new ConsoleChat(new PrintStream(new ByteArrayOutputStream()), dir, me);

        Incoming m = chat.parse(image + " animate this").orElseThrow();
        assertThat(m.attachments()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo("my photo.png");
            assertThat(a.contentType()).isEqualTo("image/png");
            assertThat(a.size()).isEqualTo(Files.size(image));
        });
        assertThat(m.text()).isEqualTo("animate this");
        assertThat(chat.parse("/export").orElseThrow().attachments()).isEmpty();
        assertThat(chat.parse("   ")).isEmpty();
        assertThat(chat.parse("make it slower, 5.5 seconds").orElseThrow().text())
                .isEqualTo("make it slower, 5.5 seconds");
    }

    @Test
    void aListsButtonsArePrintedAsTheCommandsToType() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleChat chat = new ConsoleChat(new PrintStream(bytes, true, StandardCharsets.UTF_8), dir, me);
        chat.sendChoices(ReplyTo.conversation(new Conversation(ConsoleChat.NAME, "local", false)), me, "Your videos",
                List.of(List.of(new Choice("Again #1", Action.AGAIN, Optional.of("k3m9x2ab7qpz"))),
                        List.of(new Choice("Older ▶", Action.VIDEOS, Optional.of("2")))));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("bot> Your videos" + System.lineSeparator()
                + "bot>   [/again k3m9x2ab7qpz /videos 2]" + System.lineSeparator());
    }

    @Test
    void aPathLikeFirstWordThatNamesNoFileIsAnsweredAndNotSent() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleChat chat = new ConsoleChat(new PrintStream(bytes, true, StandardCharsets.UTF_8), dir, me);

        for (String line : new String[] {"no/such/file.png animate", "/no/such/dir/sunset.png animate this",
                "~/no-such-nemobot-file.png go", "sunset.jpeg make it move", "'/no such/a.png' animate",
                "file:///no/such/a.png animate", "./missing go"}) {
            assertThat(chat.parse(line)).as(line).isEmpty();
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("bot> No such file: no/such/file.png (nothing was sent)",
                "bot> No such file: /no/such/dir/sunset.png", "bot> No such file: ~/no-such-nemobot-file.png",
                "bot> No such file: sunset.jpeg", "bot> No such file: /no such/a.png",
                "bot> No such file: file:///no/such/a.png", "bot> No such file: ./missing");
        assertThat(chat.parse("/credits").orElseThrow().text()).isEqualTo("/credits");
    }

    @Test
    void quotedEscapedHomeAndFileUrlPathsSendTheFile() throws Exception {
        Path image = dir.resolve("my photo (1).png");
        Files.write(image, TestChats.pngBytes(8, 8));
        ConsoleChat chat = new ConsoleChat(new PrintStream(new ByteArrayOutputStream()), dir, me);
        String escaped = image.toString().replace(" ", "\\ ").replace("(", "\\(").replace(")", "\\)");
        String home = System.getProperty("user.home");
        System.setProperty("user.home", dir.toString());
        try {
            for (String first : new String[] {"'" + image + "'", "\"" + image + "\"", escaped,
                    image.toUri().toString(), "~/my\\ photo\\ \\(1\\).png"}) {
                Incoming m = chat.parse(first + "  animate this ").orElseThrow();
                assertThat(m.attachments()).as(first).singleElement()
                        .satisfies(a -> assertThat(a.name()).isEqualTo("my photo (1).png"));
                assertThat(m.text()).as(first).isEqualTo("animate this");
            }
        } finally {
            System.setProperty("user.home", home);
        }
    }

    @Test
    void repliesComeInTheOrderTheLinesWereTyped() throws Exception {
        Path image = dir.resolve("sunset.png");
        Files.write(image, TestChats.pngBytes(64, 36));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (EngineFixture f = EngineFixture.start()) {
            ConsoleChat chat = new ConsoleChat(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                    dir.resolve("out"), me);
            String input = image + " animate this image into a 5-second video with smooth motion\n"
                    + "/no/such/file.png go\n/credits\n";
            boolean done = chat.run(new BufferedReader(new StringReader(input)), f.engine().attach(chat), f.engine(),
                    Duration.ofSeconds(30));
            assertThat(done).isTrue();
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        int saved = printed.indexOf("bot> Saved the video:");
        int noSuchFile = printed.indexOf("bot> No such file: /no/such/file.png");
        assertThat(saved).as(printed).isPositive();
        assertThat(noSuchFile).as(printed).isGreaterThan(saved);
        assertThat(printed.indexOf("bot> Credits:")).as(printed).isGreaterThan(noSuchFile);
    }

    @Test
    void pipedInputRunsToTheEndAndSavesTheVideo() throws Exception {
        Path image = dir.resolve("sunset.png");
        Files.write(image, TestChats.pngBytes(64, 36));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Path out = dir.resolve("out");
        try (EngineFixture f = EngineFixture.start()) {
            ConsoleChat chat = new ConsoleChat(new PrintStream(bytes, true, StandardCharsets.UTF_8), out, me);
            String input = image + " animate this image into a 5-second video with smooth motion\n";
            boolean done = chat.run(new BufferedReader(new StringReader(input)), f.engine().attach(chat), f.engine(),
                    Duration.ofSeconds(30));
            assertThat(done).isTrue();
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        Matcher saved = Pattern.compile("bot> Saved the video: (\\S+\\.mp4)").matcher(printed);
        assertThat(saved.find()).as(printed).isTrue();
        Path mp4 = Path.of(saved.group(1));
        assertThat(mp4).exists().startsWith(out.toAbsolutePath().normalize());
        assertThat(Files.size(mp4)).isGreaterThan(1000);
        // the render's progress ends in the video itself, not in a "Video ready!" line above it
        assertThat(printed).contains("bot> Here is your video").doesNotContain("Video ready!").doesNotContain("nmv_usr_");
    }

    @Test
    void theUsersLanguageComesFromTheLocaleVariablesEvenWhenTheOsLacksThatLocale() {
        assertThat(ConsoleChat.localUser(java.util.Map.of("LANG", "ja_JP.UTF-8")).locale()).isEqualTo(Locale.JAPAN);
        assertThat(ConsoleChat.localUser(java.util.Map.of("LANG", "en_US.UTF-8", "LC_MESSAGES", "de_DE@euro"))
                .locale()).isEqualTo(Locale.GERMANY);
        assertThat(ConsoleChat.localUser(java.util.Map.of("LANG", "ja_JP.UTF-8", "LC_ALL", "zh_TW.UTF-8")).locale())
                .isEqualTo(Locale.TAIWAN);
        assertThat(ConsoleChat.localUser(java.util.Map.of("LANG", "C.UTF-8")).locale()).isEqualTo(Locale.getDefault());
        assertThat(ConsoleChat.localUser(java.util.Map.of()).locale()).isEqualTo(Locale.getDefault());
    }
}
