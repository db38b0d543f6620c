package dev.nemobot.telegram;

import static dev.nemobot.telegram.Harness.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.nemobot.config.Secret;
import dev.nemobot.config.TelegramSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Long polling as an operator sees it: its pace against a server that answers at once, and its log lines. */
class PollingTest {
    private static final FakeBotApi.Person ANNA = new FakeBotApi.Person(1001, "Anna", "en");
    private static final FakeBotApi.Chat ANNA_DM = new FakeBotApi.Chat(1001);

    private final RecordingEngine engine = new RecordingEngine();
    private Harness h;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
        LogCapture.assertNoTokenLogged();
    }

    @Test
    void emptyAnswersThatComeAtOnceArePacedAndAnUpdateStillArrives() {
        // a server that ignores getUpdates' timeout: an empty answer at once, every time
        h = Harness.start(new FakeBotApi(Duration.ZERO), engine, 100_000);
        int polls = 7;
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(h.api.calls("getUpdates").size() >= polls)
                        .as(() -> polls + " getUpdates calls, got " + h.api.calls("getUpdates").size()).isTrue());
        List<FakeBotApi.Call> calls = h.api.calls("getUpdates");
        // from the second early empty answer on, polls start at least PollGuard.PACE apart (before: ~0.3 ms apart)
        Duration span = Duration.ofNanos(calls.get(polls - 1).atNanos() - calls.get(1).atNanos());
        assertThat(span).isGreaterThanOrEqualTo(PollGuard.PACE.multipliedBy(polls - 2).minusMillis(100));

        h.api.text(ANNA, ANNA_DM, "hello");
        engine.await(m -> true, WAIT);
    }

    @Test
    void anOutageLogsOneWarnAndOneInfoWithoutStackTraces() {
        h = Harness.start(engine, 100_000);
        h.api.await("getUpdates", c -> true, WAIT);
        int mark = LogCapture.mark();
        // connections dropped, then server errors: an outage of a few seconds (before: an ERROR with a stack trace
        // for each failed getUpdates)
        h.api.failNext("getUpdates", 3, new FakeBotApi.Failure.Disconnect());
        h.api.failNext("getUpdates", 2, new FakeBotApi.Failure.ServerError());
        h.api.text(ANNA, ANNA_DM, "after the outage");
        engine.await(m -> true, Duration.ofSeconds(30));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(LogCapture.eventsSince(mark).stream().anyMatch(e -> e.message().contains("works again")))
                        .as(() -> "the recovery line; got " + LogCapture.eventsSince(mark)).isTrue());

        List<LogCapture.Event> events = LogCapture.eventsSince(mark).stream()
                .filter(e -> !e.level().equals("DEBUG") && !e.level().equals("TRACE")).toList();
        assertThat(events).as("lines at INFO or above during the outage").hasSize(2);
        assertThat(events.get(0).level()).isEqualTo("WARN");
        assertThat(events.get(0).message()).contains("polling failed");
        assertThat(events.get(1).level()).isEqualTo("INFO");
        assertThat(events.get(1).message()).contains("polling works again after");
        assertThat(LogCapture.eventsSince(mark)).noneMatch(LogCapture.Event::throwable);
        assertThat(engine.platform().connected()).isTrue();
    }

    @Test
    void anUnreadableAnswerIsReportedAsSuchNotAsUnreachable() {
        h = Harness.start(engine, 100_000);
        h.api.await("getUpdates", c -> true, WAIT);
        int mark = LogCapture.mark();
        h.api.failNext("getUpdates", 1, new FakeBotApi.Failure.Garbage(200, "<html>a captive portal</html>"));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(LogCapture.eventsSince(mark).stream().anyMatch(e -> e.message().contains("works again")))
                        .as(() -> "the recovery line; got " + LogCapture.eventsSince(mark)).isTrue());
        assertThat(LogCapture.eventsSince(mark)).filteredOn(e -> e.level().equals("WARN")).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("not a Bot API answer")
                        .doesNotContain("not reachable"));
    }

    @Test
    void aCleanCloseLogsNoErrorNorWarning() {
        h = Harness.start(engine, 100_000);
        // a poll is held open by the fake when the bot closes
        h.api.await("getUpdates", c -> true, WAIT);
        int mark = LogCapture.mark();
        h.close();
        h = null;
        assertThat(LogCapture.eventsSince(mark))
                .noneMatch(e -> e.level().equals("ERROR") || e.level().equals("WARN") || e.throwable());
    }

    @Test
    void aBotApiThatAnswersGarbageAtStartIsNotCalledUnreachable() {
        try (FakeBotApi api = new FakeBotApi()) {
            api.failNext("getMe", 1, new FakeBotApi.Failure.Garbage(502, "<html>Bad Gateway</html>"));
            TelegramSettings settings = new TelegramSettings(Secret.of(FakeBotApi.TOKEN), URI.create(api.url()),
                    100_000);
            assertThatThrownBy(() -> TelegramBot.start(settings, new RecordingEngine()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not a Bot API answer")
                    .hasMessageNotContaining("not reachable");
        }
    }
}
