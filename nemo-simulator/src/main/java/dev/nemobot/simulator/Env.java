package dev.nemobot.simulator;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.locks.LockSupport;

/** What every part of the server shares: settings, knobs, randomness, the closing signal. Thread-safe. */
final class Env {
    final SimulatorConfig config;
    final Faults faults;
    final ExecutorService workers;
    private final Random random;
    private volatile boolean closed;
    /** Threads inside {@link #pause}, woken by {@link #close}. */
    private final Set<Thread> sleepers = ConcurrentHashMap.newKeySet();
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

    /**
     * Waits {@code d} for real; false when the simulator closed meanwhile (the caller should stop). Each sleeper
     * parks on its own: thousands of timed waits on one shared latch made every time-out walk the latch's whole
     * queue of waiters (a quadratic cost that showed at 10 000 concurrent turns).
     */
    boolean pause(Duration d) {
        if (d.isZero()) {
            return !closed;
        }
        Thread me = Thread.currentThread();
        sleepers.add(me);
        try {
            long deadline = System.nanoTime() + d.toNanos();
            long left;
            // closed is read after joining the sleepers, and close() sets it before waking them: none is missed
            while (!closed && (left = deadline - System.nanoTime()) > 0) {
                LockSupport.parkNanos(this, left);
                if (me.isInterrupted()) {
                    return false;
                }
            }
            return !closed;
        } finally {
            sleepers.remove(me);
        }
    }

    boolean isClosed() {
        return closed;
    }

    void register(Turn t) {
        liveTurns.add(t);
    }

    void unregister(Turn t) {
        liveTurns.remove(t);
    }

    void close() {
        closed = true;
        sleepers.forEach(LockSupport::unpark);
        liveTurns.forEach(Turn::wake);
    }
}
