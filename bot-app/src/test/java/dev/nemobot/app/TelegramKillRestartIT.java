package dev.nemobot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nemobot.core.testing.TestDatabases;
import dev.nemobot.simulator.NemoSimulator;
import dev.nemobot.simulator.SimulatorConfig;
import dev.nemobot.telegram.FakeBotApi;
import dev.nemobot.telegram.FakeBotApi.Chat;
import dev.nemobot.telegram.FakeBotApi.Person;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the launched bot while a render runs, then a new process on the same data directory: the MP4 is
 * delivered exactly once, the render is not submitted again, and the photo update (which the fake Bot API, like
 * Telegram, delivers again because its offset was never confirmed) is not handled twice. On both stores: the
 * embedded SQLite file, and PostgreSQL (a fresh database on {@code NEMOBOT_TEST_DATABASE_URL}, see TestDatabases).
 * And SIGTERM, as {@code docker stop} sends it, with a render in flight: with the container image's
 * {@code BOT_STOP_GRACE_SECONDS=5} the process exits well inside Docker's default 10 s grace (so it is never killed
 * half-way; with the default 20 s it took 20.4 s), and the next start delivers the video once.
 */
class TelegramKillRestartIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private NemoSimulator simulator;
    private FakeBotApi telegram;
    private LaunchedBot first;
    private LaunchedBot second;

    @AfterEach
    void tearDown() throws Exception {
        for (LaunchedBot b : new LaunchedBot[] {first, second}) {
            if (b != null) {
                b.close();
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

    static final String KEY = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";

    private TestDatabases.Postgres postgres;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aRenderRunningWhenTheBotIsKilledIsDeliveredOnceAfterTheRestart(String store) throws Exception {
        Map<String, String> env = start(Duration.ofSeconds(6));
        if (store.equals("postgresql")) {
            postgres = TestDatabases.freshPostgres();
            env.put("DATABASE_URL", postgres.url());
            env.put("BOT_SECRET_KEY", KEY);
        }
        first = LaunchedBot.start(dir, env);
        LaunchedBot running = first;
        try {
            telegram.await("getupdates", c -> true, WAIT);
            telegram.photo(new Person(77, "Kim", "en"), new Chat(77),
                    "animate this image into a 5-second video with smooth motion", TelegramLaunchIT.jpeg(320, 180));
            await("the render submitted").atMost(WAIT).until(() -> submits() == 1);
            first.kill();
            assertThat(telegram.calls("sendvideo")).as("killed before delivery").isEmpty();

            Instant restart = Instant.now();
            second = LaunchedBot.start(dir, env);
            running = second;
            telegram.await("sendvideo", c -> true, WAIT);
            Duration restartToDelivery = Duration.between(restart, Instant.now());
            assertThat(second.stop(Duration.ofSeconds(30))).isIn(0, 143);

            assertThat(telegram.calls("sendvideo")).as("delivered exactly once").hasSize(1);
            assertThat(submits()).as("the render resumed, not submitted again").isEqualTo(1);
            assertThat(simulator.requests().stream().filter(r -> r.path().equals("/run_sse")).count())
                    .as("the photo's turn was not run again").isEqualTo(1);
            System.out.println(store + ": kill -9 -> restart -> delivery: " + restartToDelivery.toMillis() + " ms");
            second.assertOutputHoldsNone(FakeBotApi.TOKEN);
        } catch (AssertionError | RuntimeException e) {
            throw running.failure(e, "telegram calls ---\n" + telegram.summary(), FakeBotApi.TOKEN);
        }
    }

    /** Docker's default time between SIGTERM and SIGKILL ({@code docker stop}, compose without stop_grace_period). */
    private static final Duration DOCKER_GRACE = Duration.ofSeconds(10);

    @Test
    void sigtermWithARenderInFlightEndsWithinDockersGraceAndTheNextStartDeliversIt() throws Exception {
        Map<String, String> env = start(Duration.ofSeconds(20));
        env.put("BOT_STOP_GRACE_SECONDS", "5"); // as deploy/Dockerfile sets it
        first = LaunchedBot.start(dir, env);
        LaunchedBot running = first;
        try {
            telegram.await("getupdates", c -> true, WAIT);
            telegram.photo(new Person(78, "Lee", "en"), new Chat(78),
                    "animate this image into a 5-second video with smooth motion", TelegramLaunchIT.jpeg(320, 180));
            await("the render submitted").atMost(Duration.ofSeconds(60)).until(() -> submits() == 1);

            Instant term = Instant.now();
            int code = first.stop(Duration.ofSeconds(40));
            Duration stopped = Duration.between(term, Instant.now());
            System.out.println("SIGTERM with a render in flight, BOT_STOP_GRACE_SECONDS="
                    + env.get("BOT_STOP_GRACE_SECONDS") + ": exited " + code + " after " + stopped.toMillis() + " ms");
            assertThat(code).isIn(0, 143);
            assertThat(stopped).as("stopped inside Docker's default grace").isLessThan(DOCKER_GRACE);
            assertThat(telegram.calls("sendvideo")).as("stopped before the render ended").isEmpty();

            second = LaunchedBot.start(dir, env);
            running = second;
            telegram.await("sendvideo", c -> true, Duration.ofSeconds(60));
            assertThat(second.stop(Duration.ofSeconds(40))).isIn(0, 143);
            assertThat(telegram.calls("sendvideo")).as("delivered exactly once").hasSize(1);
            assertThat(submits()).as("the render resumed, not submitted again").isEqualTo(1);
        } catch (AssertionError | RuntimeException e) {
            throw running.failure(e, "telegram calls ---\n" + telegram.summary(), FakeBotApi.TOKEN);
        }
    }

    /** Starts the simulator (renders taking {@code renderTime}) and the fake Bot API; the bot's environment. */
    private Map<String, String> start(Duration renderTime) {
        simulator = NemoSimulator.start(SimulatorConfig.fast().withRenderTime(renderTime));
        telegram = new FakeBotApi();
        return new HashMap<>(Map.of(
                "TELEGRAM_BOT_TOKEN", FakeBotApi.TOKEN,
                "TELEGRAM_API_URL", telegram.url(),
                "NEMO_API_URL", simulator.baseUrl().toString(),
                "NEMO_RENDER_POLL_SECONDS", "1",
                "BOT_DATA_DIR", dir.resolve("data").toString()));
    }

    private long submits() {
        return simulator.requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().equals("/api/render/proxy/lambda")).count();
    }
}
