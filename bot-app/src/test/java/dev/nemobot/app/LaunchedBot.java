package dev.nemobot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bot-app/target/bot-app.jar} launched as a real child process with the same java as the test, a clean
 * environment (nothing of ours inherited) and its output captured to a file. Closing it sends SIGTERM.
 */
final class LaunchedBot implements AutoCloseable {
    private static final Path JAR = Path.of("target", "bot-app.jar");
    private final Process process;
    private final Path log;
    private Integer exitCode;

    private LaunchedBot(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static LaunchedBot start(Path workDir, Map<String, String> settings) throws IOException {
        assertThat(JAR).as("run through 'mvn verify': the integration tests need the packaged jar").exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = workDir.resolve("bot.log");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-jar", JAR.toAbsolutePath().toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("NEMO_") || k.startsWith("TELEGRAM_")
                || k.startsWith("DISCORD_") || k.startsWith("BOT_") || k.startsWith("SKILL_") || k.equals("AUTO_EXPORT"));
        pb.environment().putAll(settings);
        return new LaunchedBot(pb.start(), log);
    }

    /** Everything the bot printed so far. */
    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Sends SIGTERM and returns the exit code, or fails if the process does not stop within {@code timeout}. */
    int stop(Duration timeout) throws InterruptedException {
        if (exitCode == null) {
            process.destroy();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("the bot did not stop within " + timeout + " of SIGTERM:\n" + output());
            }
            exitCode = process.exitValue();
        }
        return exitCode;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
