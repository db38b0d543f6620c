package dev.nemobot.telegram;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.Engine;
import dev.nemobot.core.backend.NemoClient;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.TestChats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code /videos} on Telegram, after a restart: the real TelegramBots client against the fake Bot API, the real engine
 * (its SQLite store in the data directory) and client against the simulator. Anna makes six videos, the bot restarts,
 * she asks for her videos: five on the first page, newest first, each with its Again button and the Older one; Older
 * turns that same message to the second page (an edit, not a new message); Bob pressing her button is refused.
 */
class VideosHistoryTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final FakeBotApi.Person ANNA = new FakeBotApi.Person(1001, "Anna", "en");
    private static final FakeBotApi.Person BOB = new FakeBotApi.Person(1002, "Bob", "en");
    private static final FakeBotApi.Chat ANNA_DM = new FakeBotApi.Chat(1001);
    private static final Pattern DATA = Pattern.compile("\"callback_data\":\"([^\"]*)\"");

    private static List<String> buttons(FakeBotApi.Call call) {
        List<String> data = new ArrayList<>();
        Matcher m = DATA.matcher(call.param("reply_markup"));
        while (m.find()) {
            data.add(m.group(1));
        }
        return data;
    }

    @Test
    void theListAfterARestartPagesByEditingItsMessage() {
        try (EngineFixture a = EngineFixture.start();
             FakeBotApi api = new FakeBotApi()) {
            try (Harness before = Harness.pollingOn(api, a.engine(), 50_000_000)) {
                for (int i = 1; i <= 6; i++) {
                    int n = i;
                    api.photo(ANNA, ANNA_DM, "animate video number " + i, TestChats.pngBytes(320, 200));
                    await().atMost(WAIT).untilAsserted(() -> assertThat(api.calls("sendVideo"))
                            .as(() -> "video " + n + "; " + api.summary()).hasSize(n));
                    assertThat(a.engine().awaitIdle(WAIT)).isTrue();
                }
            }
            a.engine().close(); // the process ends

            try (NemoClient client = NemoClient.builder(a.settings().nemo()).reconnectDelay(Duration.ofMillis(20))
                         .build();
                 Engine restarted = Engine.builder().settings(a.settings()).backend(client)
                         .timings(EngineFixture.TEST_TIMINGS).build();
                 Harness after = Harness.pollingOn(api, restarted, 50_000_000)) {
                api.text(ANNA, ANNA_DM, "/videos");
                FakeBotApi.Call list = api.await("sendMessage", c -> c.param("text").startsWith("Your videos"), WAIT);
                String first = list.param("text");
                assertThat(first).startsWith("Your videos of the last 30 days, newest first (page 1):")
                        .contains("1. Delivered ").contains("“animate video number 6”").contains("5. ")
                        .contains("“animate video number 2”").doesNotContain("video number 1”")
                        .contains("Video: " + a.simulator().baseUrl().toString().replaceAll("/$", ""));
                assertThat(first.indexOf("number 6")).isLessThan(first.indexOf("number 5"));
                List<String> data = buttons(list);
                assertThat(data).hasSize(6);
                assertThat(data.subList(0, 5)).allMatch(d -> d.matches("/again 1001 [a-z0-9]{12}")).doesNotHaveDuplicates();
                assertThat(data.get(5)).isEqualTo("/videos 1001 2");
                assertThat(list.param("reply_markup")).contains("Again #1").contains("Again #5").contains("Older ▶");

                int listId = api.idOfSent(t -> t.startsWith("Your videos"));
                int sent = api.calls("sendMessage").size();
                api.press(ANNA, ANNA_DM, listId, "/videos 1001 2");
                FakeBotApi.Call page2 = api.await("editMessageText", c -> c.param("text").contains("(page 2)"), WAIT);
                assertThat(page2.param("message_id")).isEqualTo(String.valueOf(listId));
                assertThat(page2.param("text")).contains("6. Delivered ").contains("“animate video number 1”")
                        .doesNotContain("number 2”");
                assertThat(buttons(page2)).hasSize(2).last().isEqualTo("/videos 1001 1");
                assertThat(page2.param("reply_markup")).contains("Again #6").contains("◀ Newer");
                api.await("answerCallbackQuery", c -> true, WAIT);

                // someone else's press on Anna's list: a pop-up for Bob, and the list stays as it is
                api.press(BOB, ANNA_DM, listId, "/videos 1001 1");
                FakeBotApi.Call refused = api.await("answerCallbackQuery",
                        c -> c.param("text") != null && c.param("text").contains("belongs to the person who asked"), WAIT);
                assertThat(refused.param("text")).isNotBlank();
                assertThat(restarted.awaitIdle(WAIT)).isTrue();
                assertThat(api.calls("editMessageText"))
                        .filteredOn(c -> c.param("message_id").equals(String.valueOf(listId))).hasSize(1);
                assertThat(api.calls("sendMessage")).as("paging sent no new message").hasSize(sent);
            }
        }
    }
}
