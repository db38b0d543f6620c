package dev.nemobot.app;

import dev.nemobot.config.ConfigException;
import dev.nemobot.config.ProxySettings;
import dev.nemobot.config.Settings;
import dev.nemobot.config.TelegramSettings;
import dev.nemobot.config.SettingsLoader;
import dev.nemobot.core.Engine;
import dev.nemobot.core.EngineTimings;
import dev.nemobot.core.metrics.EngineMetrics;
import dev.nemobot.core.metrics.MetricsServer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.nemobot.core.backend.NemoClient;
import dev.nemobot.core.store.StoreException;
import dev.nemobot.discord.DiscordBot;
import dev.nemobot.telegram.TelegramBot;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * The launcher. {@code --config FILE} reads settings from a YAML file (the environment wins); {@code --console}
 * chats on stdin/stdout against the configured backend; {@code --demo} starts the embedded simulator on a free
 * loopback port and the console chat against it. Without either, the chat platforms whose tokens are set are
 * started and the process runs until SIGTERM.
 *
 * <p>Exit statuses (docs/operations.md): 0 stopped normally; {@value #EXIT_FAILED} could not start or run (the
 * database, a chat platform, the metrics port), where starting again later may work; {@value #EXIT_CONFIGURATION}
 * the command line or a setting is wrong, including a {@code BOT_SECRET_KEY} (or key file) that is malformed or not
 * the key the store was written with: starting again unchanged will fail the same way. Each prints one line saying
 * why, before any log line.
 */
public final class Main {
    /** Could not start or run, for a reason other than the configuration. */
    static final int EXIT_FAILED = 1;
    /** The command line or a setting is wrong (the store's key among them): fix it before starting again. */
    static final int EXIT_CONFIGURATION = 2;

    /** How long the start waits for the proxy to accept a connection. */
    private static final Duration PROXY_CHECK = Duration.ofSeconds(5);
    private static final URI DISCORD_REST = URI.create("https://discord.com/api/");
    private static final URI DISCORD_GATEWAY = URI.create("wss://gateway.discord.gg");

    /** How long the console waits, at end of input, for work still in flight. */
    private static final Duration CONSOLE_DRAIN = Duration.ofMinutes(20);

    private Main() {
    }

    public static void main(String[] args) {
        // UTF-8 whatever the locale: under LANG=C (a minimal server, a container) Java's stdout would turn "…", "⏳"
        // and every non-Latin reply of the terminal chat into "?"; terminals and log collectors today read UTF-8
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        System.setOut(out);
        System.setErr(err);
        int code = run(args, System.in, out, err, System.getenv());
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Everything {@link #main} does, with its streams and environment given (for tests). Returns the exit code. */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(Options.USAGE);
            return EXIT_CONFIGURATION;
        }
        if (o.help()) {
            out.println(Options.USAGE);
            return 0;
        }
        String logFormat = Optional.ofNullable(env.get("LOG_FORMAT")).map(String::strip).orElse("");
        if (!logFormat.isEmpty()) {
            String f = logFormat.toLowerCase(java.util.Locale.ROOT);
            if (!f.equals("text") && !f.equals("json")) {
                err.println("Configuration error: LOG_FORMAT must be text or json, was '" + logFormat + "'");
                return EXIT_CONFIGURATION;
            }
            if (System.getProperty("LOG_FORMAT") == null) {
                // read by logback.xml (a system property before the environment), set before the first log line
                System.setProperty("LOG_FORMAT", f);
            }
        }
        if ((o.console() || o.demo()) && env.get("NEMOBOT_LOG_LEVEL") == null
                && System.getProperty("NEMOBOT_LOG_LEVEL") == null) {
            // keep the chat readable: only warnings on stderr unless asked for more
            System.setProperty("NEMOBOT_LOG_LEVEL", "WARN");
        }
        try {
            if (o.demo()) {
                return Demo.run(in, out, err, env); // the only path to the simulator and jcodec
            }
            Settings settings = SettingsLoader.load(o.config(), env);
            ProxySettings proxy = proxy(settings, env, err);
            if (o.console()) {
                return console(settings, proxy, in, out, err, env);
            }
            return serve(settings, proxy, err);
        } catch (ConfigException e) {
            err.println("Configuration error: " + e.getMessage());
            return EXIT_CONFIGURATION;
        } catch (StoreException e) {
            // the store's messages name the setting or file to fix and never contain a secret: one line, no trace.
            // A key that is malformed or does not open the store is a wrong setting, as a malformed BOT_SECRET_KEY
            // is (refused by the settings): the same exit status, before the store is changed or anything is logged
            if (e.keyRefused()) {
                err.println("Configuration error: " + e.getMessage());
                return EXIT_CONFIGURATION;
            }
            err.println("Cannot start: " + e.getMessage());
            return EXIT_FAILED;
        } catch (IOException e) {
            err.println("I/O error: " + e.getMessage());
            return EXIT_FAILED;
        }
    }

    /**
     * HTTPS_PROXY and the others, from the environment only (as every tool reads them): a malformed value, or a proxy
     * that one of the configured services would be reached through and that cannot be connected to, is a
     * configuration error here, before anything starts. The proxy in use is said in one line, without credentials.
     */
    private static ProxySettings proxy(Settings settings, Map<String, String> env, PrintStream err) {
        ProxySettings proxy = ProxySettings.fromEnvironment(env);
        if (proxy.isEmpty()) {
            return proxy;
        }
        List<URI> targets = new ArrayList<>();
        targets.add(settings.nemo().apiUrl());
        settings.telegram().ifPresent(t -> targets.add(t.apiUrl()));
        settings.discord().ifPresent(d -> {
            targets.add(d.restUrl().orElse(DISCORD_REST));
            targets.add(d.gatewayUrl().orElse(DISCORD_GATEWAY));
        });
        proxy.checkReachable(targets, PROXY_CHECK);
        List<String> used = targets.stream().map(proxy::endpointFor).flatMap(Optional::stream).map(String::valueOf)
                .distinct().toList();
        err.println(used.isEmpty() ? "A proxy is set, but NO_PROXY exempts every configured service from it"
                : "Outbound connections go through " + String.join(" and ", used));
        return proxy;
    }

    private static int console(Settings settings, ProxySettings proxy, InputStream in, PrintStream out,
                               PrintStream err, Map<String, String> env) throws IOException {
        err.println("Console chat against " + settings.nemo().apiUrl() + "; videos go to "
                + settings.dataDir().resolve("out").toAbsolutePath().normalize());
        return chat(settings, proxy, settings.dataDir().resolve("out"), in, out, env);
    }

    /** The demo's chat: no proxy (the simulator is on 127.0.0.1). */
    static int chat(Settings settings, Path outDir, InputStream in, PrintStream out, Map<String, String> env)
            throws IOException {
        return chat(settings, ProxySettings.none(), outDir, in, out, env);
    }

    /** The console chat; the user's language comes from the locale variables of {@code env} (LANG, ...). */
    static int chat(Settings settings, ProxySettings proxy, Path outDir, InputStream in, PrintStream out,
                    Map<String, String> env) throws IOException {
        try (NemoClient client = NemoClient.builder(settings.nemo()).proxy(proxy).build();
             Engine engine = Engine.builder().settings(settings).backend(client).build()) {
            Thread hook = new Thread(engine::close, "nemobot-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            ConsoleChat chat = new ConsoleChat(out, outDir, ConsoleChat.localUser(env));
            boolean done = chat.run(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)),
                    engine.attach(chat), engine, CONSOLE_DRAIN);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running
            }
            return done ? 0 : 1;
        }
    }

    private static int serve(Settings settings, ProxySettings proxy, PrintStream err) {
        if (settings.telegram().isEmpty() && settings.discord().isEmpty()) {
            err.println("""
                    Nothing to run: no chat platform is configured.
                      Set TELEGRAM_BOT_TOKEN (from @BotFather) and/or DISCORD_BOT_TOKEN (Discord developer portal),
                      in the environment or in a YAML file given with --config FILE.
                      Optionally NEMO_TOKEN (a NemoVideo account token shared by all users) and BOT_DATA_DIR.
                    Or try it locally: --demo (offline, simulated backend) or --console (against NEMO_API_URL).""");
            return EXIT_CONFIGURATION;
        }
        // a video larger than every platform in use takes could not be sent: the download stops there
        long largestUpload = Math.max(settings.telegram().map(TelegramSettings::uploadLimitBytes).orElse(0L),
                settings.discord().isPresent() ? DiscordBot.LARGEST_UPLOAD_BYTES : 0L);
        NemoClient client = NemoClient.builder(settings.nemo()).maxDownloadBytes(largestUpload).proxy(proxy)
                .build();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        // BOT_STOP_GRACE_SECONDS: how long SIGTERM waits for work in flight (a container's stop timeout must exceed it)
        Engine engine = Engine.builder().settings(settings).backend(client).metrics(EngineMetrics.on(registry))
                .timings(EngineTimings.defaults().withShutdownGrace(settings.stopGrace())).build();
        List<AutoCloseable> platforms = new ArrayList<>();
        try {
            // the metrics endpoint (METRICS_PORT) closes last, with the platforms
            MetricsServer.start(settings.metrics(), registry, engine::health).ifPresent(m -> {
                platforms.add(m);
                err.println("Metrics on http://" + settings.metrics().host() + ":" + m.port() + "/metrics and /health");
            });
        } catch (RuntimeException e) {
            err.println("Could not start the metrics endpoint: " + e.getMessage());
            engine.close();
            client.close();
            return EXIT_FAILED;
        }

        try {
            settings.telegram().ifPresent(t -> platforms.add(TelegramBot.start(t, engine, proxy)));
            settings.discord().ifPresent(d -> platforms.add(DiscordBot.start(d, engine, proxy)));
        } catch (RuntimeException e) {
            // the adapters' messages name the setting to fix and never contain a token
            err.println("Could not start a chat platform: " + e.getMessage());
            closeAll(platforms, err);
            engine.close();
            client.close();
            return EXIT_FAILED;
        }
        if (platforms.stream().allMatch(p -> p instanceof MetricsServer)) {
            err.println("No chat platform could be started.");
            closeAll(platforms, err);
            engine.close();
            client.close();
            return EXIT_FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // the engine first: it stops intake and finishes (or records) work in flight while the platforms can
            // still deliver its replies; then the platforms. Telegram first stops taking updates (a webhook answers
            // 503 from here on, so Telegram re-delivers them rather than this stopping engine dropping them)
            platforms.forEach(p -> {
                if (p instanceof TelegramBot t) {
                    t.stopReceiving();
                }
            });
            engine.close();
            closeAll(platforms, err);
            client.close();
            stopped.countDown();
        }, "nemobot-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void closeAll(List<AutoCloseable> platforms, PrintStream err) {
        for (AutoCloseable p : platforms.reversed()) {
            try {
                p.close();
            } catch (Exception e) {
                err.println("closing a platform failed: " + e.getMessage());
            }
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    /** The command line. */
    record Options(Optional<Path> config, boolean console, boolean demo, boolean help) {
        static final String USAGE = """
                Usage: java -jar bot-app.jar [--config FILE] [--console | --demo]
                  --config FILE  settings in YAML (keys as the environment variables; the environment wins)
                  --console      chat on this terminal against the configured backend
                  --demo         offline demo: a simulated backend and the console chat
                  (none)         run the Telegram / Discord bots whose tokens are set""";

        static Options parse(String[] args) {
            Optional<Path> config = Optional.empty();
            boolean console = false;
            boolean demo = false;
            boolean help = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--config" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("--config needs a file");
                        }
                        config = Optional.of(Path.of(args[++i]));
                    }
                    case "--console" -> console = true;
                    case "--demo" -> demo = true;
                    case "--help", "-h" -> help = true;
                    default -> throw new IllegalArgumentException("Unknown option: " + args[i]);
                }
            }
            if (console && demo) {
                throw new IllegalArgumentException("--console and --demo exclude each other");
            }
            return new Options(config, console, demo, help);
        }
    }
}
