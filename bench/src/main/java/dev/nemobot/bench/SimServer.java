package dev.nemobot.bench;

import dev.nemobot.simulator.NemoSimulator;
import dev.nemobot.simulator.SimulatorConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The simulator in its own JVM for the benchmark: {@code SimServer <scale> <seed>} prints its base URL, serves
 * until its standard input closes (the benchmark ending or dying), then exits.
 */
public final class SimServer {
    private SimServer() {
    }

    public static void main(String[] args) throws IOException {
        long seed = Long.parseLong(args[1]);
        SimulatorConfig config = Scenario.simulator(Double.parseDouble(args[0]), seed);
        // the second, for warm-ups at their own time scale: the same code, so the JIT's work carries over
        SimulatorConfig warmup = Scenario.simulator(Double.parseDouble(args[2]), seed);
        try (NemoSimulator sim = NemoSimulator.start(config); NemoSimulator fast = NemoSimulator.start(warmup)) {
            System.out.println(sim.baseUrl());
            System.out.println(fast.baseUrl());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // nothing to read: the parent closes our stdin when it is done
            }
        }
    }
}
