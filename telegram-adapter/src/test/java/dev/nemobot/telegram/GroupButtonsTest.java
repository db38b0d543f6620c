package dev.nemobot.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nemobot.config.AccessSettings;
import dev.nemobot.config.Settings;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.StoreRows;
import dev.nemobot.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two people in one Telegram group, pressing buttons: the real TelegramBots client against the fake Bot API, the
 * real engine against nemo-simulator. A button belongs to whoever asked; what is said about a press (a refusal, a
 * stale button, "slow down", what the press does) is a pop-up for the presser only, after the engine's access and
 * rate checks; every press is answered once. /forget's buttons too: only the asker erases, [Cancel] keeps everything
 * (the SQLite store's tables read directly).
 */
class GroupButtonsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ANIMATE = "animate this image into a 5-second video with smooth motion";
    private static final FakeBotApi.Person ANN = new FakeBotApi.Person(1001, "Ann", "en");
    private static final FakeBotApi.Person BEN = new FakeBotApi.Person(1003, "Ben", "en");
    private static final FakeBotApi.Chat GROUP = new FakeBotApi.Chat(-100777);
    private static final FakeBotApi.Chat ANN_DM = new FakeBotApi.Chat(1001);
    /** Someone else, in a chat of her own: her answer shows that what was sent before was handled. */
    private static final FakeBotApi.Person CAT = new FakeBotApi.Person(1005, "Cat", "en");
    private static final String NOT_YOURS =
            "This button belongs to the person who asked. Send me an image to start your own video.";
    private static final ChatUser ANN_KEY = new ChatUser("telegram", "1001", "Ann", Locale.ENGLISH);
    private static final String STALE = "This button no longer works: send /help to see what I can do now.";

    private EngineFixture fixture;
    private Harness h;

    private void start(UnaryOperator<Settings> settings) {
        fixture = EngineFixture.start(SimulatorConfig.fast(), settings, b -> b);
        h = Harness.start(fixture.engine(), 50_000_000);
    }

    @AfterEach
    void stop() {
        try {
            if (fixture != null) {
                fixture.engine().awaitIdle(WAIT);
            }
            if (h != null) {
                h.close();
            }
        } finally {
            if (fixture != null) {
                fixture.close();
            }
        }
    }

    @Test
    void benPressingAnnsButtonsGetsAPopUpAndNothingReachesTheGroupOrTheBackend() throws Exception {
        start(s -> s);
        JsonNode keyboard = annsVideoKeyboard();
        String again = data(keyboard, "Again");

        int groupBefore = toGroup().size();
        int backendBefore = fixture.simulator().requests().size();
        h.api.press(BEN, GROUP, 501, again, keyboard);
        h.api.press(BEN, GROUP, 502, "/again", keyboard); // a button of the older version, without its owner
        FakeBotApi.Call notYours = answer("cbq-501-1003");
        FakeBotApi.Call stale = answer("cbq-502-1003");
        allHandled();

        assertThat(notYours.param("text")).as("Ben's pop-up for Ann's button").isEqualTo(NOT_YOURS);
        assertThat(stale.param("text")).as("Ben's pop-up for an old button").isEqualTo(STALE);
        assertThat(toGroup()).as("nothing new in the group").hasSize(groupBefore);
        assertThat(h.api.calls("editMessageReplyMarkup")).as("Ann's buttons untouched").isEmpty();
        assertThat(fixture.simulator().requests()).as("no backend call").hasSize(backendBefore);
        assertThat(h.api.calls("answerCallbackQuery")).as("each press answered once").hasSize(2);
    }

    @Test
    void annPressingHerOwnAgainSeesWhatHappensAndTheButtonMarkedUsed() throws Exception {
        start(s -> s);
        JsonNode keyboard = annsVideoKeyboard();

        h.api.press(ANN, GROUP, 600, data(keyboard, "Again"), keyboard);
        FakeBotApi.Call popUp = answer("cbq-600-1001");
        assertThat(popUp.param("text")).isEqualTo("Making another take…");
        FakeBotApi.Call marked = h.api.await("editMessageReplyMarkup", c -> c.param("message_id").equals("600"), WAIT);
        assertThat(marked.param("chat_id")).isEqualTo("-100777");
        assertThat(marked.param("reply_markup")).contains("\"text\":\"✓ Again\"", "\"text\":\"Longer\"");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(h.api.calls("sendVideo").size() == 2)
                        .as(() -> "a second take; " + h.api.summary()).isTrue());
    }

    @Test
    void pressesPastTheRateLimitAreAllAnsweredAndRefusedPrivatelyAtMostOnce() {
        start(s -> s.withLimits(s.limits().withMessagesPerMinute(1)));
        String status = "/status " + ANN.id();
        for (int i = 0; i < 4; i++) {
            h.api.press(ANN, GROUP, 700 + i, status);
        }
        List<FakeBotApi.Call> answers = List.of(answer("cbq-700-1001"), answer("cbq-701-1001"),
                answer("cbq-702-1001"), answer("cbq-703-1001"));
        allHandled();

        assertThat(h.api.calls("answerCallbackQuery")).as("every press answered, once").hasSize(4);
        assertThat(answers.stream().map(c -> c.param("text")).filter(t -> t != null && t.contains("a little fast")))
                .as("one private slow-down").hasSize(1);
        assertThat(answers.stream().filter(c -> c.param("text") == null)).as("then silence").hasSize(2);
        assertThat(toGroup()).as("no refusal in the group").noneMatch(t -> t.contains("a little fast"));
    }

    @Test
    void aDeniedUsersStalePressesGetNoText() {
        start(s -> s.withAccess(new AccessSettings(Set.of(), Set.of("telegram:1003"), Set.of(), Set.of(), Set.of(),
                Set.of())));
        h.api.press(BEN, GROUP, 801, "something-old");
        h.api.press(BEN, GROUP, 802, "/again");
        h.api.press(BEN, GROUP, 803, "/again " + ANN.id());
        List<FakeBotApi.Call> answers = List.of(answer("cbq-801-1003"), answer("cbq-802-1003"),
                answer("cbq-803-1003"));
        allHandled();

        assertThat(answers).extracting(c -> c.param("text")).as("no text for a denied user").containsOnlyNulls();
        assertThat(toGroup()).as("nothing in the group").isEmpty();
    }

    @Test
    void sixOverLongMessagesFromARateLimitedUserGetAtMostTheRateLimitsReplies() {
        start(s -> s.withLimits(s.limits().withMessagesPerMinute(2).withMaxTextChars(100)));
        for (int i = 0; i < 6; i++) {
            h.api.text(ANN, ANN_DM, "make it move ".repeat(20) + i);
        }
        allHandled();

        List<String> toAnn = h.api.calls("sendMessage").stream().filter(c -> c.param("chat_id").equals("1001"))
                .map(c -> c.param("text")).toList();
        assertThat(toAnn).as("two within the rate, told they are too long; then one notice")
                .hasSize(3);
        assertThat(toAnn.stream().filter(t -> t.contains("too long"))).hasSize(2);
        assertThat(toAnn.stream().filter(t -> t.contains("a little fast"))).hasSize(1);
    }

    @Test
    void forgetOnlyTheAskerErasesCancelKeepsEverythingAndTheNextMessageStartsAfresh() throws Exception {
        start(s -> s);
        annsVideoKeyboard();
        Map<String, Long> before = StoreRows.records(fixture.dataDir(), ANN_KEY);
        assertThat(before).containsEntry("identities", 1L).containsEntry("results", 1L);

        h.api.text(ANN, GROUP, "/forget"); // a command the bot answers in a group without its name
        // in a group, an answer names who asked
        FakeBotApi.Call question = h.api.await("sendMessage", c -> c.param("text") != null
                && c.param("text").startsWith("Ann, This erases everything I keep about you"), WAIT);
        JsonNode keyboard = new ObjectMapper().readTree(question.param("reply_markup"));
        String erase = data(keyboard, "Erase everything");
        String keep = data(keyboard, "Cancel");
        assertThat(erase).isEqualTo("/erase 1001");
        assertThat(keep).isEqualTo("/keep 1001");

        h.api.press(BEN, GROUP, 900, erase, keyboard);
        assertThat(answer("cbq-900-1003").param("text")).as("Ben's pop-up").isEqualTo(NOT_YOURS);
        h.api.press(ANN, GROUP, 901, keep, keyboard);
        h.api.await("sendMessage", c -> "Ann, Nothing was erased.".equals(c.param("text")), WAIT);
        allHandled();
        assertThat(StoreRows.records(fixture.dataDir(), ANN_KEY)).as("nothing erased").isEqualTo(before);

        int tokens = tokens();
        h.api.press(ANN, GROUP, 902, erase, keyboard);
        assertThat(answer("cbq-902-1001").param("text")).isEqualTo("Erasing…");
        FakeBotApi.Call done = h.api.await("sendMessage", c -> c.param("text") != null
                && c.param("text").startsWith("Ann, Done. Erased:"), WAIT);
        assertThat(done.param("text")).isEqualTo("Ann, Done. Erased: the link to your NemoVideo account and project, "
                + "the request behind 1 video, 1 render, the ids of your recent messages. "
                + "Your next message starts afresh.");
        assertThat(done.param("chat_id")).isEqualTo("-100777");
        allHandled();
        assertThat(StoreRows.of(fixture.dataDir(), ANN_KEY)).as("nothing of Ann left")
                .allSatisfy((table, n) -> assertThat(n).as(table).isZero());

        h.api.text(ANN, GROUP, "/credits");
        h.api.await("sendMessage", c -> c.param("text") != null
                && c.param("text").startsWith("Ann, Credits: 100 available"), WAIT); // a new account's
        assertThat(tokens()).as("a new anonymous token").isEqualTo(tokens + 1);
        assertThat(StoreRows.of(fixture.dataDir(), ANN_KEY)).containsEntry("identities", 1L)
                .containsEntry("results", 0L);
    }

    // ---------------------------------------------------------------- helpers

    private int tokens() {
        return (int) fixture.simulator().requests().stream()
                .filter(r -> r.path().equals("/api/auth/anonymous-token")).count();
    }

    /** Ann asks for a video in the group: the keyboard under it, once it is delivered. */
    private JsonNode annsVideoKeyboard() throws Exception {
        h.api.photo(ANN, GROUP, "@" + FakeBotApi.BOT_USERNAME + " " + ANIMATE, EndToEndTest.jpeg(320, 200));
        FakeBotApi.Call video = h.api.await("sendVideo", c -> c.param("chat_id").equals("-100777"), WAIT);
        assertThat(fixture.engine().awaitIdle(WAIT)).isTrue();
        return new ObjectMapper().readTree(video.param("reply_markup"));
    }

    private FakeBotApi.Call answer(String callbackId) {
        return h.api.await("answerCallbackQuery", c -> c.param("callback_query_id").equals(callbackId), WAIT);
    }

    /** Everything the group was shown as a message or an edit. */
    private List<String> toGroup() {
        return h.api.calls().stream().filter(c -> List.of("sendmessage", "editmessagetext", "sendvideo")
                        .contains(c.method().toLowerCase(java.util.Locale.ROOT)))
                .filter(c -> "-100777".equals(c.param("chat_id")))
                .map(c -> c.param(c.method().equalsIgnoreCase("sendVideo") ? "caption" : "text")).toList();
    }

    /** Waits until everything sent before was handled: another chat's message answered, the engine idle. */
    private void allHandled() {
        h.api.text(CAT, new FakeBotApi.Chat(1005), "/help");
        h.api.await("sendMessage", c -> c.param("chat_id").equals("1005"), WAIT);
        assertThat(fixture.engine().awaitIdle(WAIT)).isTrue();
    }

    private static String data(JsonNode keyboard, String label) {
        for (JsonNode row : keyboard.get("inline_keyboard")) {
            for (JsonNode button : row) {
                if (button.get("text").asText().equals(label)) {
                    return button.get("callback_data").asText();
                }
            }
        }
        throw new AssertionError("no button " + label + " in " + keyboard);
    }
}
