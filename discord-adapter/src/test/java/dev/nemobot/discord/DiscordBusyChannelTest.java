package dev.nemobot.discord;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.TestChats;
import dev.nemobot.discord.fake.FakeDiscord;
import dev.nemobot.discord.fake.FakeDiscord.Call;
import dev.nemobot.discord.fake.FakeDiscord.User;
import dev.nemobot.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.dv8tion.jda.api.utils.data.DataObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Six people render at once in one channel whose messages and edits Discord limits (the fake answers 429 past 5 per
 * second, a fifth of the real 5 per 5 s, as the bot's budget is configured with its 200 ms interval): the real engine
 * and nemo-simulator behind the real JDA against the fake Discord.
 */
class DiscordBusyChannelTest {
    private static final Logger log = LoggerFactory.getLogger(DiscordBusyChannelTest.class);
    private static final String PROMPT = "animate this image into a 5-second video with smooth motion";
    private static final int JOBS = 6;
    private static final String MESSAGES = "/api/v10/channels/" + FakeDiscord.CHANNEL_ID + "/messages";

    private EngineFixture backend;
    private Harness discord;

    @BeforeEach
    void start() throws Exception {
        backend = EngineFixture.start(SimulatorConfig.fast().withRenderTime(Duration.ofSeconds(4))
                .withRenderSpread(Duration.ofSeconds(2)),
                // the production gap between two edits (the test timings' 20 ms would hide how the jobs compete)
                b -> b.timings(EngineFixture.TEST_TIMINGS.withEditGap(Duration.ofSeconds(1))));
        discord = Harness.start(backend.engine(), true, Duration.ofMillis(200),
                fake -> fake.channelLimit(5, Duration.ofSeconds(1)));
    }

    @AfterEach
    void stop() {
        try {
            backend.close();
        } finally {
            discord.close();
        }
    }

    private static boolean video(Call c) {
        return c.method().equals("POST") && c.path().equals(MESSAGES) && !c.files().isEmpty();
    }

    private static boolean percentage(Call c) {
        return c.method().equals("PATCH") && c.content().matches("(?s).*Rendering… \\d+%.*");
    }

    private static java.util.Optional<Call> ready(List<Call> mine) {
        return mine.stream().filter(c -> c.method().equals("PATCH") && c.content().contains("Video ready!")).findFirst();
    }

    private static String messageId(Call c) {
        return c.path().substring(MESSAGES.length() + 1);
    }

    @Test
    void sixRendersInOneChannelEachShowAPercentageAndTheirResultBeforeTheVideoWithNoEditAfterIt() {
        List<User> users = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            users.add(discord.fake.user(String.valueOf(100000000000000100L + i), "user" + i));
        }
        for (User u : users) {
            DataObject image = discord.fake.attachment("sunset.png", "image/png", TestChats.pngBytes(96, 64));
            discord.fake.guildMessage(u, "<@" + FakeDiscord.BOT_ID + "> " + PROMPT, true, List.of(image));
        }
        Poll.until(() -> discord.fake.calls(DiscordBusyChannelTest::video).size() == JOBS, Duration.ofSeconds(90),
                () -> "six videos; calls so far:\n" + discord.fake.describe());

        List<Call> calls = discord.fake.calls();
        // the figures first (they are what issue 18 asks to compare), then the checks
        long worstLagMillis = Long.MIN_VALUE;
        List<String> figures = new ArrayList<>();
        Map<User, List<Call>> byUser = new LinkedHashMap<>();
        for (User u : users) {
            String mention = "<@" + u.id() + ">";
            List<Call> mine = calls.stream().filter(c -> c.path().startsWith(MESSAGES))
                    .filter(c -> c.content() != null && c.content().startsWith(mention)).toList();
            byUser.put(u, mine);
            long sends = mine.stream().filter(c -> c.method().equals("POST")).count();
            long edits = mine.stream().filter(c -> c.method().equals("PATCH")).count();
            long percentages = mine.stream().filter(DiscordBusyChannelTest::percentage).count();
            Call theVideo = mine.stream().filter(DiscordBusyChannelTest::video).findFirst().orElseThrow();
            String lag = ready(mine).map(r -> {
                long ms = (r.atNanos() - theVideo.atNanos()) / 1_000_000;
                return ms >= 0 ? ms + " ms after" : -ms + " ms before";
            }).orElse("never shown, ");
            worstLagMillis = Math.max(worstLagMillis,
                    ready(mine).map(r -> (r.atNanos() - theVideo.atNanos()) / 1_000_000).orElse(Long.MAX_VALUE));
            figures.add(u.name() + ": " + sends + " messages, " + edits + " edits (" + percentages
                    + " with a percentage), \"Video ready!\" " + lag + " the video");
        }
        log.warn("six jobs in one channel: {}; worst lag of \"Video ready!\" after its video {} ms; 429 answers: {}",
                figures, worstLagMillis, discord.fake.rateLimited());

        for (User u : users) {
            List<Call> mine = byUser.get(u);
            assertThat(mine).as("%s's progress shows a percentage while it renders", u.name())
                    .anyMatch(DiscordBusyChannelTest::percentage);
            Call ready = ready(mine).orElseThrow(() -> new AssertionError(u.name() + " was never told \"Video ready!\""));
            Call theVideo = mine.stream().filter(DiscordBusyChannelTest::video).findFirst().orElseThrow();
            String progressId = messageId(ready);
            assertThat(calls).as("%s: no edit of the progress message lands after its result", u.name())
                    .noneMatch(c -> c.method().equals("PATCH") && c.path().equals(MESSAGES + "/" + progressId)
                            && c.atNanos() > ready.atNanos());
            assertThat(ready.atNanos()).as("%s: the result is shown before the video is posted", u.name())
                    .isLessThan(theVideo.atNanos());
        }
        assertThat(discord.fake.rateLimited()).as("the bot keeps to the channel's limit").isLessThanOrEqualTo(2);
    }
}
