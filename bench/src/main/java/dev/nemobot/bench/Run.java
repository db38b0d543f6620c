package dev.nemobot.bench;

import dev.nemobot.config.NemoSettings;
import dev.nemobot.config.Settings;
import dev.nemobot.core.Engine;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.backend.NemoClient;
import dev.nemobot.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** One measured run: N users through a fresh engine against a fresh simulator. */
final class Run {
    record Result(int users, NemoSettings.PollMode mode, int failed, long wallNanos, long idealWallNanos,
                  double meanUserRatio, Stats added, Stats addedUpload, Stats addedPrompt, Stats addedExportAck,
                  double requestsPerConversation, String requestBreakdown, double pollsPerConversation,
                  Stats deliveryDelay, long peakHeapUsed, long peakHeapAfterGc, int peakThreads,
                  long platformSends, long engineCpuNanos, long simCpuNanos, double loadMin, double loadMax,
                  int peakConcurrent, int peakFds, String peakThreadNames, String engineCpuByThread, long engineJitNanos) {
    }

    private Run() {
    }

    /** Where the simulator listens, and the certificate to trust for it over TLS (empty over plain HTTP). */
    record Target(URI url, Optional<Path> caFile) {
    }

    /**
     * @param simCpu the simulator's CPU time so far (0 when it runs in this JVM: then it is in the engine's)
     */
    static Result run(Options o, int n, NemoSettings.PollMode mode, Target target, SimulatorConfig sim,
                      byte[] image, LongSupplier simCpu) {
        Path dir;
        try {
            dir = Files.createTempDirectory("nemobot-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Sampler sampler = new Sampler();
        try {
            NemoSettings base = NemoSettings.at(target.url());
            base = target.caFile().map(base::withCaFile).orElse(base);
            NemoSettings nemo = base.withRenderPoll(Scenario.scaled(Scenario.RENDER_POLL, o.scale()))
                    .withPollMode(mode);
            Settings plain = new Settings(nemo, Optional.empty(), Optional.empty(), dir, false);
            Settings settings = plain.withDatabase(plain.database().withSqliteSync(o.sqliteSync()))
                    .withLimits(plain.limits().withTurnBounds(o.maxTurns(),
                    Math.max(dev.nemobot.config.LimitSettings.DEFAULT_WAITING_TURNS, n)));
            List<SimUser> users = new ArrayList<>(n);
            BenchPlatform platform = new BenchPlatform();
            for (int i = 0; i < n; i++) {
                SimUser u = new SimUser(i, image, id -> sim.renderTimeOf(id).toNanos());
                users.add(u);
                platform.register(u);
            }
            Duration stepTimeout = o.stepTimeout(n);
            long runStart;
            long cpuStart;
            Map<Integer, ThreadCpu.Sample> threadsStart;
            long simCpuStart;
            BackendTally backend = new BackendTally();
            try (NemoClient client = NemoClient.builder(nemo)
                    .reconnectDelay(Scenario.scaled(Duration.ofSeconds(2), o.scale())).build()) {
                // the tallies listen to the engine's own metering: a call timed once, as in the bot
                try (Engine engine = Engine.builder().settings(settings).backend(client).backendCalls(backend)
                        .timings(Scenario.engine(o.scale())).build()) {
                    Inbox inbox = engine.attach(platform);
                    sampler.start();
                    cpuStart = processCpuNanos();
                    threadsStart = ThreadCpu.snapshot(Path.of("/proc/self/task"));
                    simCpuStart = simCpu.getAsLong();
                    runStart = System.nanoTime();
                    long rampNanos = o.ramp(n).toNanos();
                    // one thread times the arrivals; each user's steps run on short-lived virtual threads, so a user
                    // waiting for the engine holds no thread (see SimUser)
                    java.util.concurrent.Executor steps = r -> Thread.ofVirtual().start(r);
                    List<CompletableFuture<Void>> done = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        SimUser u = users.get(i);
                        long at = runStart + (n == 1 ? 0 : rampNanos * i / (n - 1));
                        long wait;
                        while ((wait = at - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        CompletableFuture<Void> d = new CompletableFuture<>();
                        done.add(d);
                        Thread.ofVirtual().name("user-" + i).start(() -> {
                            u.start(inbox, stepTimeout, steps).whenComplete((ok, e) -> d.complete(null));
                        });
                    }
                    CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get();
                    engine.awaitIdle(Duration.ofSeconds(30));
                    sampler.cpu(processCpuNanos() - cpuStart, simCpu.getAsLong() - simCpuStart);
                    Map<String, Long> byThread = ThreadCpu.between(threadsStart,
                            ThreadCpu.snapshot(Path.of("/proc/self/task")));
                    sampler.byThread = ThreadCpu.describe(byThread, 10);
                    sampler.jit = ThreadCpu.compilers(byThread);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("a simulated user failed", e.getCause());
                }
            }
            sampler.stop();
            return summarise(n, mode, users, runStart, sim, backend, sampler, platform);
        } finally {
            sampler.stop();
            deleteTree(dir);
        }
    }

    /** The failures' reasons, digits folded, most frequent first (the first ten, with counts). */
    static String failureKinds(List<SimUser> users) {
        Map<String, Long> kinds = users.stream().filter(u -> u.failure != null || u.renderId == null)
                .map(u -> String.valueOf(u.failure).replaceAll("[0-9]+", "#"))
                .collect(Collectors.groupingBy(k -> k, Collectors.counting()));
        return kinds.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(10)
                .map(e -> e.getValue() + "× \"" + e.getKey() + "\"").collect(Collectors.joining("; "));
    }

    private static Result summarise(int n, NemoSettings.PollMode mode, List<SimUser> users, long runStart,
                                    SimulatorConfig sim, BackendTally backend, Sampler sampler,
                                    BenchPlatform platform) {
        int failed = 0;
        long lastEnd = runStart;
        long idealEnd = runStart;
        double ratioSum = 0;
        List<Long> added = new ArrayList<>();
        List<Long> up = new ArrayList<>();
        List<Long> prompt = new ArrayList<>();
        List<Long> ack = new ArrayList<>();
        List<Long> delays = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (SimUser u : users) {
            if (u.failure != null || u.renderId == null) {
                failed++;
                if (failures.size() < 5) {
                    failures.add("user " + u.conversation().id() + ": " + u.failure);
                }
                continue;
            }
            long ideal = Scenario.idealNanos(sim, u.renderId);
            lastEnd = Math.max(lastEnd, u.endNanos);
            idealEnd = Math.max(idealEnd, u.startNanos + ideal);
            ratioSum += (double) (u.endNanos - u.startNanos) / ideal;
            up.add(u.addedNanos[SimUser.Step.UPLOAD.ordinal()]);
            prompt.add(u.addedNanos[SimUser.Step.PROMPT.ordinal()]);
            ack.add(u.exportAckAddedNanos);
            delays.add(u.deliveryDelayNanos);
        }
        added.addAll(up);
        added.addAll(prompt);
        added.addAll(ack);
        failures.forEach(f -> System.err.println("  failure: " + f));
        if (failed > failures.size()) {
            System.err.println("  failures by what their users last saw (digits as #): " + failureKinds(users));
        }
        if (backend.errors() > 0) {
            System.err.println("  backend errors: " + backend.errorSummary());
        }
        int ok = n - failed;
        StringBuilder breakdown = new StringBuilder();
        for (BackendTally.Call c : BackendTally.Call.values()) {
            long count = backend.count(c);
            if (count > 0) {
                breakdown.append(breakdown.isEmpty() ? "" : ", ").append(c.name().toLowerCase(java.util.Locale.ROOT))
                        .append(' ').append(String.format(java.util.Locale.ROOT, "%.2f", count / (double) n));
            }
        }
        return new Result(n, mode, failed, lastEnd - runStart, idealEnd - runStart,
                ok == 0 ? 0 : ratioSum / ok, stats(added), stats(up), stats(prompt), stats(ack),
                backend.total() / (double) n, breakdown.toString(),
                backend.count(BackendTally.Call.RENDER_STATUS) / (double) n, stats(delays),
                sampler.peakUsed, sampler.peakAfterGc, sampler.peakThreads,
                platform.sends.sum() + platform.edits.sum() + platform.videos.sum(), sampler.engineCpu,
                sampler.simCpu, sampler.loadMin, sampler.loadMax, peakConcurrent(users), sampler.peakFds,
                sampler.peakNames, sampler.byThread, sampler.jit);
    }

    /** The most users mid-conversation at once: from their first message to their video (or failure). */
    static int peakConcurrent(List<SimUser> users) {
        List<long[]> edges = new ArrayList<>(users.size() * 2);
        for (SimUser u : users) {
            if (u.startNanos != 0 && u.endNanos != 0) {
                edges.add(new long[] {u.startNanos, 1});
                edges.add(new long[] {u.endNanos, -1});
            }
        }
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1])); // ends first
        int now = 0;
        int peak = 0;
        for (long[] e : edges) {
            now += (int) e[1];
            peak = Math.max(peak, now);
        }
        return peak;
    }

    private static Stats stats(List<Long> values) {
        return new Stats(values.stream().mapToLong(Long::longValue).toArray());
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    /**
     * Samples the heap and the platform threads every 20 ms on a daemon thread, the open file descriptors every second,
     * and the machine's load average
     * (other work on a shared machine shows there).
     */
    private static final class Sampler {
        volatile long peakUsed;
        volatile long peakAfterGc;
        volatile int peakThreads;
        /** The most open file descriptors of this process (sockets included), from /proc/self/fd; -1 without it. */
        volatile int peakFds = -1;
        /** The platform threads by name (digits and what follows a name's first two words dropped) when most were
         *  alive at a sample, e.g. "OkHttp connect 12, OkHttp TaskRunner 3". */
        volatile String peakNames = "";
        private int peakSampled;
        volatile long engineCpu;
        volatile long simCpu;
        /** The engine JVM's CPU by kind of native thread over the measured run (see ThreadCpu). */
        volatile String byThread = "";
        /** Of the engine JVM's CPU, its JIT compilers' (0 where /proc does not tell). */
        volatile long jit;
        volatile double loadMin = Double.MAX_VALUE;
        volatile double loadMax;
        private long samples;
        private volatile boolean running;
        private Thread thread;
        // looked up once: finding the platform MXBeans on every sample costs the engine's JVM CPU (docs/benchmark.md)
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null).toList();
        private final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();

        void start() {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            threads.resetPeakThreadCount();
            System.gc();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            running = true;
            thread = Thread.ofPlatform().daemon().name("bench-sampler").start(() -> {
                while (running) {
                    sample(threads);
                    LockSupport.parkNanos(20_000_000L);
                }
            });
        }

        private void sample(ThreadMXBean threads) {
            long used = memory.getHeapMemoryUsage().getUsed();
            peakUsed = Math.max(peakUsed, used);
            long afterGc = 0;
            for (MemoryPoolMXBean p : heapPools) {
                afterGc += p.getCollectionUsage().getUsed();
            }
            peakAfterGc = Math.max(peakAfterGc, afterGc);
            peakThreads = Math.max(peakThreads, threads.getPeakThreadCount());
            int live = threads.getThreadCount();
            if (live > peakSampled) {
                peakSampled = live;
                peakNames = names(threads);
            }
            if (samples % 50 == 0) {
                // once a second: listing 10 000 open sockets every 100 ms cost the harness 14 CPU-seconds of a
                // 10 000-user run over HTTP/1.1 (the "bench-sampler" thread), counted in the engine's figure
                peakFds = Math.max(peakFds, openFds());
            }
            if (samples++ % 50 == 0) {
                double load = os.getSystemLoadAverage();
                if (load >= 0) {
                    loadMin = Math.min(loadMin, load);
                    loadMax = Math.max(loadMax, load);
                }
            }
        }

        private static String names(ThreadMXBean threads) {
            java.util.Map<String, Integer> by = new java.util.TreeMap<>();
            for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
                if (t != null) {
                    String[] words = t.getThreadName().replaceAll("[0-9]+", "").strip().split("[\\s-]+", 3);
                    by.merge(words.length > 1 ? words[0] + " " + words[1] : words[0], 1, Integer::sum);
                }
            }
            return by.entrySet().stream().sorted(java.util.Map.Entry.<String, Integer>comparingByValue().reversed())
                    .limit(8).map(e -> e.getKey() + " " + e.getValue())
                    .collect(java.util.stream.Collectors.joining(", "));
        }

        /** Open file descriptors now: the entries of /proc/self/fd (Linux); -1 where there is none. */
        private static int openFds() {
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                return (int) fds.count();
            } catch (IOException | UncheckedIOException e) {
                return -1;
            }
        }

        void cpu(long engine, long sim) {
            engineCpu = engine;
            simCpu = sim;
        }

        void stop() {
            if (running) {
                running = false;
                sample(ManagementFactory.getThreadMXBean());
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
