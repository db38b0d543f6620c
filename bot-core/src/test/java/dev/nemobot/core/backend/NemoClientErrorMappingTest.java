package dev.nemobot.core.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nemobot.config.NemoSettings;
import dev.nemobot.config.Secret;
import dev.nemobot.core.work.Cancellation;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The failure matrix against MockWebServer: every contract code in both error styles (HTTP 200 with a non-zero
 * code, an HTTP error status with the same body), error statuses without JSON, answers that are not JSON, and
 * I/O failures. Each lands on the right {@link NemoException} subclass with a short, token-free message.
 */
class NemoClientErrorMappingTest {
    static final Secret TOKEN = Secret.of("nmv_usr_secretvalue123");

    MockWebServer server;
    NemoClient client;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
        client = NemoClient.builder(NemoSettings.at(URI.create(server.url("/").toString())))
                .callTimeout(Duration.ofSeconds(5)).reconnectDelay(Duration.ZERO).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
    }

    static Stream<Arguments> contractCodes() {
        // code, the status a backend using HTTP errors would send, expected type
        return Stream.of(
                Arguments.of(1001, 401, NemoException.TokenExpired.class),
                Arguments.of(1002, 404, NemoException.SessionNotFound.class),
                Arguments.of(2001, 402, NemoException.NoCredits.class),
                Arguments.of(4001, 415, NemoException.UnsupportedFile.class),
                Arguments.of(4002, 413, NemoException.FileTooLarge.class),
                Arguments.of(400, 400, NemoException.MissingClientId.class),
                Arguments.of(402, 402, NemoException.PlanRequired.class),
                Arguments.of(429, 429, NemoException.RateLimited.class),
                Arguments.of(500, 500, NemoException.ServerError.class),
                Arguments.of(7777, 400, NemoException.BadResponse.class));
    }

    @ParameterizedTest(name = "code {0} with HTTP 200")
    @MethodSource("contractCodes")
    void envelopeCodeUnderHttp200(int code, int ignoredStatus, Class<? extends NemoException> type) {
        server.enqueue(json(200, "{\"code\":" + code + ",\"message\":\"nope\",\"data\":{}}"));
        NemoException e = catchThrowableOfType(type, () -> client.credits(TOKEN));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(code == 500 ? 0 : code);
        assertThat(e.httpStatus()).isEqualTo(200);
        assertThat(e.getMessage()).contains("GET /api/credits/balance/simple").contains("nope");
    }

    @ParameterizedTest(name = "code {0} with HTTP {1}")
    @MethodSource("contractCodes")
    void envelopeCodeUnderHttpErrorStatus(int code, int status, Class<? extends NemoException> type) {
        server.enqueue(json(status, "{\"code\":" + code + ",\"message\":\"nope\",\"data\":{}}"));
        NemoException e = catchThrowableOfType(type, () -> client.createSession(TOKEN, "en"));
        assertThat(e).isNotNull();
        assertThat(e.httpStatus()).isEqualTo(status);
    }

    static Stream<Arguments> bareStatuses() {
        return Stream.of(
                Arguments.of(401, NemoException.TokenExpired.class),
                Arguments.of(402, NemoException.PlanRequired.class),
                Arguments.of(404, NemoException.BadResponse.class),
                Arguments.of(413, NemoException.FileTooLarge.class),
                Arguments.of(415, NemoException.UnsupportedFile.class),
                Arguments.of(429, NemoException.RateLimited.class),
                Arguments.of(500, NemoException.ServerError.class),
                Arguments.of(502, NemoException.ServerError.class),
                Arguments.of(503, NemoException.ServerError.class));
    }

    @ParameterizedTest(name = "HTTP {0} without JSON")
    @MethodSource("bareStatuses")
    void errorStatusWithoutJson(int status, Class<? extends NemoException> type) {
        server.enqueue(new MockResponse.Builder().code(status).addHeader("Content-Type", "text/html")
                .body("<html><body>Bad Gateway " + TOKEN.reveal() + "</body></html>").build());
        NemoException e = catchThrowableOfType(type, () -> client.credits(TOKEN));
        assertThat(e).isNotNull();
        assertThat(e.httpStatus()).isEqualTo(status);
        assertThat(e.code()).isIn(0, 402, 413, 415, 429, 1001, 4001, 4002);
        assertThat(e.getMessage()).doesNotContain("<html").doesNotContain(TOKEN.reveal());
    }

    @Test
    void errorStatusWithEmptyBody() {
        server.enqueue(new MockResponse.Builder().code(503).build());
        assertThatThrownBy(() -> client.credits(TOKEN)).isInstanceOf(NemoException.ServerError.class);
    }

    @Test
    void httpErrorWithJsonCodeZeroFallsBackToTheStatus() {
        server.enqueue(json(503, "{\"code\":0,\"message\":\"maintenance\"}"));
        assertThatThrownBy(() -> client.credits(TOKEN)).isInstanceOf(NemoException.ServerError.class)
                .hasMessageContaining("maintenance");
    }

    @Test
    void nonJsonUnderHttp200IsABadResponse() {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
                .body("<html>welcome</html>").build());
        NemoException e = catchThrowableOfType(NemoException.BadResponse.class, () -> client.credits(TOKEN));
        assertThat(e.getMessage()).contains("not a JSON object").doesNotContain("welcome");
    }

    @Test
    void emptyOrNonObjectJsonUnderHttp200IsABadResponse() {
        server.enqueue(new MockResponse.Builder().code(200).build());
        server.enqueue(json(200, "[1,2,3]"));
        server.enqueue(json(200, "{\"code\":0,\"data\":{\"nothing\":true}}"));
        assertThatThrownBy(() -> client.credits(TOKEN)).isInstanceOf(NemoException.BadResponse.class);
        assertThatThrownBy(() -> client.credits(TOKEN)).isInstanceOf(NemoException.BadResponse.class);
        assertThatThrownBy(() -> client.credits(TOKEN)).isInstanceOf(NemoException.BadResponse.class)
                .hasMessageContaining("data.available");
    }

    @Test
    void noCreditsCarriesTheBindId() {
        server.enqueue(json(200, "{\"code\":2001,\"message\":\"no credits\",\"data\":{\"bind_id\":\"b-42\"}}"));
        server.enqueue(json(402, "{\"code\":2001,\"message\":\"no credits\"}"));
        NemoException.NoCredits withId = catchThrowableOfType(NemoException.NoCredits.class,
                () -> client.createSession(TOKEN, "en"));
        assertThat(withId.bindId()).contains("b-42");
        NemoException.NoCredits without = catchThrowableOfType(NemoException.NoCredits.class,
                () -> client.createSession(TOKEN, "en"));
        assertThat(without.bindId()).isEmpty();
    }

    @Test
    void rateLimitedCarriesRetryAfterWhenGiven() {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "30").build());
        server.enqueue(json(200, "{\"code\":429,\"message\":\"slow down\"}"));
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")
                .build());
        assertThat(catchThrowableOfType(NemoException.RateLimited.class, () -> client.credits(TOKEN)).retryAfter())
                .contains(Duration.ofSeconds(30));
        assertThat(catchThrowableOfType(NemoException.RateLimited.class, () -> client.credits(TOKEN)).retryAfter())
                .isEmpty();
        assertThat(catchThrowableOfType(NemoException.RateLimited.class, () -> client.credits(TOKEN)).retryAfter())
                .contains(Duration.ZERO);
    }

    @Test
    void backendMessageIsClippedAndRedacted() {
        String longMessage = "token " + TOKEN.reveal() + " rejected, Bearer abc.def " + "x".repeat(10_000);
        server.enqueue(json(200, "{\"code\":1001,\"message\":\"" + longMessage + "\"}"));
        NemoException e = catchThrowableOfType(NemoException.TokenExpired.class, () -> client.credits(TOKEN));
        assertThat(e.getMessage()).doesNotContain(TOKEN.reveal()).doesNotContain("abc.def")
                .hasSizeLessThan(NemoErrors.MAX_BACKEND_MESSAGE_CHARS + 100);
    }

    @Test
    void aTooLargeAnswerIsRefusedWithoutReadingItAll() {
        server.enqueue(json(200, "{\"code\":0,\"data\":{\"pad\":\"" + "x".repeat((int) NemoClient.MAX_JSON_BYTES)
                + "\"}}"));
        assertThatThrownBy(() -> client.credits(TOKEN)).isInstanceOf(NemoException.BadResponse.class)
                .hasMessageContaining("larger than");
    }

    @Test
    void connectionRefusedIsANetworkFailure() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (NemoClient c = NemoClient.create(NemoSettings.at(URI.create("http://127.0.0.1:" + closedPort)))) {
            NemoException e = catchThrowableOfType(NemoException.Network.class, () -> c.credits(TOKEN));
            assertThat(e.httpStatus()).isZero();
            assertThat(e.getCause()).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aConnectionClosedBeforeTheAnswerIsANetworkFailure() {
        // a read is sent once more after a broken connection (NemoClientStaleConnectionTest): both attempts fail here
        for (int i = 0; i < 2; i++) {
            server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
        }
        assertThatThrownBy(() -> client.credits(TOKEN)).isInstanceOf(NemoException.Network.class);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void noAnswerInTimeIsATimeout() {
        try (NemoClient impatient = NemoClient.builder(NemoSettings.at(URI.create(server.url("/").toString())))
                .callTimeout(Duration.ofMillis(200)).build()) {
            server.enqueue(json(200, "{\"code\":0,\"data\":{\"available\":1}}").newBuilder()
                    .headersDelay(5, TimeUnit.SECONDS).build());
            assertThatThrownBy(() -> impatient.credits(TOKEN)).isInstanceOf(NemoException.Timeout.class);
        }
    }

    @Test
    void runSseAnsweredWithJsonThrowsTheMappedError() {
        server.enqueue(json(200, "{\"code\":2001,\"message\":\"no credits\",\"data\":{\"bind_id\":\"b-1\"}}"));
        server.enqueue(json(402, "{\"code\":2001,\"message\":\"no credits\",\"data\":{\"bind_id\":\"b-2\"}}"));
        server.enqueue(json(200, "{\"code\":0,\"data\":{}}"));
        Function<Integer, NemoException.NoCredits> turn = n -> catchThrowableOfType(NemoException.NoCredits.class,
                () -> client.runTurn(TOKEN, "s1", "animate", new RecordingListener(), new Cancellation()));
        assertThat(turn.apply(1).bindId()).contains("b-1");
        assertThat(turn.apply(2).bindId()).contains("b-2");
        assertThatThrownBy(() -> client.runTurn(TOKEN, "s1", "hi", new RecordingListener(), new Cancellation()))
                .isInstanceOf(NemoException.BadResponse.class).hasMessageContaining("event stream");
    }

    @Test
    void everyRequestCarriesTheHeadersOfTheContract() throws InterruptedException {
        server.enqueue(json(200, "{\"code\":0,\"data\":{\"token\":\"nmv_usr_new\",\"credits\":100}}"));
        server.enqueue(json(200, "{\"code\":0,\"data\":{\"available\":90,\"frozen\":10,\"total\":100}}"));
        TokenGrant grant = client.anonymousToken("client-1");
        assertThat(grant.token().reveal()).isEqualTo("nmv_usr_new");
        assertThat(grant.credits()).isEqualTo(100);
        assertThat(client.credits(TOKEN)).isEqualTo(new Credits(90, 10, 100));

        RecordedRequest anonymous = server.takeRequest();
        assertThat(anonymous.getMethod()).isEqualTo("POST");
        assertThat(anonymous.getUrl().encodedPath()).isEqualTo("/api/auth/anonymous-token");
        assertThat(anonymous.getHeaders().get("X-Client-Id")).isEqualTo("client-1");
        assertThat(anonymous.getHeaders().get("Authorization")).isNull();
        assertThat(anonymous.getHeaders().get("X-Skill-Source")).isEqualTo("pixverse-ai-image-to-video");

        RecordedRequest credits = server.takeRequest();
        assertThat(credits.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN.reveal());
        assertThat(credits.getHeaders().get("X-Skill-Source")).isEqualTo("pixverse-ai-image-to-video");
        assertThat(credits.getHeaders().get("X-Skill-Version")).isEqualTo("1.0.0");
        assertThat(credits.getHeaders().get("X-Skill-Platform")).isEqualTo("unknown");
        assertThat(credits.getHeaders().get("X-Client-Id")).isNull();
    }
}
