package dev.nemobot.core.testing;

import dev.nemobot.config.NemoSettings;
import dev.nemobot.config.Settings;
import dev.nemobot.core.Engine;
import dev.nemobot.core.EngineTimings;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.chat.Incoming;
import dev.nemobot.core.store.memory.MemoryStore;
import dev.nemobot.core.testing.RecordingPlatform.Sent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An engine for specs: on the in-memory ports ({@link MemoryBackend}, {@link MemoryStore}), on {@link ManualTime}
 * and on the production timings ({@link EngineTimings#defaults()}), attached to one {@link RecordingPlatform}
 * ("telegram", 50 MB uploads). No socket, no database, no wall-clock wait: a whole conversation with a 90-second
 * render runs in milliseconds. Close it after the spec.
 */
public final class SpecFixture implements AutoCloseable {
    public static final URI API = URI.create("https://api.nemovideo.test");
    public static final URI WEB = URI.create("https://nemovideo.test");
    /** How far time may move while a spec waits for something (a render, a recovery, a budget's next day). */
    public static final Duration WITHIN = Duration.ofHours(2);

    private final ManualTime time;
    private final MemoryBackend backend;
    private final MemoryStore store;
    private final Path dataDir;
    private final Settings settings;
    private final UnaryOperator<Engine.Builder> tweak;
    private Engine engine;
    private RecordingPlatform platform;
    private Inbox inbox;
    private final java.util.List<String> earlier = new java.util.ArrayList<>(); // texts sent before a restart

    private SpecFixture(UnaryOperator<Settings> settings, UnaryOperator<Engine.Builder> tweak, long uploadLimit,
                        boolean operator) {
        time = new ManualTime();
        backend = new MemoryBackend(time.clock(), time.scheduler());
        store = new MemoryStore(time.clock());
        try {
            dataDir = Files.createTempDirectory("spec-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        NemoSettings nemo = NemoSettings.at(API).withWebUrl(WEB);
        if (operator) {
            nemo = nemo.withToken(backend.anonymousToken("operator").token());
        }
        this.settings = settings.apply(new Settings(nemo, Optional.empty(), Optional.empty(), dataDir, true));
        this.tweak = tweak;
        this.engine = newEngine();
        this.platform = new RecordingPlatform("telegram", uploadLimit);
        this.inbox = engine.attach(platform);
    }

    private Engine newEngine() {
        return tweak.apply(Engine.builder().settings(settings).backend(backend).store(store).clock(time.clock())
                .scheduler(time.scheduler()).threads(time.threads())
                .timings(EngineTimings.defaults().withShutdownGrace(Duration.ZERO))).build();
    }

    /**
     * Stops the engine at once (what it was doing is cut off) and starts another on the same store, backend and
     * time, attached to a fresh platform of the same name and limit (what a restart of the process does).
     */
    public void restart() {
        engine.close();
        engine = newEngine();
        earlier.addAll(platform.texts());
        platform = platform.restarted();
        inbox = engine.attach(platform);
        time.settle();
    }

    public static SpecFixture start() {
        return new SpecFixture(s -> s, b -> b, 50_000_000, false);
    }

    /** @param settings changes the settings (they start as the test API, auto export on) */
    public static SpecFixture start(UnaryOperator<Settings> settings, UnaryOperator<Engine.Builder> tweak) {
        return new SpecFixture(settings, tweak, 50_000_000, false);
    }

    /**
     * With an operator's token ({@code NEMO_TOKEN}, an account of the in-memory backend) shared by every user, and
     * {@code settings} on top (e.g. a daily budget).
     */
    public static SpecFixture withOperatorToken(UnaryOperator<Settings> settings) {
        return new SpecFixture(settings, b -> b, 50_000_000, true);
    }

    /** With a platform that takes videos up to {@code bytes}. */
    public static SpecFixture withUploadLimit(long bytes) {
        return new SpecFixture(s -> s, b -> b, bytes, false);
    }

    public ManualTime time() {
        return time;
    }

    public MemoryBackend backend() {
        return backend;
    }

    public MemoryStore store() {
        return store;
    }

    public RecordingPlatform platform() {
        return platform;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Hands {@code message} to the engine as the platform would, and lets the engine settle. */
    public void send(Incoming message) {
        inbox.accept(message);
        time.settle();
    }

    /** Hands a button press to the engine as the platform would ({@code message} carries its command), and settles. */
    public void press(Incoming message, dev.nemobot.core.chat.ButtonPress press) {
        inbox.press(message, press);
        time.settle();
    }

    /** Moves time on until {@code condition} holds (at most {@link #WITHIN}); returns how much time passed. */
    public Duration until(BooleanSupplier condition, String what) {
        try {
            return time.runUntil(condition, WITHIN, what);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the chat so far: " + platform.texts(), e);
        }
    }

    /** Moves time on until a text matching {@code p} was sent or edited in; returns it. */
    public String untilText(Predicate<String> p, String what) {
        until(() -> platform.texts().stream().anyMatch(p), what);
        return platform.texts().stream().filter(p).findFirst().orElseThrow();
    }

    /** Moves time on until a video was sent; returns it. */
    public Sent.Video untilVideo() {
        until(() -> videos() > 0, "a video");
        return (Sent.Video) platform.sent().stream().filter(x -> x instanceof Sent.Video).findFirst().orElseThrow();
    }

    /** Moves time on until nothing is in flight (every message answered, every export delivered). */
    public Duration untilIdle() {
        return until(() -> engine.awaitIdle(Duration.ZERO), "the engine to be idle");
    }

    public long videos() {
        return platform.sent().stream().filter(x -> x instanceof Sent.Video).count();
    }

    /**
     * Stops the engine and checks, after every spec, that no token and no raw backend answer reached the chat.
     */
    @Override
    public void close() {
        try {
            engine.close();
            earlier.addAll(platform.texts());
            for (String text : earlier) {
                if (text.contains("nmv_usr_") || text.contains("{\"") || text.contains("\"code\"")) {
                    throw new AssertionError("a token or a raw backend answer reached the chat: " + text);
                }
            }
        } finally {
            time.close();
            try (Stream<Path> paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover temp directory is not worth failing a spec for
            }
        }
    }
}
