package dev.nemobot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --demo} of the packaged jar as on a minimal server: the POSIX locale for the terminal's encoding (LANG=C,
 * LC_CTYPE=C: Java's stdout would be ASCII) with the chat in Chinese (LC_MESSAGES), and a JVM that has no fonts
 * (FONTCONFIG_FILE names a fontconfig configuration listing none, which fails AWT's font system as a headless JRE
 * without font packages does). The replies reach stdout as UTF-8, and the simulator still makes the video with its
 * title.
 */
class DemoLaunchIT {
    private static final Path JAR = Path.of("target", "bot-app.jar");

    @Test
    void theDemoWritesUtf8AndMakesTheVideoWithNoFontsAndThePosixLocale(@TempDir Path dir) throws Exception {
        assertThat(JAR).as("run through 'mvn verify': the integration tests need the packaged jar").exists();
        Path fonts = dir.resolve("no-fonts.conf");
        Files.writeString(fonts, "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n"
                + "<fontconfig><cachedir>" + dir.resolve("fc-cache") + "</cachedir></fontconfig>\n");
        Path sample = Path.of("..", "samples", "sunset.png").toAbsolutePath().normalize();
        Path stdout = dir.resolve("stdout");
        Path stderr = dir.resolve("stderr");
        ProcessBuilder pb = new ProcessBuilder(java(), "-Xmx512m", "-jar", JAR.toAbsolutePath().toString(), "--demo")
                .directory(dir.toFile()).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("LC_") || k.startsWith("LANG") || k.startsWith("NEMO")
                || k.startsWith("BOT_") || k.startsWith("JAVA_TOOL") || k.startsWith("JDK_JAVA")
                || k.startsWith("FONTCONFIG"));
        pb.environment().put("LANG", "C");
        pb.environment().put("LC_CTYPE", "C");
        pb.environment().put("LC_MESSAGES", "zh_CN.UTF-8");
        pb.environment().put("FONTCONFIG_FILE", fonts.toString());
        pb.environment().put("BOT_DATA_DIR", dir.resolve("data").toString());
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write((sample + " 把这张图片做成5秒的视频\n").getBytes(StandardCharsets.UTF_8));
        }
        boolean ended = p.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        byte[] raw = Files.readAllBytes(stdout);
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        String out = strictUtf8(raw);
        assertThat(ended).as("the demo ended\n" + out + err).isTrue();
        assertThat(p.exitValue()).as(out + err).isZero();

        // UTF-8 bytes, not "?": the hourglass, the ellipsis and the Chinese of "⏳ 正在处理…"
        assertThat(out).as(out).contains("⏳", "…", "正在处理").doesNotContain("?????");
        assertThat(indexOf(raw, "⏳ 正在处理…".getBytes(StandardCharsets.UTF_8))).as(out).isNotNegative();

        // no fonts: the title drawn with the simulator's glyphs, and the export done
        assertThat(out + err).doesNotContain("The export failed", "导出失败");
        Matcher m = Pattern.compile("(/\\S+\\.mp4)").matcher(out);
        assertThat(m.find()).as(out + err).isTrue();
        Path mp4 = Path.of(m.group(1));
        assertThat(mp4).exists().startsWith(dir.resolve("data"));
        assertThat(new String(Files.readAllBytes(mp4), 4, 4, StandardCharsets.US_ASCII)).isEqualTo("ftyp");
    }

    private static String strictUtf8(byte[] raw) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError("stdout is not UTF-8: " + new String(raw, StandardCharsets.ISO_8859_1), e);
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String java() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}

