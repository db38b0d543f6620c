package dev.nemobot.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.TestChats;
import dev.nemobot.simulator.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Video options on Telegram (issue 21), with the real TelegramBots client against the fake Bot API, the real engine
 * and client against the simulator: flags in a caption, a bad value refused before any backend call, the Options
 * keyboard under the acknowledgement of a picture, and /settings.
 */
class TelegramOptionsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final FakeBotApi.Person ANNA = new FakeBotApi.Person(1001, "Anna", "en");
    private static final FakeBotApi.Chat ANNA_DM = new FakeBotApi.Chat(1001);

    private static List<String> turns(EngineFixture f) {
        return f.simulator().requests().stream().filter(r -> r.path().equals("/run_sse"))
                .map(RecordedRequest::body).map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void flagsInACaptionBecomeTheInstructionAndABadValueIsRefusedBeforeAnyBackendCall() {
        try (EngineFixture f = EngineFixture.start();
             FakeBotApi api = new FakeBotApi();
             Harness bot = Harness.pollingOn(api, f.engine(), 50_000_000)) {
            api.photo(ANNA, ANNA_DM, "a cat --ar 16:9 --quality 4k", TestChats.pngBytes(320, 200));
            FakeBotApi.Call refused = api.await("sendMessage", c -> c.param("text").startsWith("I can't use"), WAIT);
            assertThat(refused.param("text")).isEqualTo("I can't use \"4k\" for --quality. It takes: 540p, 720p, "
                    + "1080p. Nothing was started and no credits were used.");
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(f.simulator().requests()).as("nothing reached the backend").isEmpty();

            api.photo(ANNA, ANNA_DM, "a cat —ar 9:16 --duration 8 --style anime", TestChats.pngBytes(320, 200));
            api.await("sendVideo", c -> true, WAIT);
            assertThat(turns(f)).singleElement().asString().contains("a cat\\nSettings for this video: aspect ratio "
                    + "9:16 (portrait), 8 seconds long, style: anime.");
        }
    }

    @Test
    void theOptionsKeyboardUnderAPicturesAcknowledgementSetsHowTheNextRequestIsMade() {
        try (EngineFixture f = EngineFixture.start();
             FakeBotApi api = new FakeBotApi();
             Harness bot = Harness.pollingOn(api, f.engine(), 50_000_000)) {
            api.photo(ANNA, ANNA_DM, "", TestChats.pngBytes(320, 200));
            FakeBotApi.Call got = api.await("editMessageText", c -> c.param("text").startsWith("Got it"), WAIT);
            assertThat(got.param("reply_markup")).as("an Options button, Anna's")
                    .contains("\"text\":\"Options\"", "\"callback_data\":\"/settings 1001\"");
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();

            api.press(ANNA, ANNA_DM, 555, "/settings 1001");
            FakeBotApi.Call menu = api.await("editMessageReplyMarkup", c -> c.param("reply_markup") != null
                    && c.param("reply_markup").contains("opt 1001 ar"), WAIT);
            assertThat(menu.param("reply_markup")).contains("Aspect ratio", "Duration", "Camera", "Style",
                    "Quality", "opt 1001 camera");
            api.press(ANNA, ANNA_DM, 556, "opt 1001 ar");
            FakeBotApi.Call values = api.await("editMessageReplyMarkup", c -> c.param("reply_markup") != null
                    && c.param("reply_markup").contains("opt 1001 ar 9:16"), WAIT);
            assertThat(values.param("reply_markup")).contains("9:16 (portrait)", "opt 1001 ar default", "« Back");
            // someone else's keyboard: a pop-up, nothing kept
            api.press(new FakeBotApi.Person(2002, "Bo", "en"), ANNA_DM, 557, "opt 1001 ar 1:1");
            api.await("answerCallbackQuery", c -> c.param("text") != null
                    && c.param("text").startsWith("This button belongs"), WAIT);
            api.press(ANNA, ANNA_DM, 558, "opt 1001 ar 9:16");
            FakeBotApi.Call saved = api.await("sendMessage", c -> c.param("text")
                    .startsWith("Saved. Your default video options are now:\nAspect ratio: 9:16 (portrait)\n"), WAIT);
            assertThat(saved.param("reply_markup")).as("the keyboard again, for the next change")
                    .contains("/settings 1001");
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(f.simulator().requests().stream().filter(r -> r.path().equals("/run_sse"))).isEmpty();

            api.text(ANNA, ANNA_DM, "animate it");
            api.await("sendVideo", c -> true, WAIT);
            assertThat(turns(f)).singleElement().asString()
                    .contains("animate it\\nSettings for this video: aspect ratio 9:16 (portrait).");

            api.text(ANNA, ANNA_DM, "/settings");
            FakeBotApi.Call settings = api.await("sendMessage", c -> c.param("text").startsWith("Your default video"),
                    WAIT);
            assertThat(settings.param("text")).contains("Aspect ratio: 9:16 (portrait)\nDuration: default");
            assertThat(settings.param("reply_markup")).contains("/settings 1001");
        }
    }
}
