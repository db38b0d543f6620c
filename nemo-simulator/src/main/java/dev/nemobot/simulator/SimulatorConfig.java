package dev.nemobot.simulator;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link NemoSimulator}. Immutable and validated; start from {@link #defaults()} (demo) or
 * {@link #fast()} (tests) and change single values with the {@code with…} methods.
 *
 * @param host           address to bind, e.g. 127.0.0.1
 * @param port           port to bind, 0 for a free one
 * @param clock          the clock for token expiry and render progress (inject a mutable one in tests)
 * @param textDelay      real wait before each text chunk of a turn
 * @param stageDelay     real wait of each generation stage (raw video, then music and title) and of an edit
 * @param heartbeatEvery a heartbeat is sent after this much silence inside a stream
 * @param renderTime     time, by {@code clock}, from render submit to completed (the shortest, with a spread)
 * @param renderSpread   each render job takes {@code renderTime} plus a share of this, fixed by its id and the seed
 *                       ({@link #renderTimeOf}); zero (the default) makes every job take {@code renderTime}
 * @param silentRatio    share of edit turns that close with no text (0..1)
 * @param seed           seed of all randomness (ids, silent turns, chat variants)
 * @param startCredits   credits of a new anonymous account
 * @param generationCost credits one generation costs
 * @param editCost       credits one edit costs
 * @param tokensPerIp    new client ids one IP may get tokens for in 7 days
 * @param videoWidth     rendered MP4 width (even)
 * @param videoHeight    rendered MP4 height (even)
 * @param videoSeconds   rendered MP4 length
 * @param videoFps       rendered MP4 frame rate
 * @throws IllegalArgumentException when a value is out of range
 */
public record SimulatorConfig(String host, int port, Clock clock,
                              Duration textDelay, Duration stageDelay, Duration heartbeatEvery, Duration renderTime,
                              double silentRatio, long seed,
                              int startCredits, int generationCost, int editCost, int tokensPerIp,
                              int videoWidth, int videoHeight, int videoSeconds, int videoFps,
                              Duration renderSpread) {

    /** Every render job takes {@code renderTime}. */
    public SimulatorConfig(String host, int port, Clock clock, Duration textDelay, Duration stageDelay,
                           Duration heartbeatEvery, Duration renderTime, double silentRatio, long seed,
                           int startCredits, int generationCost, int editCost, int tokensPerIp,
                           int videoWidth, int videoHeight, int videoSeconds, int videoFps) {
        this(host, port, clock, textDelay, stageDelay, heartbeatEvery, renderTime, silentRatio, seed, startCredits,
                generationCost, editCost, tokensPerIp, videoWidth, videoHeight, videoSeconds, videoFps, Duration.ZERO);
    }

    public SimulatorConfig {
        nonNegative("renderSpread", renderSpread);
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host is blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Objects.requireNonNull(clock, "clock");
        nonNegative("textDelay", textDelay);
        nonNegative("stageDelay", stageDelay);
        nonNegative("renderTime", renderTime);
        nonNegative("heartbeatEvery", heartbeatEvery);
        if (heartbeatEvery.isZero()) {
            throw new IllegalArgumentException("heartbeatEvery must be positive");
        }
        if (!(silentRatio >= 0 && silentRatio <= 1)) {
            throw new IllegalArgumentException("silentRatio must be within 0..1: " + silentRatio);
        }
        if (startCredits < 0 || generationCost < 0 || editCost < 0) {
            throw new IllegalArgumentException("credits and costs must not be negative");
        }
        if (tokensPerIp < 1) {
            throw new IllegalArgumentException("tokensPerIp must be at least 1");
        }
        if (videoWidth < 16 || videoHeight < 16 || videoWidth > 3840 || videoHeight > 3840
                || videoWidth % 2 != 0 || videoHeight % 2 != 0) {
            throw new IllegalArgumentException("video size must be even and within 16..3840: "
                    + videoWidth + "x" + videoHeight);
        }
        if (videoSeconds < 1 || videoSeconds > 60 || videoFps < 1 || videoFps > 60) {
            throw new IllegalArgumentException("video seconds and fps must be within 1..60");
        }
    }

    private static void nonNegative(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " is negative");
        }
    }

    /** For the demo: 127.0.0.1:8787, delays of about 1-3 s, 640x360 5 s 24 fps, 10 tokens per IP. */
    public static SimulatorConfig defaults() {
        return new SimulatorConfig("127.0.0.1", 8787, Clock.systemUTC(),
                Duration.ofMillis(700), Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(6),
                0.3, 42L, 100, 10, 2, 10, 640, 360, 5, 24);
    }

    /** For tests: a free port, millisecond delays, 160x90 2 s 8 fps, 1000 tokens per IP. */
    public static SimulatorConfig fast() {
        return new SimulatorConfig("127.0.0.1", 0, Clock.systemUTC(),
                Duration.ofMillis(2), Duration.ofMillis(20), Duration.ofMillis(10), Duration.ofMillis(200),
                0.3, 7L, 100, 10, 2, 1000, 160, 90, 2, 8);
    }

    public SimulatorConfig withHost(String v) {
        return new SimulatorConfig(v, port, clock, textDelay, stageDelay, heartbeatEvery, renderTime, silentRatio,
                seed, startCredits, generationCost, editCost, tokensPerIp, videoWidth, videoHeight, videoSeconds, videoFps, renderSpread);
    }

    public SimulatorConfig withPort(int v) {
        return new SimulatorConfig(host, v, clock, textDelay, stageDelay, heartbeatEvery, renderTime, silentRatio,
                seed, startCredits, generationCost, editCost, tokensPerIp, videoWidth, videoHeight, videoSeconds, videoFps, renderSpread);
    }

    public SimulatorConfig withClock(Clock v) {
        return new SimulatorConfig(host, port, v, textDelay, stageDelay, heartbeatEvery, renderTime, silentRatio,
                seed, startCredits, generationCost, editCost, tokensPerIp, videoWidth, videoHeight, videoSeconds, videoFps, renderSpread);
    }

    public SimulatorConfig withTextDelay(Duration v) {
        return new SimulatorConfig(host, port, clock, v, stageDelay, heartbeatEvery, renderTime, silentRatio,
                seed, startCredits, generationCost, editCost, tokensPerIp, videoWidth, videoHeight, videoSeconds, videoFps, renderSpread);
    }

    public SimulatorConfig withStageDelay(Duration v) {
        return new SimulatorConfig(host, port, clock, textDelay, v, heartbeatEvery, renderTime, silentRatio,
                seed, startCredits, generationCost, editCost, tokensPerIp, videoWidth, videoHeight, videoSeconds, videoFps, renderSpread);
    }

    public SimulatorConfig withHeartbeatEvery(Duration v) {
        return new SimulatorConfig(host, port, clock, textDelay, stageDelay, v, renderTime, silentRatio,
                seed, startCredits, generationCost, editCost, tokensPerIp, videoWidth, videoHeight, videoSeconds, videoFps, renderSpread);
    }

    public SimulatorConfig withRenderTime(Duration v) {
        return new SimulatorConfig(host, port, clock, textDelay, stageDelay, heartbeatEvery, v, silentRatio,
                seed, startCredits, generationCost, editCost, tokensPerIp, videoWidth, videoHeight, videoSeconds, videoFps, renderSpread);
    }

    public SimulatorConfig withSilentRatio(double v) {
        return new SimulatorConfig(host, port, clock, textDelay, stageDelay, heartbeatEvery, renderTime, v,
                seed, startCredits, generationCost, editCost, tokensPerIp, videoWidth, videoHeight, videoSeconds, videoFps, renderSpread);
    }

    public SimulatorConfig withSeed(long v) {
        return new SimulatorConfig(host, port, clock, textDelay, stageDelay, heartbeatEvery, renderTime, silentRatio,
                v, startCredits, generationCost, editCost, tokensPerIp, videoWidth, videoHeight, videoSeconds, videoFps,
                renderSpread);
    }

    public SimulatorConfig withStartCredits(int v) {
        return new SimulatorConfig(host, port, clock, textDelay, stageDelay, heartbeatEvery, renderTime, silentRatio,
                seed, v, generationCost, editCost, tokensPerIp, videoWidth, videoHeight, videoSeconds, videoFps, renderSpread);
    }

    public SimulatorConfig withGenerationCost(int v) {
        return new SimulatorConfig(host, port, clock, textDelay, stageDelay, heartbeatEvery, renderTime, silentRatio,
                seed, startCredits, v, editCost, tokensPerIp, videoWidth, videoHeight, videoSeconds, videoFps, renderSpread);
    }

    public SimulatorConfig withEditCost(int v) {
        return new SimulatorConfig(host, port, clock, textDelay, stageDelay, heartbeatEvery, renderTime, silentRatio,
                seed, startCredits, generationCost, v, tokensPerIp, videoWidth, videoHeight, videoSeconds, videoFps, renderSpread);
    }

    public SimulatorConfig withTokensPerIp(int v) {
        return new SimulatorConfig(host, port, clock, textDelay, stageDelay, heartbeatEvery, renderTime, silentRatio,
                seed, startCredits, generationCost, editCost, v, videoWidth, videoHeight, videoSeconds, videoFps, renderSpread);
    }

    public SimulatorConfig withVideo(int width, int height, int seconds, int fps) {
        return new SimulatorConfig(host, port, clock, textDelay, stageDelay, heartbeatEvery, renderTime, silentRatio,
                seed, startCredits, generationCost, editCost, tokensPerIp, width, height, seconds, fps, renderSpread);
    }

    /** Render jobs take from {@code renderTime} to {@code renderTime + spread}, spread evenly by their ids. */
    public SimulatorConfig withRenderSpread(Duration spread) {
        return new SimulatorConfig(host, port, clock, textDelay, stageDelay, heartbeatEvery, renderTime, silentRatio,
                seed, startCredits, generationCost, editCost, tokensPerIp, videoWidth, videoHeight, videoSeconds,
                videoFps, spread);
    }

    /**
     * How long the render job {@code renderId} takes: {@code renderTime} plus a share of {@code renderSpread} fixed
     * by the id and the seed (a benchmark computes each job's completion with it).
     */
    public Duration renderTimeOf(String renderId) {
        if (renderSpread.isZero()) {
            return renderTime;
        }
        long h = renderId.hashCode() * 0x9E3779B97F4A7C15L ^ seed;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        double share = (h >>> 11) / (double) (1L << 53);
        return renderTime.plusNanos((long) (renderSpread.toNanos() * share));
    }
}
