package dev.nemobot.bench;

import dev.nemobot.core.EngineTimings;
import dev.nemobot.simulator.SimulatorConfig;
import java.time.Duration;

/**
 * The benchmark's world at real speed, divided by a time scale: a generation of 2 x 55 s stages plus 6 text chunks
 * 1.5 s apart (119 s, inside the contract's 100-300 s), renders of 30-90 s, heartbeats every 10 s, and the engine's
 * contract timings (30 s render poll, 5 s state poll, 1 s edit gap, ...) divided by the same scale.
 */
final class Scenario {
    static final Duration STAGE = Duration.ofSeconds(55);
    static final Duration TEXT = Duration.ofMillis(1500);
    static final int TEXT_CHUNKS_PER_GENERATION = 6; // two answers of three chunks each
    static final Duration HEARTBEAT = Duration.ofSeconds(10);
    static final Duration RENDER_MIN = Duration.ofSeconds(30);
    static final Duration RENDER_SPREAD = Duration.ofSeconds(60);
    static final Duration RENDER_POLL = Duration.ofSeconds(30);
    /** The shortest conversation's own time: both stages, the text, the shortest render (149 s). */
    static final Duration SHORTEST = STAGE.multipliedBy(2).plus(TEXT.multipliedBy(TEXT_CHUNKS_PER_GENERATION))
            .plus(RENDER_MIN);

    private Scenario() {
    }

    static Duration scaled(Duration real, double scale) {
        return Duration.ofNanos(Math.max(1_000_000L, (long) (real.toNanos() / scale)));
    }

    static SimulatorConfig simulator(double scale, long seed) {
        return SimulatorConfig.fast()
                .withSeed(seed)
                .withTextDelay(scaled(TEXT, scale))
                .withStageDelay(scaled(STAGE, scale))
                .withHeartbeatEvery(scaled(HEARTBEAT, scale))
                .withRenderTime(scaled(RENDER_MIN, scale))
                .withRenderSpread(scaled(RENDER_SPREAD, scale))
                .withSilentRatio(0)
                .withTokensPerIp(1_000_000)
                .withStartCredits(100)
                // small and cached: one encode for every user (they all send the same picture)
                .withVideo(160, 90, 2, 8);
    }

    /** The simulator's own time for one conversation: the generation's delays and the job's render time. */
    static long idealNanos(SimulatorConfig sim, String renderId) {
        return 2 * sim.stageDelay().toNanos() + TEXT_CHUNKS_PER_GENERATION * sim.textDelay().toNanos()
                + sim.renderTimeOf(renderId).toNanos();
    }

    static EngineTimings engine(double scale) {
        EngineTimings d = EngineTimings.defaults();
        return new EngineTimings(scaled(d.activityEvery(), scale), scaled(d.stillWorkingEvery(), scale),
                scaled(d.heartbeatOnlyTimeout(), scale), scaled(d.rateLimitRetry(), scale),
                scaled(d.editGap(), scale), scaled(d.statePoll(), scale), scaled(d.recoveryNotice(), scale),
                scaled(d.recoveryTimeout(), scale), scaled(d.renderTimeout(), scale), Duration.ofSeconds(5),
                d.queueCapacity());
    }
}
