package dev.nemobot.core.testing;

import dev.nemobot.config.NemoSettings;
import dev.nemobot.config.Settings;
import dev.nemobot.core.Engine;
import dev.nemobot.core.EngineTimings;
import dev.nemobot.core.backend.NemoBackend;
import dev.nemobot.core.backend.NemoClient;
import dev.nemobot.simulator.NemoSimulator;
import dev.nemobot.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A nemo-simulator on a free loopback port, a real {@link NemoClient} against it, and an {@link Engine} on a fresh
 * temporary data directory, with timings shrunk for tests ({@link #TEST_TIMINGS}). Close it after the test: it
 * closes the engine, the client and the simulator, and deletes the data directory.
 */
public final class EngineFixture implements AutoCloseable {
    /** The web address the fixture's engine uses in task and sign-up links. */
    public static final URI WEB_URL = URI.create("https://nemovideo.test");

    /** Engine timings for tests: polls and pauses in milliseconds; the 2- and 10-minute limits kept. */
    public static final EngineTimings TEST_TIMINGS = EngineTimings.defaults()
            .withActivityEvery(Duration.ofMillis(100))
            .withRateLimitRetry(Duration.ofMillis(50))
            .withEditGap(Duration.ofMillis(20))
            .withStatePoll(Duration.ofMillis(50))
            .withRecovery(Duration.ofSeconds(30), Duration.ofSeconds(10))
            .withRenderTimeout(Duration.ofSeconds(30))
            .withShutdownGrace(Duration.ofSeconds(2));

    private final NemoSimulator simulator;
    private final NemoClient client;
    private final Engine engine;
    private final Path dataDir;
    private final Settings settings;

    private EngineFixture(NemoSimulator simulator, NemoClient client, Engine engine, Path dataDir, Settings settings) {
        this.simulator = simulator;
        this.client = client;
        this.engine = engine;
        this.dataDir = dataDir;
        this.settings = settings;
    }

    /** {@link SimulatorConfig#fast()} and the test timings. */
    public static EngineFixture start() {
        return start(SimulatorConfig.fast(), b -> b);
    }

    public static EngineFixture start(SimulatorConfig sim, UnaryOperator<Engine.Builder> tweak) {
        return start(sim, s -> s, tweak);
    }

    /**
     * @param settings changes the engine's settings (e.g. an operator token, auto export off); they start as the
     *                 simulator's address, {@link #WEB_URL}, a 50 ms render poll and auto export on
     */
    public static EngineFixture start(SimulatorConfig sim, UnaryOperator<Settings> settings,
                                      UnaryOperator<Engine.Builder> tweak) {
        return start(sim, settings, c -> c, tweak);
    }

    /**
     * @param client changes the client (time-outs, clock); it starts with a 20 ms reconnect delay
     */
    public static EngineFixture start(SimulatorConfig sim, UnaryOperator<Settings> settings,
                                      UnaryOperator<NemoClient.Builder> client, UnaryOperator<Engine.Builder> tweak) {
        Path dir;
        try {
            dir = Files.createTempDirectory("engine-fixture-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        NemoSimulator simulator = NemoSimulator.start(sim);
        NemoClient nemo = null;
        try {
            Settings s = settings.apply(new Settings(
                    NemoSettings.at(simulator.baseUrl()).withWebUrl(WEB_URL).withRenderPoll(Duration.ofMillis(50)),
                    Optional.empty(), Optional.empty(), dir, true));
            nemo = client.apply(NemoClient.builder(s.nemo()).reconnectDelay(Duration.ofMillis(20))).build();
            Engine engine = tweak.apply(Engine.builder().settings(s).backend(nemo).timings(TEST_TIMINGS)).build();
            return new EngineFixture(simulator, nemo, engine, dir, s);
        } catch (RuntimeException e) {
            if (nemo != null) {
                nemo.close();
            }
            simulator.close();
            throw e;
        }
    }

    public NemoSimulator simulator() {
        return simulator;
    }

    public NemoBackend backend() {
        return client;
    }

    public Engine engine() {
        return engine;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public void close() {
        try {
            engine.close();
        } finally {
            client.close();
            simulator.close();
            deleteTree(dataDir);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory is not worth failing a test for
        }
    }
}
