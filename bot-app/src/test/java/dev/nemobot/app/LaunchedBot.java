package dev.nemobot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bot-app/target/bot-app.jar} launched as a real child process with the same java as the test, a clean
 * environment (nothing of ours inherited) and its output (stdout and stderr) captured to a file. {@link #stop} sends
 * SIGTERM; {@link #close} kills whatever is still running. Not thread-safe: one test drives it.
 */
final class LaunchedBot implements AutoCloseable {
    private static final Path JAR = Path.of("target", "bot-app.jar");
    private static final List<String> OURS = List.of("NEMO_", "NEMOBOT_", "TELEGRAM_", "DISCORD_", "BOT_", "SKILL_",
            "AUTO_EXPORT", "DATABASE_", "METRICS_", "LOG_", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY",
            "http_proxy", "https_proxy", "all_proxy", "no_proxy");
    private final Process process;
    private final Path log;
    private Integer exitCode;

    private LaunchedBot(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static LaunchedBot start(Path workDir, Map<String, String> settings) throws IOException {
        assertThat(JAR).as("run through 'mvn verify': the integration tests need the packaged jar").exists();
        Path log = workDir.resolve("bot.log");
        ProcessBuilder pb = new ProcessBuilder(java(), "-Xmx512m", "-jar", JAR.toAbsolutePath().toString())
                .directory(workDir.toFile()) // a relative ./data of a stray setting lands in the temp dir
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> OURS.stream().anyMatch(k::startsWith));
        pb.environment().putAll(settings);
        return new LaunchedBot(pb.start(), log);
    }

    /** The java running this test, so the jar is tried on the JDK the build uses. */
    private static String java() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Everything the bot printed so far, with each of {@code secrets} replaced by a placeholder. */
    String output(String... secrets) {
        String out;
        try {
            out = Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
        return mask(out, secrets);
    }

    /**
     * Fails, naming the offending lines with the secret masked (so the failure does not print it either), when a
     * line of the output holds one of {@code secrets}; also fails when nothing was printed, as a check of an empty
     * log proves nothing.
     */
    void assertOutputHoldsNone(String... secrets) {
        String raw = output();
        assertThat(raw.lines().filter(l -> l.contains(" INFO ")).count()).as("the bot logged at all").isPositive();
        List<String> leaks = raw.lines()
                .filter(l -> java.util.Arrays.stream(secrets).anyMatch(l::contains))
                .map(l -> mask(l, secrets)).toList();
        assertThat(leaks).as("output lines holding a secret (masked here)").isEmpty();
    }

    /** Sends SIGTERM and returns the exit code, or fails if the process does not stop within {@code timeout}. */
    int stop(Duration timeout) throws InterruptedException {
        if (exitCode == null) {
            process.destroy();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("the bot did not stop within " + timeout + " of SIGTERM");
            }
            exitCode = process.exitValue();
        }
        return exitCode;
    }

    /** Waits for the process to end by itself and returns its exit code, or fails if it runs past {@code timeout}. */
    int exit(Duration timeout) throws InterruptedException {
        if (exitCode == null) {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the bot did not exit by itself within " + timeout);
            }
            exitCode = process.exitValue();
        }
        return exitCode;
    }

    /** SIGKILL: the process gets no chance to finish or record anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        exitCode = process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * A failure of the test {@code e}, with the bot's output and {@code context} appended and every secret masked.
     * It carries {@code e}'s stack trace but not {@code e} itself, whose unmasked message a report would print.
     */
    AssertionError failure(Throwable e, String context, String... secrets) {
        AssertionError failure = new AssertionError(e.getClass().getName() + ": "
                + mask(String.valueOf(e.getMessage()), secrets) + "\n--- bot output ---\n" + output(secrets) + "\n--- " + mask(context, secrets));
        failure.setStackTrace(e.getStackTrace());
        return failure;
    }

    static String mask(String text, String... secrets) {
        String out = text;
        for (String s : secrets) {
            if (s != null && !s.isEmpty()) {
                out = out.replace(s, "<SECRET>");
            }
        }
        return out;
    }
}
