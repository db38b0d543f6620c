package dev.nemobot.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.TestChats;
import dev.nemobot.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Six people render at once in one group whose messages and edits Telegram limits (the fake answers 429 past 20 per
 * 3 s, Telegram's 20 a minute with the bot's budget interval shrunk to 50 ms): the real engine and nemo-simulator
 * behind the real TelegramBots client against the fake Bot API.
 */
class BusyGroupTest {
    private static final Logger log = LoggerFactory.getLogger(BusyGroupTest.class);
    private static final FakeBotApi.Chat GROUP = new FakeBotApi.Chat(-100777);
    private static final String ANIMATE = "animate this image into a 5-second video with smooth motion";
    private static final int JOBS = 6;

    private EngineFixture fixture;
    private Harness h;

    @AfterEach
    void stop() {
        try {
            if (h != null) {
                h.close();
            }
        } finally {
            if (fixture != null) {
                fixture.close();
            }
        }
    }

    private static boolean inGroup(FakeBotApi.Call c) {
        return c.params() != null && c.params().path("chat_id").asText("").equals(String.valueOf(GROUP.id()));
    }

    private static List<FakeBotApi.Call> edits(List<FakeBotApi.Call> calls, String mention) {
        return calls.stream().filter(c -> c.method().equals("editmessagetext") && c.param("text") != null
                && c.param("text").startsWith(mention)).toList();
    }

    private static FakeBotApi.Call video(List<FakeBotApi.Call> calls, String mention) {
        return calls.stream().filter(c -> c.method().equals("sendvideo") && c.param("caption") != null
                && c.param("caption").startsWith(mention)).findFirst().orElseThrow();
    }

    private static boolean percentage(FakeBotApi.Call c) {
        return c.param("text").matches("(?s).*Rendering… \\d+%.*");
    }

    private static java.util.Optional<FakeBotApi.Call> ready(List<FakeBotApi.Call> edits) {
        return edits.stream().filter(c -> c.param("text").contains("Video ready!")).findFirst();
    }

    @Test
    void sixRendersInOneGroupEachShowAPercentageAndTheirResultBeforeTheVideoWithNoEditAfterIt() {
        fixture = EngineFixture.start(SimulatorConfig.fast().withRenderTime(Duration.ofSeconds(4))
                .withRenderSpread(Duration.ofSeconds(2)),
                // the production gap between two edits (the test timings' 20 ms would hide how the jobs compete)
                b -> b.timings(EngineFixture.TEST_TIMINGS.withEditGap(Duration.ofSeconds(1))));
        FakeBotApi api = new FakeBotApi();
        api.groupLimit(20, Duration.ofSeconds(3));
        h = Harness.start(api, fixture.engine(), 50_000_000, Duration.ofMillis(50));
        List<FakeBotApi.Person> people = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            people.add(new FakeBotApi.Person(2001 + i, "Member" + i, "en"));
        }
        for (FakeBotApi.Person p : people) {
            api.photo(p, GROUP, "@" + FakeBotApi.BOT_USERNAME + " " + ANIMATE, TestChats.pngBytes(96, 64));
        }
        Eventually.until(() -> api.calls("sendVideo").stream().filter(BusyGroupTest::inGroup).count() == JOBS,
                Duration.ofSeconds(60), () -> "six videos; calls:\n" + api.summary());

        List<FakeBotApi.Call> calls = api.calls().stream().filter(BusyGroupTest::inGroup).toList();
        // the figures first (they are what issue 18 asks to compare), then the checks
        long worstLagMillis = Long.MIN_VALUE;
        List<String> figures = new ArrayList<>();
        for (FakeBotApi.Person p : people) {
            String mention = p.firstName() + ", ";
            List<FakeBotApi.Call> edits = edits(calls, mention);
            long sends = calls.stream().filter(c -> c.method().equals("sendmessage")
                    && c.param("text") != null && c.param("text").startsWith(mention)).count();
            FakeBotApi.Call video = video(calls, mention);
            long percentages = edits.stream().filter(BusyGroupTest::percentage).count();
            java.util.Optional<FakeBotApi.Call> ready = ready(edits);
            long lag = ready.map(r -> (r.atNanos() - video.atNanos()) / 1_000_000).orElse(Long.MAX_VALUE);
            worstLagMillis = Math.max(worstLagMillis, lag);
            figures.add(p.firstName() + ": " + (sends + 1) + " messages, " + edits.size() + " edits (" + percentages
                    + " with a percentage), \"Video ready!\" " + (ready.isEmpty() ? "never shown"
                    : lag >= 0 ? lag + " ms after the video" : -lag + " ms before the video"));
        }
        log.warn("six jobs in one group: {}; worst lag of \"Video ready!\" after its video {} ms; 429 answers: {}",
                figures, worstLagMillis, api.groupLimited());

        for (FakeBotApi.Person p : people) {
            String mention = p.firstName() + ", ";
            List<FakeBotApi.Call> edits = edits(calls, mention);
            assertThat(edits).as("%s's progress shows a percentage while it renders", p.firstName())
                    .anyMatch(BusyGroupTest::percentage);
            FakeBotApi.Call ready = ready(edits)
                    .orElseThrow(() -> new AssertionError(p.firstName() + " was never told \"Video ready!\""));
            String progressId = ready.param("message_id");
            assertThat(edits).as("%s: no edit of the progress message lands after its result", p.firstName())
                    .noneMatch(c -> c.param("message_id").equals(progressId) && c.atNanos() > ready.atNanos());
            assertThat(ready.atNanos()).as("%s: the result is shown before the video", p.firstName())
                    .isLessThan(video(calls, mention).atNanos());
        }
        assertThat(api.groupLimited()).as("the bot keeps to the group's limit").isLessThanOrEqualTo(2);
    }
}
