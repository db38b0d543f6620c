package dev.nemobot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nemobot.core.testing.TestChats;
import dev.nemobot.discord.fake.FakeDiscord;
import dev.nemobot.discord.fake.FakeDiscord.Call;
import dev.nemobot.discord.fake.FakeDiscord.User;
import dev.nemobot.simulator.NemoSimulator;
import dev.nemobot.simulator.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Predicate;
import net.dv8tion.jda.api.utils.data.DataObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launched bot-app.jar against a fake Discord (REST and gateway) and the simulator, both on 127.0.0.1: an
 * {@code /animate} with an image ends with an MP4 attached in the channel, {@code /credits} answers the balance, and
 * SIGTERM stops it cleanly.
 */
class DiscordLaunchIT {
    private static final String TOKEN = "MTk4NjIyNDgzNDcxOTI1MjQ4.launch.bot-token-never-shown";
    /** Per step; a step takes a few seconds at most even on a busy 2-core machine (JVM start included). */
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private NemoSimulator simulator;
    private FakeDiscord discord;
    private LaunchedBot bot;
    private String backendToken;

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (bot != null) {
                bot.close();
            }
        } finally {
            if (discord != null) {
                discord.close();
            }
            if (simulator != null) {
                simulator.close();
            }
        }
    }

    @Test
    void theLaunchedJarAnswersAnimateWithAnAttachedMp4AndCreditsWithTheBalance() throws Exception {
        simulator = NemoSimulator.start(SimulatorConfig.fast());
        discord = FakeDiscord.start();
        bot = LaunchedBot.start(dir, Map.of(
                "DISCORD_BOT_TOKEN", TOKEN,
                "DISCORD_API_URL", discord.restUrl().toString(),
                "DISCORD_GATEWAY_URL", discord.gatewayUrl().toString(),
                "NEMO_API_URL", simulator.baseUrl().toString(),
                "NEMO_RENDER_POLL_SECONDS", "1",
                "BOT_DATA_DIR", dir.resolve("data").toString()));
        try {
            awaitCall(c -> c.method().equals("PUT") && c.path().endsWith("/commands"), "the slash commands registered");
            await("the gateway connection").atMost(WAIT).until(discord::connected);
            User alice = discord.user("100000000000000011", "alice");

            DataObject image = discord.attachment("sunset.png", "image/png", TestChats.pngBytes(160, 90));
            discord.slashCommand(alice, true, "animate",
                    Map.of("image", image, "prompt", "animate this image into a 5-second video with smooth motion"), "en-US");
            Call video = awaitCall(c -> c.files().values().stream().anyMatch(f -> isMp4(f.bytes())), "the MP4");
            assertThat(video.path()).as("the render's progress message in the channel (or the interaction's answer)"
                    + " edited to carry it").matches("/api/v10/(channels/" + FakeDiscord.CHANNEL_ID + "/messages|webhooks/.*)(/\\d+)?");

            backendToken = simulator.requests().stream().filter(r -> r.path().startsWith("/api/state"))
                    .map(r -> r.header("Authorization").orElse("")).filter(h -> h.startsWith("Bearer "))
                    .findFirst().map(h -> h.substring("Bearer ".length()))
                    .orElseThrow(() -> new AssertionError("no authorised call reached the simulator"));
            long balance = simulator.credits(backendToken);
            assertThat(balance).as("the generation was charged").isLessThan(100);
            String credits = discord.slashCommand(alice, true, "credits", Map.of(), "en-US");
            awaitCall(c -> c.path().contains("interaction-token-" + credits) && c.content() != null
                    && c.content().contains(String.valueOf(balance)), "the balance " + balance);

            assertThat(bot.stop(WAIT)).isIn(0, 143);
            bot.assertOutputHoldsNone(TOKEN, backendToken);
        } catch (AssertionError | RuntimeException e) {
            String[] secrets = backendToken == null ? new String[] {TOKEN} : new String[] {TOKEN, backendToken};
            throw bot.failure(e, "discord calls ---\n" + discord.describe(), secrets);
        }
    }

    private Call awaitCall(Predicate<Call> match, String what) {
        await(what).atMost(WAIT).until(() -> discord.calls().stream().anyMatch(match));
        return discord.calls().stream().filter(match).findFirst().orElseThrow();
    }

    private static boolean isMp4(byte[] b) {
        return b.length > 12 && new String(Arrays.copyOfRange(b, 4, 8), StandardCharsets.US_ASCII).equals("ftyp");
    }
}
