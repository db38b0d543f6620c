package dev.nemobot.bench;

import dev.nemobot.config.NemoSettings;
import dev.nemobot.simulator.NemoSimulator;
import dev.nemobot.simulator.SimulatorConfig;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The load benchmark: for each N, N simulated chat users (an image, a prompt, an export each) through a real
 * {@link dev.nemobot.core.Engine}, a real {@link dev.nemobot.core.backend.NemoClient} and an in-memory platform,
 * against nemo-simulator with the time-scaled latencies of {@link Scenario}. Prints one table.
 */
public final class Bench {
    private Bench() {
    }

    /**
     * The JDK's HTTP server (under the simulator) closes kept-alive connections beyond 200 idle ones, which the
     * client may be reusing at that moment ("unexpected end of stream"): a real backend behind a load balancer keeps
     * them, so the simulator is told to as well.
     */
    static final String MAX_IDLE = "100000";

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        System.setProperty("sun.net.httpserver.maxIdleConnections", MAX_IDLE);
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.println(Options.USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        List<Run.Result> results = run(o, System.out);
        System.out.println();
        print(o, results, System.out);
        if (results.stream().anyMatch(r -> r.failed() > 0)) {
            System.exit(1);
        }
    }

    static List<Run.Result> run(Options o, PrintStream out) throws IOException {
        byte[] image = png();
        out.printf(Locale.ROOT, "machine: %d cores, %s %s, max heap %d MB, load average %.2f%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        out.printf(Locale.ROOT, "scenario: time scale 1/%s, arrivals %s, simulator %s, %s, SQLite synchronous=%s%n",
                o.scale(), o.rateText(), o.inProcess() ? "in this JVM" : "in its own JVM",
                !o.http2() ? "plain HTTP/1.1" : o.maxStreams() == Options.UNCAPPED_STREAMS ? "HTTPS (HTTP/2 by ALPN)"
                        : "HTTPS (HTTP/2 by ALPN, at most " + o.maxStreams() + " streams a connection)", o.sqliteSync());
        out.printf(Locale.ROOT, "turn caps: BOT_MAX_TURNS %d (the bot's default here: %d), BOT_MAX_WAITING_TURNS "
                + "max(10000, N)%n", o.maxTurns(), dev.nemobot.config.LimitSettings.machineMaxTurns());
        List<Run.Result> results = new ArrayList<>();
        for (int n : o.users()) {
            for (NemoSettings.PollMode mode : o.modes()) {
                SimulatorConfig sim = Scenario.simulator(o.scale(), o.seed());
                out.printf(Locale.ROOT, "running N=%d (%s polls)...%n", n, mode.name().toLowerCase(Locale.ROOT));
                Run.Result r;
                if (o.inProcess()) {
                    try (NemoSimulator s = SimServer.start(sim, o.http2(), o.maxStreams());
                         NemoSimulator fast = SimServer.start(Scenario.simulator(o.warmupScale(), o.seed()), o.http2(),
                                 o.maxStreams())) {
                        warmUp(o, mode, SimServer.target(fast), image, out);
                        // the same JVM: its CPU time is in the engine's figure
                        r = Run.run(o, n, mode, SimServer.target(s), sim, image, () -> 0L);
                    }
                } else {
                    try (SimProcess p = SimProcess.start(o.scale(), o.warmupScale(), o.seed(), o.http2(),
                            o.maxStreams())) {
                        warmUp(o, mode, p.warmupUrl(), image, out);
                        r = Run.run(o, n, mode, p.baseUrl(), sim, image, p::cpuNanos);
                    }
                }
                results.add(r);
                out.println("  " + line(r));
                System.gc();
            }
        }
        return results;
    }

    /**
     * A run of {@code o.warmup()} users whose figures are dropped: a fresh engine in this JVM, and a simulator in the
     * measured simulator's JVM (the same code) at the warm-up time scale, so that a real-speed run is not preceded
     * by minutes of warm-up.
     */
    private static void warmUp(Options o, NemoSettings.PollMode mode, Run.Target sim, byte[] image, PrintStream out) {
        if (o.warmup() > 0) {
            Options fast = o.withScale(o.warmupScale());
            Run.Result w = Run.run(fast, o.warmup(), mode, sim, Scenario.simulator(fast.scale(), o.seed()), image,
                    () -> 0L);
            out.printf(Locale.ROOT, "  warm-up: %d users, %d failed (not measured)%n", w.users(), w.failed());
        }
    }

    static String line(Run.Result r) {
        return String.format(Locale.ROOT, "N=%d %s: peak %d under way at once, wall %.1fs vs ideal %.1fs (%.3fx), "
                        + "added p50 %s ms p99 %s ms, "
                        + "%.2f requests/conversation (%s), delivery delay p50 %s ms, peak heap %d MB (live %d MB), "
                        + "peak threads %d (%s), peak open files %d, CPU engine %.1fs (JIT %.1fs) simulator %.1fs, load average %.1f-%.1f, failed %d",
                r.users(), r.mode().name().toLowerCase(Locale.ROOT), r.peakConcurrent(), r.wallNanos() / 1e9,
                r.idealWallNanos() / 1e9, r.wallNanos() / (double) r.idealWallNanos(), Stats.ms(r.added().percentile(50)),
                Stats.ms(r.added().percentile(99)), r.requestsPerConversation(), r.requestBreakdown(),
                Stats.ms(r.deliveryDelay().percentile(50)), r.peakHeapUsed() >> 20, r.peakHeapAfterGc() >> 20,
                r.peakThreads(), r.peakThreadNames(), r.peakFds(), r.engineCpuNanos() / 1e9, r.engineJitNanos() / 1e9,
                r.simCpuNanos() / 1e9,
                r.loadMin(), r.loadMax(), r.failed());
    }

    static void print(Options o, List<Run.Result> results, PrintStream out) {
        out.println("| N | polls | most under way at once | wall / ideal | per-user time / ideal | added latency p50 / p99 (ms) "
                + "| backend requests per conversation | status polls per conversation "
                + "| delivery delay p50 / p99 (ms) | peak heap used / live after GC (MB) | peak platform threads "
                + "| peak open files | failed |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Run.Result r : results) {
            out.printf(Locale.ROOT, "| %d | %s | %d | %.1f s / %.1f s = %.3f× | %.3f× | %s / %s | %.2f | %.2f | %s / %s "
                            + "| %d / %d | %d | %d | %d |%n",
                    r.users(), r.mode().name().toLowerCase(Locale.ROOT), r.peakConcurrent(), r.wallNanos() / 1e9,
                    r.idealWallNanos() / 1e9, r.wallNanos() / (double) r.idealWallNanos(), r.meanUserRatio(),
                    Stats.ms(r.added().percentile(50)), Stats.ms(r.added().percentile(99)),
                    r.requestsPerConversation(), r.pollsPerConversation(),
                    Stats.ms(r.deliveryDelay().percentile(50)), Stats.ms(r.deliveryDelay().percentile(99)),
                    r.peakHeapUsed() >> 20, r.peakHeapAfterGc() >> 20, r.peakThreads(), r.peakFds(), r.failed());
        }
        out.println();
        out.println("added latency by step, p50 / p99 (ms):");
        for (Run.Result r : results) {
            out.printf(Locale.ROOT, "  N=%d %s: image %s / %s, prompt %s / %s, export acknowledged %s / %s%n",
                    r.users(), r.mode().name().toLowerCase(Locale.ROOT),
                    Stats.ms(r.addedUpload().percentile(50)), Stats.ms(r.addedUpload().percentile(99)),
                    Stats.ms(r.addedPrompt().percentile(50)), Stats.ms(r.addedPrompt().percentile(99)),
                    Stats.ms(r.addedExportAck().percentile(50)), Stats.ms(r.addedExportAck().percentile(99)));
        }
        out.println("CPU time (engine JVM, the harness included / simulator JVM) and the machine's load average:");
        for (Run.Result r : results) {
            out.printf(Locale.ROOT, "  N=%d %s: %.1f s / %.1f s, load average %.1f-%.1f%n", r.users(),
                    r.mode().name().toLowerCase(Locale.ROOT), r.engineCpuNanos() / 1e9, r.simCpuNanos() / 1e9,
                    r.loadMin(), r.loadMax());
            if (!r.engineCpuByThread().isEmpty()) {
                out.printf(Locale.ROOT, "    engine by thread: %s%n", r.engineCpuByThread());
                out.printf(Locale.ROOT, "    engine without its JIT compilers (a cost of the JVM's start): %.1f s, %.2f ms a "
                                + "conversation%n", (r.engineCpuNanos() - r.engineJitNanos()) / 1e9,
                        (r.engineCpuNanos() - r.engineJitNanos()) / 1e6 / r.users());
            }
        }
        out.println("backend requests per conversation by call:");
        for (Run.Result r : results) {
            out.printf(Locale.ROOT, "  N=%d %s: %s%n", r.users(), r.mode().name().toLowerCase(Locale.ROOT),
                    r.requestBreakdown());
        }
    }

    /** A small real PNG, the same for everyone (so the simulator encodes one MP4). */
    static byte[] png() {
        BufferedImage img = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(0xF2784B), 96, 64, new Color(0x2B1B4F)));
        g.fillRect(0, 0, 96, 64);
        g.dispose();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The simulator in a child JVM on the same class path; closing ends it. */
    static final class SimProcess implements AutoCloseable {
        private final Process process;
        private final Run.Target base;
        private final Run.Target warmup;

        private SimProcess(Process process, Run.Target base, Run.Target warmup) {
            this.process = process;
            this.base = base;
            this.warmup = warmup;
        }

        /** The simulator's JVM serving two simulators: at {@code scale}, and at {@code warmupScale} for warm-ups. */
        static SimProcess start(double scale, double warmupScale, long seed, boolean tls, int maxStreams)
                throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-Djava.awt.headless=true",
                    "-Dsun.net.httpserver.maxIdleConnections=" + MAX_IDLE));
            // for profiling the simulator, e.g. -Dbench.simJvmArgs=-XX:StartFlightRecording=filename=sim.jfr
            String extra = System.getProperty("bench.simJvmArgs", "").strip();
            if (!extra.isEmpty()) {
                command.addAll(List.of(extra.split("\\s+")));
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), SimServer.class.getName(),
                    Double.toString(scale), Long.toString(seed), Double.toString(warmupScale), tls ? "tls" : "plain",
                    Integer.toString(maxStreams)));
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = r.readLine();
            // a profiler asked for with bench.simJvmArgs may print a few lines first
            for (int skipped = 0; line != null && !line.startsWith("http") && skipped < 20; skipped++) {
                line = r.readLine();
            }
            String second = line == null ? null : r.readLine();
            if (line == null || !line.startsWith("http") || second == null || !second.startsWith("http")) {
                p.destroy();
                throw new IOException("the simulator did not start (said: " + line + ")");
            }
            return new SimProcess(p, SimServer.target(line), SimServer.target(second));
        }

        Run.Target baseUrl() {
            return base;
        }

        Run.Target warmupUrl() {
            return warmup;
        }

        /** The child's CPU time so far (user + system), 0 where the platform does not tell. */
        long cpuNanos() {
            return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
        }

        @Override
        public void close() {
            try {
                process.getOutputStream().close();
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
