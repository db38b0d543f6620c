package dev.nemobot.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.SentUnconfirmedException;
import dev.nemobot.core.testing.EngineFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Answers that are not the usual Bot API ones, as a proxy, an emulator or a self-hosted server gives them: the log says
 * the HTTP status and what the server said (not "NullPointerException"), never the token; a message the server took
 * but whose answer cannot be read is sent once and is no failure.
 */
class UnexpectedAnswerTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final FakeBotApi.Person ANNA = new FakeBotApi.Person(1001, "Anna", "en");
    private static final FakeBotApi.Chat ANNA_DM = new FakeBotApi.Chat(1001);
    private static final Conversation DM = new Conversation("telegram", "1001", false);
    private static final ChatUser ANNA_USER = new ChatUser("telegram", "1001", "Anna", Locale.ENGLISH);

    @TempDir
    Path dir;
    private EngineFixture fixture;
    private Harness h;

    @AfterEach
    void stop() {
        Harness.close(h, fixture, WAIT);
        LogCapture.assertNoTokenLogged();
    }

    @Test
    void anErrorBodyWithoutOkIsLoggedWithItsStatusAndText() {
        FakeBotApi api = new FakeBotApi();
        api.failNext("setMyCommands", 1, new FakeBotApi.Failure.Garbage(500, "{\"error\":\"upstream connect error\"}"));
        int mark = LogCapture.mark();
        h = Harness.start(api, new RecordingEngine(), 100_000);
        // before: "setMyCommands failed: NullPointerException"
        assertThat(menuWarning(mark)).contains("setMyCommands failed: HTTP 500: upstream connect error")
                .doesNotContain("NullPointerException");
    }

    @Test
    void aProxysErrorPageIsLoggedWithItsStatusAndTitleWithoutTheToken() {
        FakeBotApi api = new FakeBotApi();
        api.failNext("setMyCommands", 1, new FakeBotApi.Failure.Garbage(502, "<html><head><title>502 Bad Gateway: "
                + "/bot" + FakeBotApi.TOKEN + "/setMyCommands</title></head><body><h1>502 Bad Gateway</h1></body></html>"));
        int mark = LogCapture.mark();
        h = Harness.start(api, new RecordingEngine(), 100_000);
        // before: "the answer is not a Bot API answer (JsonParseException at line 1, column 2)"
        assertThat(menuWarning(mark)).contains("setMyCommands failed: HTTP 502: 502 Bad Gateway: /bot<token>/")
                .contains("not a Bot API answer");
        // and the token was not logged: checked after each test
    }

    @Test
    void anErrorAnswerWithoutCodeOrDescriptionSaysTheStatus() {
        FakeBotApi api = new FakeBotApi();
        api.failNext("setMyCommands", 1, new FakeBotApi.Failure.Garbage(403, "{\"ok\":false}"));
        int mark = LogCapture.mark();
        h = Harness.start(api, new RecordingEngine(), 100_000);
        assertThat(menuWarning(mark)).contains("setMyCommands refused: [403] no description");
    }

    @Test
    void aVideoAnsweredWithAnUnexpectedErrorBodyIsLoggedWithItsStatusAndText() throws IOException {
        RecordingEngine engine = new RecordingEngine();
        h = Harness.start(engine, 100_000);
        h.api.failNext("sendVideo", 1, new FakeBotApi.Failure.Garbage(500, "{\"message\":\"Internal error\"}"));
        int mark = LogCapture.mark();
        Path mp4 = Files.write(dir.resolve("v.mp4"), new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p'});
        assertThatThrownBy(() -> engine.platform().sendVideo(DM, ANNA_USER, mp4, "here", List.of()))
                .isInstanceOf(dev.nemobot.core.chat.VideoRejectedException.class);
        // before: "video upload attempt 1 of 3 failed: sendVideo failed: NullPointerException"
        // answered after the upload: not sent again (SelfHostedUploadTest)
        assertThat(LogCapture.eventsSince(mark)).filteredOn(e -> e.level().equals("WARN")).hasSize(1)
                .allSatisfy(e -> assertThat(e.message()).contains("sendvideo failed: HTTP 500: Internal error")
                        .doesNotContain("NullPointerException"));
    }

    @Test
    void aVideoTheServerTookButWhoseAnswerIsUnreadableIsUploadedOnce() throws IOException {
        RecordingEngine engine = new RecordingEngine();
        h = Harness.start(engine, 100_000);
        h.api.failNext("sendVideo", 1, new FakeBotApi.Failure.Garbage(200, "{\"ok\":true,\"result\":\"sent\"}"));
        Path mp4 = Files.write(dir.resolve("v.mp4"), new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p'});
        // before: uploaded three times, then a VideoRejectedException (the engine sent the link as well)
        assertThatThrownBy(() -> engine.platform().sendVideo(DM, ANNA_USER, mp4, "here", List.of()))
                .isInstanceOf(SentUnconfirmedException.class)
                .hasMessageContaining("sendvideo succeeded, but its answer could not be read");
        assertThat(h.api.calls("sendVideo")).hasSize(1);
    }

    @Test
    void aReplyTheServerTookButWhoseAnswerIsUnreadableIsNoFailure() {
        fixture = EngineFixture.start();
        h = Harness.start(fixture.engine(), 50_000_000);
        h.api.failNext("sendMessage", 1, new FakeBotApi.Failure.Garbage(200, "{\"ok\":true,\"result\":\"sent\"}"));
        int mark = LogCapture.mark();
        h.api.text(ANNA, ANNA_DM, "/help");
        h.api.await("sendMessage", c -> c.param("chat_id").equals("1001"), WAIT);
        assertThat(fixture.engine().awaitIdle(WAIT)).isTrue();
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(LogCapture.eventsSince(mark).stream().anyMatch(e -> e.message().contains("was sent")))
                        .as(() -> "the line saying the reply was sent; got " + LogCapture.eventsSince(mark)).isTrue());

        List<LogCapture.Event> events = LogCapture.eventsSince(mark);
        // before: WARN "telegram: sending a reply failed: ... the answer is not a Bot API answer (MismatchedInput...)"
        assertThat(events).filteredOn(e -> e.level().equals("WARN") || e.level().equals("ERROR")).isEmpty();
        assertThat(events).filteredOn(e -> e.message().contains("a reply was sent, but the platform's answer could "
                + "not be read")).singleElement().satisfies(e -> assertThat(e.level()).isEqualTo("INFO"));
        assertThat(h.api.calls("sendMessage")).as("sent once").hasSize(1);
    }

    private static String menuWarning(int mark) {
        return LogCapture.eventsSince(mark).stream()
                .filter(e -> e.level().equals("WARN") && e.message().contains("command menu was not registered"))
                .map(LogCapture.Event::message).findFirst()
                .orElseThrow(() -> new AssertionError("no warning about the command menu; got "
                        + LogCapture.eventsSince(mark)));
    }
}
