package dev.nemobot.app;

import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.RecordingPlatform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The launcher's own logback.xml, in both formats, over a conversation that logs the most: first contact, a
 * generation and its export, a 5xx, a token renewal. Every line in JSON mode is one JSON object with the user's
 * context and nothing secret (no token, no user id); text lines carry the same context as key=value.
 */
class LogFormatTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String USER_ID = "7034459123";
    static final String ANIMATE = "animate this image into a 5-second video with smooth motion";
    private final ObjectMapper json = new ObjectMapper();

    /** The engine's log output, with the app's logback.xml in {@code format}, over a conversation; and the tokens. */
    private record Captured(List<String> lines, List<String> tokens) {
    }

    private Captured converse(String format) throws Exception {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        PrintStream realErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> tokens = new ArrayList<>();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            ctx.reset();
            ctx.putProperty("LOG_FORMAT", format);
            // the console and demo tests of this JVM turn the level down to WARN with a system property
            ctx.putProperty("NEMOBOT_LOG_LEVEL", "INFO");
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(ctx);
            configurator.doConfigure(Main.class.getResource("/logback.xml"));
            try (EngineFixture f = EngineFixture.start()) {
                ChatUser ann = user("telegram", USER_ID, Locale.ENGLISH);
                RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
                Inbox in = f.engine().attach(p);
                f.simulator().faults().failNext("/api/credits", 503, 1);
                in.accept(text(ann, "credits"));
                p.awaitText(t -> t.contains("unavailable right now"), WAIT);
                in.accept(file(ann, ANIMATE, png("photo.png")));
                p.awaitVideo(WAIT);
                assertThat(f.engine().awaitIdle(WAIT)).isTrue();
                f.simulator().faults().expireAllTokens();
                in.accept(text(ann, "/credits"));
                p.awaitText(t -> t.startsWith("Credits:"), WAIT);
                assertThat(f.engine().awaitIdle(WAIT)).isTrue();
                f.simulator().requests().stream().map(r -> r.header("Authorization")).flatMap(Optional::stream)
                        .map(h -> h.replaceFirst("^Bearer ", "")).distinct().forEach(tokens::add);
            }
        } finally {
            System.setErr(realErr);
            ctx.reset();
            new ContextInitializer(ctx).autoConfig();
        }
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        assertThat(tokens).as("the conversation used tokens").hasSizeGreaterThanOrEqualTo(2);
        return new Captured(lines, tokens);
    }

    private static void noSecretIn(Captured c) {
        assertThat(c.lines()).as("the engine logged").hasSizeGreaterThan(5);
        for (String line : c.lines()) {
            assertThat(line).doesNotContain("nmv_usr_").doesNotContainIgnoringCase("bearer ").doesNotContain(USER_ID);
            for (String token : c.tokens()) {
                assertThat(line).doesNotContain(token);
            }
        }
    }

    @Test
    void inJsonModeEveryLineIsAJsonObjectWithTheUsersContextAndNoSecret() throws Exception {
        Captured c = converse("json");
        noSecretIn(c);
        List<JsonNode> events = new ArrayList<>();
        for (String line : c.lines()) {
            JsonNode event;
            try {
                event = json.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
            assertThat(event.isObject()).as(line).isTrue();
            assertThat(event.path("level").asText()).as(line).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
            assertThat(event.path("timestamp").isNumber()).as(line).isTrue();
            assertThat(event.path("loggerName").asText()).as(line).isNotBlank();
            assertThat(event.path("formattedMessage").asText()).as(line).isNotBlank();
            assertThat(event.has("arguments")).as("arguments are left out: " + line).isFalse();
            events.add(event);
        }
        assertThat(events).as("the token renewal was logged, in the user's context")
                .anySatisfy(e -> {
                    assertThat(e.path("formattedMessage").asText()).contains("renewed an expired token");
                    assertThat(e.path("mdc").path("platform").asText()).isEqualTo("telegram");
                    assertThat(e.path("mdc").path("user").asText()).matches("[0-9a-f]{10}");
                });
        assertThat(events).as("the 5xx was logged").anySatisfy(e -> assertThat(e.path("formattedMessage").asText())
                .contains("ServerError"));
    }

    @Test
    void inTextModeLinesCarryTheUsersContextAsKeyValuesAndNoSecret() throws Exception {
        Captured c = converse("text");
        noSecretIn(c);
        assertThat(c.lines()).allSatisfy(l -> assertThat(l).doesNotStartWith("{"));
        assertThat(c.lines()).anySatisfy(l -> assertThat(l).contains(" INFO ").contains("renewed an expired token")
                .contains("platform=telegram").containsPattern("\\[.*user=[0-9a-f]{10}.*\\]"));
        assertThat(c.lines()).as("no empty brackets without a context").noneMatch(l -> l.contains(" [] "));
    }

    @Test
    void anUnknownLogFormatIsAConfigurationError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"--console"}, java.io.InputStream.nullInputStream(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("LOG_FORMAT", "xml"));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("LOG_FORMAT must be text or json");
    }
}
