package dev.nemobot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String input, Map<String, String> env, String... args) {
        return Main.run(args, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
    }

    @Test
    void theDemoTurnsTheSampleImageIntoAnMp4AndPrintsItsPath() throws Exception {
        Path sample = Path.of("..", "samples", "sunset.png").toAbsolutePath().normalize();
        assertThat(sample).exists();
        int code = run(sample + " animate this image into a 5-second video with smooth motion\n",
                Map.of("BOT_DATA_DIR", dir.toString()), "--demo");
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed + err).isZero();
        Matcher m = Pattern.compile("Saved the video: (\\S+\\.mp4)").matcher(printed);
        assertThat(m.find()).as(printed).isTrue();
        Path mp4 = Path.of(m.group(1));
        assertThat(mp4).exists().startsWith(dir.resolve("out").toAbsolutePath().normalize());
        byte[] head = Files.readAllBytes(mp4);
        assertThat(new String(head, 4, 4, StandardCharsets.US_ASCII)).isEqualTo("ftyp");
    }

    /** LANG=ja_JP.UTF-8: the bot and the simulated agent both answer in Japanese. */
    @Test
    void theDemoSpeaksTheLanguageOfTheLocaleVariables() {
        Path sample = Path.of("..", "samples", "sunset.png").toAbsolutePath().normalize();
        int code = run(sample + " この画像を5秒の動画にして\n",
                Map.of("BOT_DATA_DIR", dir.toString(), "LANG", "ja_JP.UTF-8"), "--demo");
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed + err).isZero();
        assertThat(printed).contains("完成です！5秒のクリップができました。", "動画はこちらです。")
                .doesNotContain("clip is ready", "クリック");
    }

    @Test
    void withNothingConfiguredItSaysWhatToSet() {
        int code = run("", Map.of("BOT_DATA_DIR", dir.toString()));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("TELEGRAM_BOT_TOKEN", "DISCORD_BOT_TOKEN", "--demo");
    }

    @Test
    void aBadOptionPrintsTheUsage() {
        assertThat(run("", Map.of(), "--bogus")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown option: --bogus", "Usage:");
    }

    @Test
    void aBadSettingNamesTheKey() {
        assertThat(run("", Map.of("NEMO_RENDER_POLL_SECONDS", "soon"), "--console")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("NEMO_RENDER_POLL_SECONDS");
    }

    @Test
    void aMalformedKeyExitsWithTheSameStatusAsAWrongOne() {
        int code = run("", Map.of("BOT_DATA_DIR", dir.toString(), "BOT_SECRET_KEY", "c2hvcnQ=",
                "NEMO_API_URL", "http://127.0.0.1:9"), "--console");
        String printed = err.toString(StandardCharsets.UTF_8).strip();
        assertThat(code).as(printed).isEqualTo(Main.EXIT_CONFIGURATION);
        assertThat(printed.lines()).as(printed).singleElement().asString().contains("BOT_SECRET_KEY")
                .doesNotContain("c2hvcnQ=");
    }

    @Test
    void aStoreWrittenWithAnotherKeySaysSoInOneLineNamingTheSettingAndFails() {
        String keyA = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        byte[] b = new byte[32];
        java.util.Arrays.fill(b, (byte) 7);
        String keyB = java.util.Base64.getEncoder().encodeToString(b);
        Map<String, String> first = Map.of("BOT_DATA_DIR", dir.toString(), "BOT_SECRET_KEY", keyA,
                "NEMO_API_URL", "http://127.0.0.1:9");
        assertThat(run("", first, "--console")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        err.reset();
        int code = run("", Map.of("BOT_DATA_DIR", dir.toString(), "BOT_SECRET_KEY", keyB,
                "NEMO_API_URL", "http://127.0.0.1:9"), "--console");
        String printed = err.toString(StandardCharsets.UTF_8).strip();
        assertThat(code).as(printed).isEqualTo(Main.EXIT_CONFIGURATION);
        assertThat(printed.lines().filter(l -> !l.startsWith("Console chat against"))).as(printed).hasSize(1);
        assertThat(printed).contains("BOT_SECRET_KEY").doesNotContain("Exception").doesNotContain(keyA)
                .doesNotContain(keyB);
    }
}
