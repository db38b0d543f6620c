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

    /**
     * The job's result in its progress message: a "Video ready!" beside the video, or (since issue 18 point 5) the
     * progress message deleted once the video is there.
     */
    private static java.util.Optional<FakeBotApi.Call> ready(List<FakeBotApi.Call> calls, List<FakeBotApi.Call> edits) {
        List<String> progressIds = edits.stream().filter(c -> c.param("text").contains("Rendering"))
                .map(c -> c.param("message_id")).distinct().toList();
        return calls.stream().filter(c -> c.method().equals("editmessagetext") && edits.contains(c)
                        && c.param("text").contains("Video ready!")
                        || c.method().equals("deletemessage") && progressIds.contains(c.param("message_id")))
                .findFirst();
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
        assertThat(fixture.engine().awaitIdle(Duration.ofSeconds(30))).as("every job ended").isTrue();

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
            java.util.Optional<FakeBotApi.Call> ready = ready(calls, edits);
            long lag = ready.map(r -> (r.atNanos() - video.atNanos()) / 1_000_000).orElse(Long.MAX_VALUE);
            worstLagMillis = Math.max(worstLagMillis, lag);
            figures.add(p.firstName() + ": " + (sends + 1) + " messages sent, " + edits.size() + " edits (" + percentages
                    + " with a percentage), its result " + (ready.isEmpty() ? "never shown"
                    : lag >= 0 ? lag + " ms after the video" : -lag + " ms before the video"));
        }
        log.warn("six jobs in one group: {}; worst lag of a result after its video {} ms; 429 answers: {}",
                figures, worstLagMillis, api.groupLimited());

        for (FakeBotApi.Person p : people) {
            String mention = p.firstName() + ", ";
            List<FakeBotApi.Call> edits = edits(calls, mention);
            assertThat(edits).as("%s's progress shows a percentage while it renders", p.firstName())
                    .anyMatch(BusyGroupTest::percentage);
            FakeBotApi.Call ready = ready(calls, edits)
                    .orElseThrow(() -> new AssertionError(p.firstName() + " was never shown a result"));
            String progressId = ready.param("message_id");
            assertThat(edits).as("%s: no edit of the progress message lands after its result", p.firstName())
                    .noneMatch(c -> c.param("message_id").equals(progressId) && c.atNanos() > ready.atNanos());
            assertThat(edits).as("%s: no edit of the progress message lands after the video", p.firstName())
                    .noneMatch(c -> c.param("message_id").equals(progressId)
                            && c.atNanos() > video(calls, mention).atNanos());
        }
        assertThat(api.groupLimited()).as("the bot keeps to the group's limit").isLessThanOrEqualTo(2);
    }
}
