package dev.nemobot.app;

import dev.nemobot.config.NemoSettings;
import dev.nemobot.config.Settings;
import dev.nemobot.simulator.NemoSimulator;
import dev.nemobot.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --demo}: the embedded simulator on a free loopback port and the console chat against it. The only class of
 * the launcher that uses nemo-simulator (and through it jcodec): the JVM loads them only when the demo runs, so the
 * bot itself never has them on its path at run time (ArchitectureTest holds that). They stay in the one jar so the
 * demo needs nothing else; they add about 2 MB of its 39.
 */
final class Demo {
    private Demo() {
    }

    static int run(InputStream in, PrintStream out, PrintStream err, Map<String, String> env)
            throws IOException {
        Path base = Path.of(Optional.ofNullable(env.get("BOT_DATA_DIR")).filter(s -> !s.isBlank()).orElse("data"));
        // a fresh store per demo: the embedded simulator forgets its tokens and sessions between runs
        Path state = Files.createTempDirectory("nemobot-demo-");
        SimulatorConfig sim = SimulatorConfig.defaults().withPort(0)
                .withTextDelay(Duration.ofMillis(150)).withStageDelay(Duration.ofMillis(1500))
                .withHeartbeatEvery(Duration.ofMillis(500)).withRenderTime(Duration.ofSeconds(3));
        try (NemoSimulator simulator = NemoSimulator.start(sim)) {
            Settings settings = new Settings(NemoSettings.at(simulator.baseUrl()).withRenderPoll(Duration.ofSeconds(1)),
                    Optional.empty(), Optional.empty(), state, true);
            err.println("Demo: simulated NemoVideo backend at " + simulator.baseUrl()
                    + "; videos go to " + base.resolve("out").toAbsolutePath().normalize());
            err.println("The simulated backend makes a silent pan-and-zoom over your image, with the title drawn over"
                    + " its first seconds (its timeline lists music as the real service's would; the clip has no"
                    + " sound).");
            err.println("Type a message, or a file path followed by what to do with it, e.g.:");
            err.println("  samples/sunset.png animate this image into a 5-second video with smooth motion");
            err.println("Paths may be quoted or dragged in. Ctrl-D quits.");
            return Main.chat(settings, base.resolve("out"), in, out, env);
        } finally {
            Main.deleteTree(state);
        }
    }
}
