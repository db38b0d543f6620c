package dev.nemobot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nemobot.core.testing.TestChats;
import dev.nemobot.discord.fake.FakeDiscord;
import dev.nemobot.discord.fake.FakeDiscord.Call;
import dev.nemobot.simulator.NemoSimulator;
import dev.nemobot.simulator.SimulatorConfig;
import dev.nemobot.telegram.FakeBotApi;
import dev.nemobot.telegram.FakeBotApi.Chat;
import dev.nemobot.telegram.FakeBotApi.Person;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import net.dv8tion.jda.api.utils.data.DataObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launched bot-app.jar with Telegram and Discord at once, every connection through {@link TestProxy} on
 * 127.0.0.1 with a login: once as an HTTP proxy, once as a SOCKS5 proxy. Telegram, Discord's REST and gateway and its
 * CDN are named by {@code .test} host names, which resolve nowhere but in the proxy: a connection that went around
 * the proxy could not be made, and without the proxy the bot cannot start. The simulator is on 127.0.0.1 and sees
 * every request it gets carry the proxy's mark. A proxy that cannot be reached stops the start in one line.
 */
class ProxyLaunchIT {
    private static final String DISCORD_TOKEN = "MTk4NjIyNDgzNDcxOTI1MjQ4.proxy.bot-token-never-shown";
    private static final String PROXY_USER = "nemo-proxy-user";
    private static final String PROXY_PASSWORD = "proxy-pa55word-never-shown";
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final Person ALICE = new Person(4242, "Alice", "en");
    private static final Chat ALICE_DM = new Chat(4242);
    private static final String ANIMATE = "animate this image into a 5-second video with smooth motion";

    @TempDir
    Path dir;

    private NemoSimulator simulator;
    private FakeBotApi telegram;
    private FakeDiscord discord;
    private TestProxy proxy;
    private LaunchedBot bot;

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {bot, proxy, discord, telegram, simulator}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // the others still close
                }
            }
        }
    }

    @Test
    void throughAnHttpProxyWithALoginBothPlatformsWorkAndTheProxySeesEveryHost() throws Exception {
        startFakes();
        proxy = TestProxy.withLogin(PROXY_USER, PROXY_PASSWORD);
        Map<String, String> env = settings("discord.test");
        env.put("http_proxy", "http://" + PROXY_USER + ":" + PROXY_PASSWORD + "@127.0.0.1:" + proxy.port());
        env.put("HTTPS_PROXY", "http://" + PROXY_USER + ":" + PROXY_PASSWORD + "@127.0.0.1:" + proxy.port());
        env.put("NO_PROXY", ""); // loopback too
        runFlows(env);

        Map<String, Map<String, Integer>> seen = proxy.seen();
        int d = discord.restUrl().getPort();
        assertThat(seen.keySet()).as("every host the bot reached, as the proxy saw them: " + seen)
                .contains(telegramHost(), "discord.test:" + d, "cdn.test:" + d, simulatorHost());
        assertThat(seen.get("discord.test:" + d)).as("the gateway through CONNECT, REST by URL").containsKey("CONNECT")
                .containsKey("POST");
        // each request by URL is forwarded on a connection of its own: one that went around the proxy would make a
        // fake count more requests than the proxy forwarded to it
        assertThat(byUrl(seen.get(telegramHost()))).as("requests forwarded to Telegram, against the calls it saw")
                .isGreaterThanOrEqualTo(telegram.calls().size());
        assertThat(byUrl(seen.get("discord.test:" + d))).as("requests forwarded to Discord's REST")
                .isGreaterThanOrEqualTo(discord.calls().size());
        assertThat(simulator.requests()).as("every request the simulator got came through the proxy").isNotEmpty()
                .allSatisfy(r -> assertThat(r.header(TestProxy.VIA)).as(r.toString()).isPresent());
        assertThat(bot.output()).contains("Outbound connections go through http_proxy=http://***@127.0.0.1:"
                + proxy.port());
        bot.assertOutputHoldsNone(PROXY_PASSWORD, PROXY_USER, DISCORD_TOKEN, FakeBotApi.TOKEN);
    }

    @Test
    void throughASocks5ProxyWithALoginBothPlatformsWorkAndTheProxySeesEveryHost() throws Exception {
        startFakes();
        proxy = TestProxy.withLogin(PROXY_USER, PROXY_PASSWORD);
        // the gateway's WebSocket client resolves its host itself before the SOCKS5 handshake: a real address here
        Map<String, String> env = settings("127.0.0.1");
        env.put("ALL_PROXY", "socks5h://" + PROXY_USER + ":" + PROXY_PASSWORD + "@127.0.0.1:" + proxy.port());
        env.put("no_proxy", "");
        runFlows(env);

        Map<String, Map<String, Integer>> seen = proxy.seen();
        int d = discord.restUrl().getPort();
        assertThat(seen.keySet()).as("every host the bot reached, as the proxy saw them: " + seen)
                .contains(telegramHost(), "discord.test:" + d, "cdn.test:" + d, "127.0.0.1:" + d, simulatorHost());
        assertThat(proxy.targets()).extracting(TestProxy.Target::how).containsOnly("SOCKS5");
        assertThat(proxy.refusals()).as("the login went with every connection").isEmpty();
        bot.assertOutputHoldsNone(PROXY_PASSWORD, PROXY_USER, DISCORD_TOKEN, FakeBotApi.TOKEN);
    }

    @Test
    void withoutTheProxyTheTestHostsCannotBeReached() throws Exception {
        startFakes();
        Map<String, String> env = settings("discord.test");
        env.remove("DISCORD_BOT_TOKEN");
        bot = LaunchedBot.start(dir, env);
        int code = bot.exit(WAIT);
        assertThat(code).as(bot.output()).isEqualTo(Main.EXIT_FAILED);
        assertThat(bot.output()).contains("Could not start a chat platform");
        assertThat(telegram.calls()).as("nothing reached the fake").isEmpty();
    }

    @Test
    void aLoginTheProxyRefusesStopsTheStartSayingSo() throws Exception {
        startFakes();
        proxy = TestProxy.withLogin(PROXY_USER, PROXY_PASSWORD);
        Map<String, String> env = settings("discord.test");
        env.remove("DISCORD_BOT_TOKEN");
        env.put("HTTP_PROXY", "http://" + PROXY_USER + ":wrong-" + PROXY_PASSWORD + "@127.0.0.1:" + proxy.port());
        env.put("NO_PROXY", "");
        bot = LaunchedBot.start(dir, env);
        assertThat(bot.exit(WAIT)).as(bot.output()).isEqualTo(Main.EXIT_FAILED);
        assertThat(bot.output()).contains("Could not start a chat platform")
                .contains("HTTP_PROXY=http://***@127.0.0.1:" + proxy.port() + " refused its login (HTTP 407)")
                .doesNotContain(PROXY_PASSWORD).doesNotContain(PROXY_USER);
        assertThat(proxy.targets()).as("nothing forwarded").isEmpty();
        assertThat(telegram.calls()).isEmpty();
    }

    @Test
    void aProxyThatCannotBeReachedStopsTheStartInOneLineWithoutItsPassword() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        long started = System.nanoTime();
        bot = LaunchedBot.start(dir, Map.of(
                "TELEGRAM_BOT_TOKEN", FakeBotApi.TOKEN,
                "HTTPS_PROXY", "http://" + PROXY_USER + ":" + PROXY_PASSWORD + "@127.0.0.1:" + closed,
                "BOT_DATA_DIR", dir.resolve("data").toString()));
        assertThat(bot.exit(WAIT)).as(bot.output()).isEqualTo(Main.EXIT_CONFIGURATION);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no hang").isLessThan(Duration.ofSeconds(20));
        assertThat(bot.output().lines().toList()).as("one line saying why").hasSize(1).first().asString()
                .startsWith("Configuration error: HTTPS_PROXY=http://***@127.0.0.1:" + closed + " cannot be reached (")
                .doesNotContain(PROXY_PASSWORD).doesNotContain(PROXY_USER);

        bot = LaunchedBot.start(dir, Map.of(
                "TELEGRAM_BOT_TOKEN", FakeBotApi.TOKEN,
                "ALL_PROXY", "socks5://proxy.invalid:1080",
                "BOT_DATA_DIR", dir.resolve("data").toString()));
        assertThat(bot.exit(WAIT)).as(bot.output()).isEqualTo(Main.EXIT_CONFIGURATION);
        assertThat(bot.output().lines().toList()).hasSize(1).first().asString()
                .isEqualTo("Configuration error: ALL_PROXY=socks5://proxy.invalid:1080 cannot be reached (its host "
                        + "name does not resolve): every connection to Telegram, Discord and the NemoVideo API goes "
                        + "through it. Fix the address, or unset ALL_PROXY");
    }

    private void startFakes() throws Exception {
        simulator = NemoSimulator.start(SimulatorConfig.fast());
        telegram = new FakeBotApi();
        discord = FakeDiscord.start();
    }

    /** Both platforms and the simulator; Telegram and Discord's REST by .test names, the gateway on {@code gatewayHost}. */
    private Map<String, String> settings(String gatewayHost) {
        URI rest = discord.restUrl();
        URI gateway = discord.gatewayUrl();
        Map<String, String> env = new HashMap<>(Map.of(
                "TELEGRAM_BOT_TOKEN", FakeBotApi.TOKEN,
                "TELEGRAM_API_URL", telegram.url().replace("127.0.0.1", "telegram.test"),
                "DISCORD_BOT_TOKEN", DISCORD_TOKEN,
                "DISCORD_API_URL", rest.toString().replace("127.0.0.1", "discord.test"),
                "DISCORD_GATEWAY_URL", gateway.toString().replace("127.0.0.1", gatewayHost),
                "NEMO_API_URL", simulator.baseUrl().toString(),
                "NEMO_RENDER_POLL_SECONDS", "1",
                "BOT_DATA_DIR", dir.resolve("data").toString()));
        return env;
    }

    /** A captioned photo on Telegram and an /animate on Discord (its image on the CDN) each come back as an MP4. */
    private void runFlows(Map<String, String> env) throws Exception {
        bot = LaunchedBot.start(dir, env);
        try {
            telegram.await("getUpdates", c -> true, WAIT);
            telegram.photo(ALICE, ALICE_DM, ANIMATE, TelegramLaunchIT.jpeg(320, 180));
            FakeBotApi.Call video = telegram.await("sendVideo", c -> true, WAIT);
            byte[] mp4 = video.parts().get(video.param("video").substring("attach://".length())).bytes();
            assertThat(isMp4(mp4)).as("Telegram got an MP4").isTrue();

            await("the gateway connection").atMost(WAIT).until(discord::connected);
            FakeDiscord.User bob = discord.user("100000000000000011", "bob");
            DataObject image = discord.attachment("sunset.png", "image/png", TestChats.pngBytes(160, 90));
            image.put("url", image.getString("url").replace("127.0.0.1", "cdn.test"));
            image.put("proxy_url", image.getString("url"));
            discord.slashCommand(bob, true, "animate", Map.of("image", image, "prompt", ANIMATE), "en-US");
            awaitCall(c -> c.files().values().stream().anyMatch(f -> isMp4(f.bytes())), "the MP4 on Discord");

            assertThat(bot.stop(WAIT)).isIn(0, 143);
        } catch (AssertionError | RuntimeException e) {
            throw bot.failure(e, "proxy saw ---\n" + (proxy == null ? "-" : proxy.seen() + " refusals "
                    + proxy.refusals()) + "\n--- telegram calls ---\n" + telegram.summary() + "\n--- discord calls ---\n"
                    + discord.describe(), PROXY_PASSWORD, DISCORD_TOKEN, FakeBotApi.TOKEN);
        }
    }

    /** Requests forwarded by URL (not tunnels) among {@code counts}. */
    private static int byUrl(Map<String, Integer> counts) {
        return counts.entrySet().stream().filter(e -> !e.getKey().equals("CONNECT")).mapToInt(Map.Entry::getValue).sum();
    }

    private String telegramHost() {
        return URI.create(telegram.url()).getPort() > 0
                ? "telegram.test:" + URI.create(telegram.url()).getPort() : "telegram.test:80";
    }

    private String simulatorHost() {
        return "127.0.0.1:" + simulator.baseUrl().getPort();
    }

    private Call awaitCall(Predicate<Call> match, String what) {
        await(what).atMost(WAIT).until(() -> discord.calls().stream().anyMatch(match));
        return discord.calls().stream().filter(match).findFirst().orElseThrow();
    }

    private static boolean isMp4(byte[] b) {
        return b.length > 12 && new String(Arrays.copyOfRange(b, 4, 8), StandardCharsets.US_ASCII).equals("ftyp");
    }
}
