package dev.nemobot.core.backend;

import dev.nemobot.config.Secret;
import dev.nemobot.core.testing.MemoryBackend;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;

/**
 * The backend contract on the in-memory backend the engine specs run on, on the wall clock (its renders take
 * 200 ms, as nemo-simulator's fast ones do).
 */
class MemoryBackendContractTest extends NemoBackendContract {
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("memory-backend-timer").factory());
    MemoryBackend memory;

    @Override
    NemoBackend open(int startCredits) {
        memory = new MemoryBackend(Clock.systemUTC(), scheduler).renderTakes(Duration.ofMillis(200))
                .startCredits(startCredits);
        return memory;
    }

    @Override
    void expire(Secret token) {
        memory.expireTokens(); // every account's: the cases that expire one have no other token to use after
    }

    @Override
    void hangNextTurn() {
        memory.heartbeatsOnly(true); // every turn from now on: the cases that hang one run no other after it
    }

    @Override
    void failNextRender() {
        memory.failRenders(1);
    }

    @AfterEach
    void stopTimer() {
        scheduler.shutdownNow();
    }
}
