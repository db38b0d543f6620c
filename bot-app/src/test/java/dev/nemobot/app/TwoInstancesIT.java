package dev.nemobot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nemobot.core.testing.TestDatabases;
import dev.nemobot.simulator.NemoSimulator;
import dev.nemobot.simulator.SimulatorConfig;
import dev.nemobot.telegram.FakeBotApi;
import dev.nemobot.telegram.FakeBotApi.Chat;
import dev.nemobot.telegram.FakeBotApi.Person;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two launched bot-app.jar processes sharing one store, Telegram in webhook mode (updates reach instance A, as a load
 * balancer would send them), on both stores: one SQLite file in a shared data directory, and PostgreSQL. Each
 * instance sends its own {@code X-Skill-Version} header ({@code SKILL_VERSION} a or b), so the simulator's log
 * tells which instance polled a render.
 */
class TwoInstancesIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PUBLIC_URL = "https://bot.example.com/telegram/hook";
    private static final String SECRET = "two-instances_secret";
    private static final Pattern LISTENING = Pattern.compile("receives updates by webhook on \\S*?:(\\d+)");
    private static final String ANIMATE = "animate this image into a 5-second video with smooth motion";

    @TempDir
    Path dir;

    private NemoSimulator simulator;
    private FakeBotApi telegram;
    private LaunchedBot a;
    private LaunchedBot b;
    private TestDatabases.Postgres postgres;

    @AfterEach
    void tearDown() throws Exception {
        for (LaunchedBot bot : new LaunchedBot[] {a, b}) {
            if (bot != null) {
                bot.close();
            }
        }
        if (telegram != null) {
            telegram.close();
        }
        if (simulator != null) {
            simulator.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void oneExportIsPolledByOneInstanceAndDeliveredOnce(String store) throws Exception {
        try {
            start(store, Duration.ofSeconds(8));
            telegram.photo(new Person(51, "Ana", "en"), new Chat(51), ANIMATE, TelegramLaunchIT.jpeg(320, 180));
            telegram.await("sendVideo", c -> true, WAIT);
            await("a's polls recorded").atMost(WAIT).until(() -> polls("a") > 0);

            assertThat(telegram.calls("sendVideo")).as("delivered once").hasSize(1);
            assertThat(submits()).isEqualTo(1);
            assertThat(polls("b")).as("b never polled the render a holds").isZero();
            assertThat(a.stop(WAIT)).isIn(0, 143);
            assertThat(b.stop(WAIT)).isIn(0, 143);
            a.assertOutputHoldsNone(secrets());
            b.assertOutputHoldsNone(secrets());
        } catch (org.opentest4j.TestAbortedException skipped) {
            throw skipped; // no PostgreSQL outside CI
        } catch (AssertionError | RuntimeException e) {
            throw failure(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void anInstanceKilledMidRenderIsTakenOverByTheOther(String store) throws Exception {
        try {
            start(store, Duration.ofSeconds(8));
            telegram.photo(new Person(52, "Bea", "en"), new Chat(52), ANIMATE, TelegramLaunchIT.jpeg(320, 180));
            await("the render submitted by a").atMost(WAIT).until(() -> submits() == 1);
            a.kill();
            Instant killed = Instant.now();

            telegram.await("sendVideo", c -> true, WAIT);
            Duration killToDelivery = Duration.between(killed, Instant.now());
            assertThat(b.stop(WAIT)).isIn(0, 143);
            assertThat(telegram.calls("sendVideo")).as("delivered once, by b").hasSize(1);
            assertThat(submits()).as("not submitted again").isEqualTo(1);
            assertThat(polls("b")).as("b polled the job it took over").isPositive();
            assertThat(turns()).as("the photo's turn ran once").isEqualTo(1);
            System.out.println(store + ": kill -9 of a -> b delivers: " + killToDelivery.toMillis() + " ms");
            b.assertOutputHoldsNone(secrets());
        } catch (org.opentest4j.TestAbortedException skipped) {
            throw skipped; // no PostgreSQL outside CI
        } catch (AssertionError | RuntimeException e) {
            throw failure(e);
        }
    }

    /** Starts the simulator, the fake Bot API and both instances (leases of 5 s), and points the pushes at a. */
    private void start(String store, Duration render) throws Exception {
        simulator = NemoSimulator.start(SimulatorConfig.fast().withRenderTime(render));
        telegram = new FakeBotApi();
        Map<String, String> env = new HashMap<>(Map.of(
                "TELEGRAM_BOT_TOKEN", FakeBotApi.TOKEN,
                "TELEGRAM_API_URL", telegram.url(),
                "TELEGRAM_WEBHOOK_URL", PUBLIC_URL,
                "TELEGRAM_WEBHOOK_SECRET", SECRET,
                "TELEGRAM_WEBHOOK_LISTEN", "127.0.0.1:0",
                "NEMO_API_URL", simulator.baseUrl().toString(),
                "NEMO_RENDER_POLL_SECONDS", "1",
                "BOT_LEASE_SECONDS", "5"));
        Map<String, String> envA = new HashMap<>(env);
        Map<String, String> envB = new HashMap<>(env);
        if (store.equals("postgresql")) {
            postgres = TestDatabases.freshPostgres();
            for (Map<String, String> e : java.util.List.of(envA, envB)) {
                e.put("DATABASE_URL", postgres.url());
                e.put("BOT_SECRET_KEY", TelegramKillRestartIT.KEY);
            }
            envA.put("BOT_DATA_DIR", dir.resolve("data-a").toString());
            envB.put("BOT_DATA_DIR", dir.resolve("data-b").toString());
        } else {
            envA.put("BOT_DATA_DIR", dir.resolve("data").toString());
            envB.put("BOT_DATA_DIR", dir.resolve("data").toString());
        }
        envA.put("SKILL_VERSION", "a");
        envB.put("SKILL_VERSION", "b");
        a = LaunchedBot.start(workDir("a"), envA);
        b = LaunchedBot.start(workDir("b"), envB);
        int portA = port(a);
        port(b);
        telegram.pushTo(URI.create("http://127.0.0.1:" + portA + URI.create(PUBLIC_URL).getPath()));
    }

    private Path workDir(String name) throws IOException {
        return Files.createDirectories(dir.resolve(name));
    }

    private static int port(LaunchedBot bot) {
        await("the webhook server listening").atMost(WAIT).until(() -> LISTENING.matcher(bot.output()).find());
        Matcher m = LISTENING.matcher(bot.output());
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private long submits() {
        return simulator.requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().equals("/api/render/proxy/lambda")).count();
    }

    private long turns() {
        return simulator.requests().stream()
                .filter(r -> r.path().equals("/run_sse") && r.header("Last-Event-ID").isEmpty()).count();
    }

    /** Render polls made by the instance whose SKILL_VERSION is {@code instance}. */
    private long polls(String instance) {
        return simulator.requests().stream()
                .filter(r -> r.method().equals("GET") && r.path().startsWith("/api/render/proxy/lambda/"))
                .filter(r -> r.header("X-Skill-Version").map(instance::equals).orElse(false))
                .count();
    }

    private AssertionError failure(Throwable e) {
        if (a == null) {
            return new AssertionError(e);
        }
        String context = "telegram calls ---\n" + telegram.summary() + "\n--- instance b output ---\n"
                + (b == null ? "" : b.output(secrets()));
        return a.failure(e, context, secrets());
    }

    private static String[] secrets() {
        return new String[] {FakeBotApi.TOKEN, FakeBotApi.TOKEN.substring(FakeBotApi.TOKEN.indexOf(':') + 1), SECRET};
    }
}
