package dev.nemobot.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nemobot.core.testing.EngineFixture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Update ids that start over while the bot polls: a self-hosted Bot API server whose data was wiped counts again from
 * 1, and Telegram picks a random id after a week without updates. The real TelegramBots poller, the real engine (its
 * store-level de-duplication included) against the fake Bot API, which answers an offset beyond its newest update
 * from its oldest one, as Telegram's server does.
 */
class UpdateIdResetTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** Polls a second at most after a reset: the fake holds an empty poll 500 ms, so about 2 are expected. */
    private static final double MAX_POLLS_PER_SECOND = 8;
    private static final FakeBotApi.Person ANNA = new FakeBotApi.Person(1001, "Anna", "en");
    private static final FakeBotApi.Person BO = new FakeBotApi.Person(1003, "Bo", "en");
    private static final FakeBotApi.Person LI = new FakeBotApi.Person(1002, "Li", "en");
    private static final FakeBotApi.Chat ANNA_DM = new FakeBotApi.Chat(1001);
    private static final FakeBotApi.Chat BO_DM = new FakeBotApi.Chat(1003);
    private static final FakeBotApi.Chat LI_DM = new FakeBotApi.Chat(1002);

    private EngineFixture fixture;
    private Harness h;

    @AfterEach
    void stop() {
        Harness.close(h, fixture, WAIT);
        LogCapture.assertNoTokenLogged();
    }

    @Test
    void idsThatStartOverFromOneAreAnsweredWithOneWarningAndNoPollStorm() {
        FakeBotApi api = new FakeBotApi();
        api.restartUpdateIds(1); // a self-hosted server, counting from 1
        start(api);
        answered(List.of(ANNA, BO, LI), List.of(ANNA_DM, BO_DM, LI_DM)); // updates 1, 2 and 3

        // its data folder wiped: ids 1 and 2 again, for new messages (1 and 2 were handled minutes ago)
        h.api.restartUpdateIds(1);
        afterTheReset(List.of(ANNA, BO), List.of(ANNA_DM, BO_DM));
    }

    @Test
    void idsThatJumpDownToARandomValueAreAnsweredWithOneWarningAndNoPollStorm() {
        start(new FakeBotApi());
        answered(List.of(ANNA, BO), List.of(ANNA_DM, BO_DM)); // updates 5000 and 5001

        // a week without updates: the next id is random, here below the last one
        int next = ThreadLocalRandom.current().nextInt(1, 4_990);
        h.api.restartUpdateIds(next);
        afterTheReset(List.of(LI, ANNA), List.of(LI_DM, ANNA_DM));
    }

    @Test
    void aServerThatKeepsAnsweringBelowTheOffsetIsPolledSlowlyAndEachUpdateHandledOnce() {
        start(new FakeBotApi());
        answered(List.of(ANNA, BO), List.of(ANNA_DM, BO_DM));
        // from now on every getUpdates is answered with every update since the reset, whatever its offset
        h.api.ignoreOffset();
        h.api.restartUpdateIds(1);
        afterTheReset(List.of(LI, ANNA), List.of(LI_DM, ANNA_DM));
        int polls = h.api.calls("getUpdates").size();
        await("4 more polls").atMost(WAIT).until(() -> h.api.calls("getUpdates").size() >= polls + 4);
        assertThat(h.api.calls("sendMessage")).as("each update answered once though it came again and again")
                .hasSize(4);
    }

    private void start(FakeBotApi api) {
        fixture = EngineFixture.start();
        h = Harness.start(api, fixture.engine(), 50_000_000);
    }

    /** Each person sends /help in their chat; waits for every answer. */
    private void answered(List<FakeBotApi.Person> who, List<FakeBotApi.Chat> where) {
        int before = h.api.calls("sendMessage").size();
        for (int i = 0; i < who.size(); i++) {
            h.api.text(who.get(i), where.get(i), "/help");
        }
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(h.api.calls("sendMessage").size() >= before + who.size())
                        .as(() -> who.size() + " answers; calls: " + h.api.summary()).isTrue());
        assertThat(fixture.engine().awaitIdle(WAIT)).isTrue();
    }

    /**
     * The new messages after ids started over are answered; polls stay few (counted by the fake), and one WARN
     * says what happened.
     */
    private void afterTheReset(List<FakeBotApi.Person> who, List<FakeBotApi.Chat> where) {
        int mark = LogCapture.mark();
        int answersBefore = h.api.calls("sendMessage").size();
        long since = System.nanoTime();
        int pollsBefore = h.api.calls("getUpdates").size();
        for (int i = 0; i < who.size(); i++) {
            h.api.text(who.get(i), where.get(i), "/help");
        }
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(h.api.calls("sendMessage").size() >= answersBefore + who.size())
                        .as(() -> who.size() + " answers after the reset; " + pollRate(since, pollsBefore)).isTrue());
        for (int i = 0; i < who.size(); i++) {
            String chat = String.valueOf(where.get(i).id());
            assertThat(h.api.calls("sendMessage").subList(answersBefore, h.api.calls("sendMessage").size()))
                    .as("an answer in chat " + chat).anyMatch(c -> c.param("chat_id").equals(chat));
        }
        // a few more polls, so that a storm would show
        int polls = h.api.calls("getUpdates").size();
        await("3 more polls").atMost(WAIT).until(() -> h.api.calls("getUpdates").size() >= polls + 3);
        List<FakeBotApi.Call> calls = h.api.calls("getUpdates");
        List<FakeBotApi.Call> after = calls.subList(pollsBefore, calls.size());
        double seconds = (after.getLast().atNanos() - since) / 1e9;
        assertThat(after.size() / seconds).as(pollRate(since, pollsBefore)).isLessThanOrEqualTo(MAX_POLLS_PER_SECOND);

        List<LogCapture.Event> warnings = LogCapture.eventsSince(mark).stream()
                .filter(e -> e.level().equals("WARN") || e.level().equals("ERROR")).toList();
        assertThat(warnings).as("WARN and ERROR lines since the reset").singleElement().satisfies(e -> {
            assertThat(e.logger()).endsWith("PollGuard");
            assertThat(e.message()).contains("update ids started over");
        });
        assertThat(LogCapture.eventsSince(mark)).noneMatch(e -> e.message().contains("was handled already"));
    }

    private String pollRate(long since, int pollsBefore) {
        List<FakeBotApi.Call> calls = h.api.calls("getUpdates");
        int n = calls.size() - pollsBefore;
        double seconds = (calls.getLast().atNanos() - since) / 1e9;
        return String.format(java.util.Locale.ROOT, "%d getUpdates in %.2f s (%.0f a second)", n, seconds,
                n / Math.max(seconds, 1e-3));
    }
}
