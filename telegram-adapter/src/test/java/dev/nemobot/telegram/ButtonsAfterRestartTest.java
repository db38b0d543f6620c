package dev.nemobot.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nemobot.core.Engine;
import dev.nemobot.core.backend.NemoClient;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.TestChats;
import dev.nemobot.simulator.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The buttons under a delivered video outlive the process: the real TelegramBots client against the fake Bot API,
 * the real engine (its SQLite store in the data directory) and client against the simulator; the bot and its engine
 * are stopped after the video, another pair starts on the same data directory, and Anna presses [Again] under the
 * video she got from the first.
 */
class ButtonsAfterRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ANIMATE = "animate this image into a 5-second video with smooth motion";
    private static final FakeBotApi.Person ANNA = new FakeBotApi.Person(1001, "Anna", "en");
    private static final FakeBotApi.Chat ANNA_DM = new FakeBotApi.Chat(1001);
    private static final Pattern AGAIN = Pattern.compile("\"callback_data\":\"(/again[^\"]*)\"");

    @Test
    void againUnderAVideoFromBeforeARestartMakesANewTakeOfItsRequest() {
        try (EngineFixture a = EngineFixture.start();
             FakeBotApi api = new FakeBotApi()) {
            String again;
            try (Harness before = Harness.pollingOn(api, a.engine(), 50_000_000)) {
                api.photo(ANNA, ANNA_DM, ANIMATE, TestChats.pngBytes(320, 200));
                FakeBotApi.Call video = api.await("sendVideo", c -> true, WAIT);
                assertThat(a.engine().awaitIdle(WAIT)).isTrue();
                Matcher m = AGAIN.matcher(video.param("reply_markup"));
                assertThat(m.find()).as("an Again button under the video").isTrue();
                again = m.group(1);
                assertThat(again).as("its owner, then its result").matches("/again 1001 [a-z0-9]{12}");
            }
            a.engine().close(); // the process ends

            try (NemoClient client = NemoClient.builder(a.settings().nemo()).reconnectDelay(Duration.ofMillis(20))
                         .build();
                 Engine restarted = Engine.builder().settings(a.settings()).backend(client)
                         .timings(EngineFixture.TEST_TIMINGS).build();
                 Harness after = Harness.pollingOn(api, restarted, 50_000_000)) {
                int sentBefore = api.calls("sendMessage").size();
                api.press(ANNA, ANNA_DM, 700, again);
                await().atMost(WAIT)
                        .untilAsserted(() -> assertThat(api.calls("sendVideo").size() == 2)
                                .as(() -> "a new take after the restart; " + api.summary()).isTrue());
                assertThat(restarted.awaitIdle(WAIT)).isTrue();
                List<RecordedRequest> turns = a.simulator().requests().stream()
                        .filter(r -> r.path().equals("/run_sse")).toList();
                assertThat(turns).hasSize(2);
                assertThat(new String(turns.get(1).body(), StandardCharsets.UTF_8)).contains("new take")
                        .contains(ANIMATE);
                // neither said in the chat nor in the press's pop-up: the button found its request
                assertThat(api.calls("sendMessage").subList(sentBefore, api.calls("sendMessage").size()))
                        .noneMatch(c -> c.param("text").contains("request"));
                assertThat(api.calls("answerCallbackQuery"))
                        .noneMatch(c -> c.param("text") != null && c.param("text").contains("request"));
            }
        }
    }
}
