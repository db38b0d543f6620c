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
        SimulatorConfig config = Scenario.simulator(Double.parseDouble(args[0]), Long.parseLong(args[1]));
        try (NemoSimulator sim = NemoSimulator.start(config)) {
            System.out.println(sim.baseUrl());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // nothing to read: the parent closes our stdin when it is done
            }
        }
    }
}
