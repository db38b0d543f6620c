package dev.nemobot.simulator;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator from the command line: {@code --port N} (default 8787), {@code --host H} (default
 * 127.0.0.1), {@code --fast} for the test timings, {@code --tls FILE} to serve HTTPS (HTTP/2 and HTTP/1.1) with a
 * self-signed certificate written to FILE (the client's {@code NEMO_CA_FILE}), with {@code --max-streams N} the
 * streams one HTTP/2 connection may carry at once (default 100 000; real servers 100-256). Prints the base URL and
 * serves until killed.
 */
public final class SimulatorMain {
    private SimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SimulatorConfig config = SimulatorConfig.defaults();
        boolean fast = false;
        java.nio.file.Path certFile = null;
        Integer maxStreams = null;
        String host = config.host();
        int port = config.port();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--host" -> host = value(args, ++i, "--host");
                case "--fast" -> fast = true;
                case "--tls" -> certFile = java.nio.file.Path.of(value(args, ++i, "--tls"));
                case "--max-streams" -> maxStreams = positive(value(args, ++i, "--max-streams"), "--max-streams");
                case "--help", "-h" -> {
                    System.out.println("usage: java -jar nemo-simulator.jar [--host 127.0.0.1] [--port 8787] [--fast] [--tls cert.pem [--max-streams N]]");
                    return;
                }
                default -> {
                    System.err.println("unknown argument: " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (fast) {
            // test-speed delays and a small, low-fps picture, but the demo's clip length: a 5-second clip stays 5 s
            config = SimulatorConfig.fast().withVideo(320, 180, config.videoSeconds(), 12);
        }
        config = config.withHost(host).withPort(port);
        if (maxStreams != null && certFile == null) {
            System.err.println("--max-streams is for HTTP/2, which needs --tls");
            System.exit(2);
        }
        NemoSimulator sim = certFile == null ? NemoSimulator.start(config)
                : maxStreams == null ? NemoSimulator.startTls(config) : NemoSimulator.startTls(config, maxStreams);
        if (certFile != null) {
            try {
                java.nio.file.Files.writeString(certFile, sim.certificatePem().orElseThrow());
            } catch (java.io.IOException e) {
                sim.close();
                System.err.println("cannot write the certificate to " + certFile + ": " + e.getMessage());
                System.exit(2);
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(sim::close, "nemo-simulator-shutdown"));
        System.out.println(sim.baseUrl());
        System.out.flush();
        new CountDownLatch(1).await(); // until killed
    }

    private static int positive(String v, String flag) {
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // said below
        }
        System.err.println(flag + " needs a whole number of at least 1: " + v);
        System.exit(2);
        return 0;
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            System.err.println(flag + " needs a value");
            System.exit(2);
        }
        return args[i];
    }
}
