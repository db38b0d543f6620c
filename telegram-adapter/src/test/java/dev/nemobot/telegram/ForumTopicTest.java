package dev.nemobot.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nemobot.core.testing.EngineFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two people in one forum supergroup, each in their own topic, with the real TelegramBots client, the real engine and
 * nemo-simulator: everything the bot says goes to the topic the request came from and, in the group, quotes it; the
 * video's caption says which request it answers.
 */
class ForumTopicTest {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final String PROMPT = "animate this image into a 5-second video with smooth motion and a slow pan "
            + "over the hills";
    private static final FakeBotApi.Person ANNA = new FakeBotApi.Person(1001, "Anna", "en");
    private static final FakeBotApi.Person BO = new FakeBotApi.Person(1003, "Bo", "en");
    private static final FakeBotApi.Chat GROUP = new FakeBotApi.Chat(-100777);
    private static final int ANNAS_TOPIC = 7;
    private static final int BOS_TOPIC = 9;
    private static final ObjectMapper JSON = new ObjectMapper();

    private EngineFixture fixture;
    private Harness h;

    @BeforeEach
    void start() {
        fixture = EngineFixture.start();
        h = Harness.start(fixture.engine(), 50_000_000);
    }

    @AfterEach
    void stop() {
        try {
            fixture.engine().awaitIdle(WAIT);
            h.close();
        } finally {
            fixture.close();
        }
        LogCapture.assertNoTokenLogged();
    }

    /** A parameter that is a JSON object: an object in a JSON body, a text part in a multipart one. */
    private static JsonNode object(FakeBotApi.Call call, String name) {
        JsonNode n = call.params().get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        try {
            return n.isTextual() ? JSON.readTree(n.asText()) : n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<FakeBotApi.Call> toGroup(String method) {
        return h.api.calls(method).stream().filter(c -> String.valueOf(GROUP.id()).equals(c.param("chat_id"))).toList();
    }

    @Test
    void everyReplyVideoAndIndicatorGoesToTheTopicOfItsRequestAndQuotesIt() {
        int photo = h.api.photo(ANNA, GROUP.inTopic(ANNAS_TOPIC), "@" + FakeBotApi.BOT_USERNAME + " " + PROMPT,
                EndToEndTest.jpeg(320, 200));
        int credits = h.api.text(BO, GROUP.inTopic(BOS_TOPIC), "/credits");
        int annasMessage = h.api.messageIdOf(photo);
        int bosMessage = h.api.messageIdOf(credits);

        FakeBotApi.Call video = h.api.await("sendVideo", c -> true, WAIT);
        // Anna presses Status under a message of the bot's in her topic
        h.api.press(ANNA, GROUP.inTopic(ANNAS_TOPIC), 4242, "/status " + ANNA.id()); // her own button
        FakeBotApi.Call status = h.api.await("sendMessage", c -> c.param("text").contains("Timeline")
                && object(c, "reply_parameters") != null && object(c, "reply_parameters").path("message_id").asInt() == 4242,
                WAIT);
        assertThat(status.param("message_thread_id")).isEqualTo(String.valueOf(ANNAS_TOPIC));
        assertThat(fixture.engine().awaitIdle(WAIT)).isTrue();

        // the video: in Anna's topic, quoting her photo (kept if it is deleted), naming her and her request
        assertThat(video.param("message_thread_id")).isEqualTo(String.valueOf(ANNAS_TOPIC));
        JsonNode quoted = object(video, "reply_parameters");
        assertThat(quoted).as("the video quotes the request").isNotNull();
        assertThat(quoted.path("message_id").asInt()).isEqualTo(annasMessage);
        assertThat(quoted.path("allow_sending_without_reply").asBoolean()).isTrue();
        assertThat(video.param("caption")).startsWith("Anna, “animate this image into a 5-second video with")
                .contains("…”\nHere is your video.");

        // Bo's balance: in his topic, quoting his command
        FakeBotApi.Call balance = toGroup("sendMessage").stream().filter(c -> c.param("text").startsWith("Bo, "))
                .findFirst().orElseThrow();
        assertThat(balance.param("message_thread_id")).isEqualTo(String.valueOf(BOS_TOPIC));
        assertThat(object(balance, "reply_parameters").path("message_id").asInt()).isEqualTo(bosMessage);

        // nothing in the General topic: every message, video and indicator names the topic of the request it answers
        for (String method : List.of("sendMessage", "sendVideo", "sendChatAction")) {
            assertThat(toGroup(method)).as(method).isNotEmpty().allSatisfy(c -> assertThat(c.param("message_thread_id"))
                    .as("%s %s", method, c.param("text"))
                    .isIn(String.valueOf(ANNAS_TOPIC), String.valueOf(BOS_TOPIC)));
        }
        assertThat(toGroup("sendMessage")).filteredOn(c -> c.param("text").startsWith("Anna, "))
                .isNotEmpty().allSatisfy(c -> assertThat(c.param("message_thread_id")).isEqualTo(String.valueOf(ANNAS_TOPIC)));
        assertThat(toGroup("sendMessage")).filteredOn(c -> c.param("text").startsWith("Bo, "))
                .singleElement().satisfies(c -> assertThat(c.param("message_thread_id")).isEqualTo(String.valueOf(BOS_TOPIC)));
        assertThat(toGroup("sendMessage")).as("every first message quotes a request")
                .allSatisfy(c -> assertThat(object(c, "reply_parameters")).isNotNull());
    }
}
