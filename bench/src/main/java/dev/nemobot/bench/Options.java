package dev.nemobot.bench;

import dev.nemobot.config.DatabaseSettings;
import dev.nemobot.config.NemoSettings;
import dev.nemobot.simulator.NemoSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The command line.
 *
 * @param users    the numbers of users, one run each
 * @param scale    time scale: every latency of the scenario divided by this
 * @param rate     users starting per second (arrivals are spread evenly; at least one second in all), or
 *                 {@link #STEADY}: arrivals spread over half the shortest conversation, so all N are under way
 *                 together for the other half
 * @param modes    the poll schedules to run (adaptive, fixed or both)
 * @param inProcess run the simulator in this JVM instead of its own
 * @param seed     the simulator's seed
 * @param warmup   users run (and not measured) before each measured run, against a simulator in the measured one's
 *                 JVM, so both JVMs are measured after their JIT compilers have done the hot paths, as a server
 *                 that has been up a while is; 0 for none. At {@link #warmupScale()}.
 * @param maxTurns the engine's bound on turns running at once ({@code BOT_MAX_TURNS}): 10 000 unless given (the
 *                 configuration of the published figures, not the bot's default, which depends on the machine)
 * @param http2    the simulator over TLS (HTTP/2 and HTTP/1.1 by ALPN, a self-signed certificate the engine is told to
 *                 trust through {@code NEMO_CA_FILE}) instead of plain HTTP/1.1
 * @param sqliteSync the engine's {@code BOT_SQLITE_SYNC}: FULL (the bot's default) unless given
 * @param stepTimeout how long a simulated user waits for the answer to one step before it counts as failed (with
 *                 what it last saw): 20 minutes divided by the time scale, plus the ramp, unless given
 * @param maxStreams with {@code http2}: the streams one of the simulator's HTTP/2 connections carries at once
 *                 ({@link #UNCAPPED_STREAMS}, the published figures' setting, unless given)
 */
record Options(List<Integer> users, double scale, int rate, List<NemoSettings.PollMode> modes, boolean inProcess,
               long seed, int warmup, int maxTurns, boolean http2, DatabaseSettings.SqliteSync sqliteSync,
               Duration stepTimeout, int maxStreams) {

    /** The simulator's own limit of streams on one HTTP/2 connection: in effect none. */
    static final int UNCAPPED_STREAMS = NemoSimulator.DEFAULT_MAX_STREAMS;

    /** With the simulator's own stream limit. */
    Options(List<Integer> users, double scale, int rate, List<NemoSettings.PollMode> modes, boolean inProcess,
            long seed, int warmup, int maxTurns, boolean http2, DatabaseSettings.SqliteSync sqliteSync,
            Duration stepTimeout) {
        this(users, scale, rate, modes, inProcess, seed, warmup, maxTurns, http2, sqliteSync, stepTimeout,
                UNCAPPED_STREAMS);
    }

    /** Without a step time-out of its own. */
    Options(List<Integer> users, double scale, int rate, List<NemoSettings.PollMode> modes, boolean inProcess,
            long seed, int warmup, int maxTurns, boolean http2, DatabaseSettings.SqliteSync sqliteSync) {
        this(users, scale, rate, modes, inProcess, seed, warmup, maxTurns, http2, sqliteSync, null);
    }

    /** Over plain HTTP/1.1. */
    Options(List<Integer> users, double scale, int rate, List<NemoSettings.PollMode> modes, boolean inProcess,
            long seed, int warmup, int maxTurns) {
        this(users, scale, rate, modes, inProcess, seed, warmup, maxTurns, false, DatabaseSettings.SqliteSync.FULL);
    }

    static final String USAGE = """
            Usage: java -Xmx1g -jar bench/target/bench.jar [--users 100,1000,10000] [--scale 10] [--rate 500|steady]
                                                           [--poll adaptive|fixed|both] [--sim process|inproc]
                                                           [--warmup 200] [--max-turns 500] [--http 1.1|2]
                                                           [--sqlite-sync full|normal] [--step-timeout 180]
                                                           [--max-streams 128]
              --users  simulated users per run (each: an image, a prompt, an export), comma-separated
              --scale  time scale: the scenario's latencies (119 s generation, 30-90 s renders) divided by this
              --rate   users arriving per second (the ramp lasts users/rate seconds, at least 1 s); steady:
                       arrivals spread over half the shortest conversation (74.5 s divided by the time scale), so
                       all the users are mid-conversation together for the other half
              --poll   render poll schedule(s) to measure (both: each run twice, to compare)
              --sim    process (default): the simulator in its own JVM; inproc: in this one
              --warmup users run first, not measured, to warm both JVMs up (default 200, at time scale 1/10 or
                       faster; 0: none)
              --max-turns  the engine's BOT_MAX_TURNS: turns running at once, the rest wait in line (default
                       10000, the published figures' setting; "default": the bot's own default on this machine,
                       from the heap and the file-descriptor limit). BOT_MAX_WAITING_TURNS is max(10000, users)
              --http   1.1 (default): the simulator over plain HTTP/1.1, one connection per call under way; 2: over
                       TLS with HTTP/2 (a self-signed certificate the engine trusts through NEMO_CA_FILE), every
                       call multiplexed over a few connections
              --sqlite-sync  the engine's BOT_SQLITE_SYNC: full (default, the bot's default) or normal
              --step-timeout  seconds a simulated user waits for the answer to one step before it counts as failed
                       (default: 20 minutes divided by the time scale, plus the ramp); the failures are then
                       counted by what their users last saw
              --max-streams  with --http 2: the streams one HTTP/2 connection of the simulator carries at once
                       (its SETTINGS_MAX_CONCURRENT_STREAMS; default 100000, in effect none); real servers say 100 to
                       256 (nginx and Jetty 128), so the engine opens a connection for each that many""";

    /** The warm-up's time scale: at least 1/10, so a real-speed run is not preceded by minutes of warm-up. */
    double warmupScale() {
        return Math.max(scale, 10);
    }

    Options withScale(double s) {
        return new Options(users, s, rate, modes, inProcess, seed, warmup, maxTurns, http2, sqliteSync, stepTimeout,
                maxStreams);
    }

    /** How long a user waits for one step's answer in a run of {@code n} at {@link #scale}. */
    Duration stepTimeout(int n) {
        return stepTimeout != null ? stepTimeout : Scenario.scaled(Duration.ofMinutes(20), scale).plus(ramp(n));
    }

    /** {@link #rate} for arrivals spread over half the shortest conversation. */
    static final int STEADY = 0;

    Duration ramp(int n) {
        if (rate == STEADY) {
            return Scenario.scaled(Scenario.SHORTEST.dividedBy(2), scale);
        }
        return Duration.ofMillis(Math.max(1000, n * 1000L / rate));
    }

    String rateText() {
        return rate == STEADY ? "steady (over " + Scenario.scaled(Scenario.SHORTEST.dividedBy(2), scale).toMillis()
                / 1000.0 + " s)" : rate + " a second";
    }

    static Options parse(String[] args) {
        List<Integer> users = List.of(100, 1000, 10_000);
        double scale = 10;
        int rate = 500;
        List<NemoSettings.PollMode> modes = List.of(NemoSettings.PollMode.ADAPTIVE);
        boolean inProcess = false;
        long seed = 42;
        int warmup = 200;
        int maxTurns = dev.nemobot.config.LimitSettings.DEFAULT_MAX_TURNS;
        int maxStreams = UNCAPPED_STREAMS;
        boolean http2 = false;
        DatabaseSettings.SqliteSync sqliteSync = DatabaseSettings.SqliteSync.FULL;
        Duration stepTimeout = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                throw new IllegalArgumentException("");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            try {
                switch (a) {
                    case "--users" -> {
                        List<Integer> list = new ArrayList<>();
                        for (String s : v.split(",")) {
                            int n = Integer.parseInt(s.strip().replace("_", ""));
                            if (n < 1 || n > 100_000) {
                                throw new IllegalArgumentException("--users: each number must be within 1..100000");
                            }
                            list.add(n);
                        }
                        users = List.copyOf(list);
                    }
                    case "--scale" -> {
                        scale = Double.parseDouble(v);
                        if (!(scale >= 1 && scale <= 1000)) {
                            throw new IllegalArgumentException("--scale must be within 1..1000");
                        }
                    }
                    case "--rate" -> {
                        rate = v.equals("steady") ? STEADY : Integer.parseInt(v);
                        if (rate < 0) {
                            throw new IllegalArgumentException("--rate must be positive, or steady");
                        }
                    }
                    case "--poll" -> modes = switch (v.toLowerCase(Locale.ROOT)) {
                        case "adaptive" -> List.of(NemoSettings.PollMode.ADAPTIVE);
                        case "fixed" -> List.of(NemoSettings.PollMode.FIXED);
                        case "both" -> List.of(NemoSettings.PollMode.FIXED, NemoSettings.PollMode.ADAPTIVE);
                        default -> throw new IllegalArgumentException("--poll: adaptive, fixed or both");
                    };
                    case "--sim" -> inProcess = switch (v) {
                        case "inproc" -> true;
                        case "process" -> false;
                        default -> throw new IllegalArgumentException("--sim: process or inproc");
                    };
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--warmup" -> {
                        warmup = Integer.parseInt(v.strip().replace("_", ""));
                        if (warmup < 0 || warmup > 100_000) {
                            throw new IllegalArgumentException("--warmup must be within 0..100000");
                        }
                    }
                    case "--max-turns" -> {
                        maxTurns = v.strip().equals("default") ? dev.nemobot.config.LimitSettings.machineMaxTurns()
                                : Integer.parseInt(v.strip().replace("_", ""));
                        if (maxTurns < 1 || maxTurns > 100_000) {
                            throw new IllegalArgumentException("--max-turns must be within 1..100000");
                        }
                    }
                    case "--http" -> http2 = switch (v) {
                        case "1.1" -> false;
                        case "2" -> true;
                        default -> throw new IllegalArgumentException("--http: 1.1 or 2");
                    };
                    case "--sqlite-sync" -> sqliteSync = switch (v) {
                        case "full" -> DatabaseSettings.SqliteSync.FULL;
                        case "normal" -> DatabaseSettings.SqliteSync.NORMAL;
                        default -> throw new IllegalArgumentException("--sqlite-sync: full or normal");
                    };
                    case "--max-streams" -> {
                        maxStreams = Integer.parseInt(v.strip().replace("_", ""));
                        if (maxStreams < 1 || maxStreams > UNCAPPED_STREAMS) {
                            throw new IllegalArgumentException("--max-streams must be within 1..100000");
                        }
                    }
                    case "--step-timeout" -> {
                        int seconds = Integer.parseInt(v.strip().replace("_", ""));
                        if (seconds < 1 || seconds > 86_400) {
                            throw new IllegalArgumentException("--step-timeout must be within 1..86400 seconds");
                        }
                        stepTimeout = Duration.ofSeconds(seconds);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(a + ": not a number: " + v);
            }
        }
        if (maxStreams != UNCAPPED_STREAMS && !http2) {
            throw new IllegalArgumentException("--max-streams is for HTTP/2: give --http 2 too");
        }
        return new Options(users, scale, rate, modes, inProcess, seed, warmup, maxTurns, http2, sqliteSync,
                stepTimeout, maxStreams);
    }
}
