package dev.nemobot.simulator;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** What every part of the server shares: settings, knobs, randomness, the closing signal. Thread-safe. */
final class Env {
    final SimulatorConfig config;
    final Faults faults;
    final ExecutorService workers;
    private final Random random;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Set<Turn> liveTurns = ConcurrentHashMap.newKeySet();
    private volatile URI baseUrl = URI.create("http://127.0.0.1/");

    Env(SimulatorConfig config, Faults faults, ExecutorService workers) {
        this.config = config;
        this.faults = faults;
        this.workers = workers;
        this.random = new Random(config.seed());
    }

    Instant now() {
        return config.clock().instant();
    }

    String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b); // Random is thread-safe
        return HexFormat.of().formatHex(b);
    }

    String uuid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    double nextDouble() {
        return random.nextDouble();
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    URI baseUrl() {
        return baseUrl;
    }

    void baseUrl(URI uri) {
        baseUrl = uri;
    }

    /** Waits {@code d} for real; false when the simulator closed meanwhile (the caller should stop). */
    boolean pause(Duration d) {
        if (d.isZero()) {
            return !isClosed();
        }
        try {
            return !closed.await(d.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean isClosed() {
        return closed.getCount() == 0;
    }

    void register(Turn t) {
        liveTurns.add(t);
    }

    void unregister(Turn t) {
        liveTurns.remove(t);
    }

    void close() {
        closed.countDown();
        liveTurns.forEach(Turn::wake);
    }
}
