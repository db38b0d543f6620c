package dev.nemobot.bench;

import dev.nemobot.simulator.NemoSimulator;
import dev.nemobot.simulator.SimulatorConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The simulator in its own JVM for the benchmark: {@code SimServer <scale> <seed> <warm-up scale> [tls|plain]
 * [max streams a connection]}
 * prints one line per simulator (its base URL, and over TLS a space and the file of the certificate to trust),
 * serves until its standard input closes (the benchmark ending or dying), then says on its standard error how many
 * turns the measured simulator started and exits.
 */
public final class SimServer {
    private SimServer() {
    }

    public static void main(String[] args) throws IOException {
        long seed = Long.parseLong(args[1]);
        boolean tls = args.length > 3 && args[3].equals("tls");
        int maxStreams = args.length > 4 ? Integer.parseInt(args[4]) : Options.UNCAPPED_STREAMS;
        SimulatorConfig config = Scenario.simulator(Double.parseDouble(args[0]), seed);
        // the second, for warm-ups at their own time scale: the same code, so the JIT's work carries over
        SimulatorConfig warmup = Scenario.simulator(Double.parseDouble(args[2]), seed);
        try (NemoSimulator sim = start(config, tls, maxStreams); NemoSimulator fast = start(warmup, tls, maxStreams)) {
            System.out.println(line(sim));
            System.out.println(line(fast));
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // nothing to read: the parent closes our stdin when it is done
            }
            // into the benchmark's standard error: set against the engine's run_sse calls, how many never started a
            // turn here (lost before they arrived)
            System.err.println("simulator: " + sim.turnsStarted() + " turns started, " + sim.streamsResumed()
                    + " answer streams resumed with their Last-Event-ID (the measured runs together)");
        }
    }

    static NemoSimulator start(SimulatorConfig config, boolean tls, int maxStreams) {
        return tls ? NemoSimulator.startTls(config, maxStreams) : NemoSimulator.start(config);
    }

    /** The simulator's URL and, over TLS, its certificate written to a file of its own (deleted when the JVM ends). */
    static Run.Target target(NemoSimulator sim) {
        return target(line(sim));
    }

    static Run.Target target(String line) {
        String[] parts = line.strip().split(" ", 2);
        return new Run.Target(URI.create(parts[0]), parts.length > 1 ? Optional.of(Path.of(parts[1])) : Optional.empty());
    }

    private static String line(NemoSimulator sim) {
        Optional<String> pem = sim.certificatePem();
        if (pem.isEmpty()) {
            return sim.baseUrl().toString();
        }
        try {
            Path file = Files.createTempFile("nemo-simulator-ca-", ".pem");
            file.toFile().deleteOnExit();
            Files.writeString(file, pem.get());
            return sim.baseUrl() + " " + file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
