package dev.nemobot.telegram;

import static dev.nemobot.telegram.Harness.WAIT;
import static dev.nemobot.telegram.Harness.WEBHOOK_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nemobot.config.Secret;
import dev.nemobot.config.TelegramSettings;
import dev.nemobot.core.chat.Incoming;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Webhook mode: the real bot's webhook server on 127.0.0.1 takes the fake Bot API's deliveries (as a load balancer
 * would forward Telegram's) into the same intake as polling. Every delivery is handed to the engine before it is
 * answered, so a test can check what arrived as soon as the answer is in.
 */
class WebhookTest {
    private static final FakeBotApi.Person ANNA = new FakeBotApi.Person(1001, "Anna", "en");
    private static final FakeBotApi.Person LI = new FakeBotApi.Person(1002, "Li", "zh-hans");
    private static final FakeBotApi.Chat ANNA_DM = new FakeBotApi.Chat(1001);
    private static final FakeBotApi.Chat GROUP = new FakeBotApi.Chat(-100777);

    private final RecordingEngine engine = new RecordingEngine();
    private Harness h;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
        LogCapture.assertNoTokenLogged();
        LogCapture.assertNotLogged(WEBHOOK_SECRET);
    }

    @Test
    void startRegistersTheUrlSecretAndUpdateKindsAndNeverPolls() {
        h = Harness.webhook(engine, 50_000_000, true);
        assertThat(h.bot.webhookAddress()).get().satisfies(a -> {
            assertThat(a.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(a.getPort()).isPositive();
        });
        assertThat(h.api.setWebhooks()).containsExactly(new FakeBotApi.SetWebhook(Harness.PUBLIC_WEBHOOK.toString(),
                WEBHOOK_SECRET, List.of("message", "callback_query"), null, false));
        assertThat(h.api.calls("getMe")).hasSize(1);
        assertThat(h.api.calls("setMyCommands")).as("one menu per language").hasSize(9);

        h.api.text(ANNA, ANNA_DM, "hello");
        assertThat(h.api.pushes()).extracting(FakeBotApi.Push::status).containsExactly(200);
        assertThat(h.api.calls("deleteWebhook")).as("deleteWebhook is for polling only").isEmpty();
        assertThat(h.api.calls("getUpdates")).isEmpty();
    }

    @Test
    void aDeliveryIsHandedToTheEngineBeforeItIsAnswered() {
        h = Harness.webhook(engine, 50_000_000, true);
        int update = h.api.text(ANNA, ANNA_DM, "animate this image into a 5-second video");
        assertThat(h.api.pushes()).containsExactly(new FakeBotApi.Push(update, 200));

        // no waiting: the answer came after the hand-over
        assertThat(engine.received()).hasSize(1);
        Incoming m = engine.received().getFirst();
        assertThat(m.messageId()).isEqualTo("message:1001:" + h.api.messageIdOf(update));
        assertThat(m.text()).isEqualTo("animate this image into a 5-second video");
        assertThat(m.user().id()).isEqualTo("1001");
        assertThat(m.user().locale()).isEqualTo(Locale.ENGLISH);
        assertThat(m.conversation().group()).isFalse();
        assertThat(engine.threads()).doesNotContain("telegram-poll");
    }

    @Test
    void aWrongSecretIs401AndNothingReachesTheEngine() {
        h = Harness.webhook(engine, 50_000_000, true);
        String wrong = "not_the_webhook_secret";
        int id = h.api.textUpdate(ANNA, ANNA_DM, "animate this");
        assertThat(h.api.post(h.webhookEndpoint(), wrong, json(h, id))).isEqualTo(401);
        assertThat(engine.received()).isEmpty();
        assertThat(LogCapture.lines()).anyMatch(l -> l.contains("with a wrong value of the secret token"));
        LogCapture.assertNotLogged(wrong);

        // the same update with the right secret is still taken: a refused one is not marked as seen
        assertThat(h.api.post(h.webhookEndpoint(), WEBHOOK_SECRET, json(h, id))).isEqualTo(200);
        assertThat(engine.received()).extracting(Incoming::messageId)
                .containsExactly("message:1001:" + h.api.messageIdOf(id));
    }

    @Test
    void aMissingSecretIs401() {
        h = Harness.webhook(engine, 50_000_000, true);
        int id = h.api.textUpdate(ANNA, ANNA_DM, "/credits");
        assertThat(h.api.post(h.webhookEndpoint(), null, json(h, id))).isEqualTo(401);
        assertThat(engine.received()).isEmpty();
        assertThat(LogCapture.lines()).anyMatch(l -> l.contains("without the secret token"));
    }

    @Test
    void theSameUpdateDeliveredTwiceIsHandledOnce() {
        h = Harness.webhook(engine, 50_000_000, true);
        int id = h.api.duplicated(ANNA, ANNA_DM, "only once");
        h.api.text(ANNA, ANNA_DM, "next");
        assertThat(h.api.pushes()).extracting(FakeBotApi.Push::status).containsExactly(200, 200, 200);
        assertThat(h.api.pushes()).extracting(FakeBotApi.Push::updateId).containsExactly(id, id, id + 1);
        assertThat(engine.received()).extracting(Incoming::messageId)
                .containsExactly("message:1001:" + h.api.messageIdOf(id), "message:1001:" + h.api.messageIdOf(id + 1));
    }

    @Test
    void aMalformedBodyIs400AndTheNextUpdateStillWorks() {
        h = Harness.webhook(engine, 50_000_000, true);
        URI hook = h.webhookEndpoint();
        assertThat(h.api.post(hook, WEBHOOK_SECRET, "{\"update_id\": 12, \"message\": {broken-body-text"
                .getBytes(StandardCharsets.UTF_8))).isEqualTo(400);
        assertThat(h.api.post(hook, WEBHOOK_SECRET, "{}".getBytes(StandardCharsets.UTF_8))).as("no update_id")
                .isEqualTo(400);
        assertThat(h.api.post(hook, WEBHOOK_SECRET, new byte[0])).isEqualTo(400);
        assertThat(LogCapture.lines()).anyMatch(l -> l.contains("webhook body is not an update"));
        LogCapture.assertNotLogged("broken-body-text");

        h.api.text(ANNA, ANNA_DM, "still there?");
        assertThat(engine.received()).extracting(Incoming::text).containsExactly("still there?");
    }

    @Test
    void anUnknownFieldFromANewerBotApiIsNoError() {
        h = Harness.webhook(engine, 50_000_000, true);
        int id = h.api.textUpdate(ANNA, ANNA_DM, "hi");
        String withExtra = h.api.updateJson(id).replaceFirst("\\{", "{\"some_future_field\":{\"x\":1},");
        assertThat(h.api.post(h.webhookEndpoint(), WEBHOOK_SECRET, withExtra.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(200);
        assertThat(engine.received()).extracting(Incoming::text).containsExactly("hi");
    }

    @Test
    void aBodyOver1MbIs413WhetherDeclaredOrStreamed() throws Exception {
        h = Harness.webhook(engine, 50_000_000, true);
        URI hook = h.webhookEndpoint();
        // declared: refused on the header alone, before any of the body is read
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), hook.getPort())) {
            s.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(("POST " + hook.getRawPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "X-Telegram-Bot-Api-Secret-Token: " + WEBHOOK_SECRET + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 5000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(statusLine(s.getInputStream())).startsWith("HTTP/1.1 413");
        }
        // streamed (chunked, no length): refused once the reader passes 1 MB
        byte[] big = new byte[WebhookServer.MAX_BODY + 100];
        java.util.Arrays.fill(big, (byte) ' ');
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpRequest r = HttpRequest.newBuilder(hook).header("X-Telegram-Bot-Api-Secret-Token", WEBHOOK_SECRET)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
            assertThat(client.send(r, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(413);
        }
        // exactly 1 MB is not too large (all spaces: then it is not an update)
        byte[] limit = new byte[WebhookServer.MAX_BODY];
        java.util.Arrays.fill(limit, (byte) ' ');
        assertThat(h.api.post(hook, WEBHOOK_SECRET, limit)).isEqualTo(400);
        assertThat(engine.received()).isEmpty();
    }

    @Test
    void onlyPostsOnTheWebhookPathAreTaken() throws Exception {
        h = Harness.webhook(engine, 50_000_000, true);
        URI hook = h.webhookEndpoint();
        int id = h.api.textUpdate(ANNA, ANNA_DM, "hi");
        URI other = hook.resolve("/telegram/other");
        URI prefix = URI.create(hook + "-and-more");
        assertThat(h.api.post(other, WEBHOOK_SECRET, json(h, id))).isEqualTo(404);
        assertThat(h.api.post(prefix, WEBHOOK_SECRET, json(h, id))).isEqualTo(404);
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<Void> get = client.send(HttpRequest.newBuilder(hook)
                    .header("X-Telegram-Bot-Api-Secret-Token", WEBHOOK_SECRET).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(get.statusCode()).isEqualTo(405);
            assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        }
        assertThat(engine.received()).isEmpty();
    }

    @Test
    void groupFilteringAndButtonPressesAreTheSameAsWithPolling() {
        h = Harness.webhook(engine, 50_000_000, true);
        h.api.text(LI, GROUP, "just chatting with friends");
        h.api.text(LI, GROUP, "/credits@some_other_bot");
        h.api.text(LI, GROUP, "@" + FakeBotApi.BOT_USERNAME + " animate this");
        h.api.press(ANNA, ANNA_DM, 77, "/export");
        assertThat(h.api.pushes()).extracting(FakeBotApi.Push::status).containsOnly(200);
        assertThat(engine.received()).extracting(Incoming::text).containsExactly("animate this", "/export");
        h.api.await("answerCallbackQuery", c -> c.param("callback_query_id").equals("cbq-77-1001"), WAIT);
    }

    @Test
    void withRegisterOffNoWebhookIsSetButDeliveriesAreTaken() {
        h = Harness.webhook(engine, 50_000_000, false);
        assertThat(h.api.calls("setWebhook")).isEmpty();
        int id = h.api.textUpdate(ANNA, ANNA_DM, "hi");
        assertThat(h.api.post(h.webhookEndpoint(), WEBHOOK_SECRET, json(h, id))).isEqualTo(200);
        assertThat(engine.received()).extracting(Incoming::text).containsExactly("hi");
        assertThat(h.api.calls("getUpdates")).isEmpty();
    }

    @Test
    void closingStopsListeningAndLeavesTheWebhookForTheOtherInstances() {
        h = Harness.webhook(engine, 50_000_000, true);
        URI hook = h.webhookEndpoint();
        h.bot.close();
        int id = h.api.textUpdate(ANNA, ANNA_DM, "anyone?");
        assertThatThrownBy(() -> h.api.post(hook, WEBHOOK_SECRET, json(h, id))).isInstanceOf(UncheckedIOException.class);
        assertThat(h.api.calls("deleteWebhook")).isEmpty();
        assertThat(engine.received()).isEmpty();
    }

    @Test
    void maxConnectionsIsRegisteredWhenSet() {
        try (FakeBotApi api = new FakeBotApi()) {
            TelegramSettings settings = new TelegramSettings(Secret.of(FakeBotApi.TOKEN), URI.create(api.url()),
                    50_000_000, Optional.of(new TelegramSettings.Webhook(Harness.PUBLIC_WEBHOOK,
                    Secret.of(WEBHOOK_SECRET), "127.0.0.1", 0, true, OptionalInt.of(7))));
            try (TelegramBot bot = TelegramBot.start(settings, engine, Tuning.defaults())) {
                assertThat(api.setWebhooks()).extracting(FakeBotApi.SetWebhook::maxConnections).containsExactly(7);
            }
        }
    }

    @Test
    void switchingBackToPollingDeletesTheWebhookFirst() {
        try (FakeBotApi api = new FakeBotApi()) {
            try (TelegramBot hooked = TelegramBot.start(settings(api, 0), engine, Tuning.defaults())) {
                assertThat(api.setWebhooks()).hasSize(1);
            }
            TelegramSettings polling = new TelegramSettings(Secret.of(FakeBotApi.TOKEN), URI.create(api.url()),
                    50_000_000);
            try (TelegramBot polls = TelegramBot.start(polling, engine, Tuning.defaults())) {
                api.text(ANNA, ANNA_DM, "polled again");
                engine.await(i -> i.text().equals("polled again"), WAIT);
                assertThat(api.calls("deleteWebhook")).hasSize(1);
                assertThat(polls.webhookAddress()).isEmpty();
            }
        }
    }

    @Test
    void aWebhookTelegramRefusesStopsTheStartWithItsReasonAndFreesThePort() throws IOException {
        int port = freePort();
        try (FakeBotApi api = new FakeBotApi()) {
            api.failNext("setWebhook", 1, new FakeBotApi.Failure.Refused(400,
                    "Bad Request: bad webhook: Failed to resolve host: Name or service not known"));
            TelegramSettings settings = settings(api, port);
            assertThatThrownBy(() -> TelegramBot.start(settings, engine, Tuning.defaults()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("TELEGRAM_WEBHOOK_URL").hasMessageContaining("bad webhook")
                    .hasMessageNotContaining(FakeBotApi.TOKEN).hasMessageNotContaining(WEBHOOK_SECRET);
            assertThat(api.calls("getUpdates")).isEmpty();
        }
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).as("the webhook server let the port go").isEqualTo(port);
        }
    }

    @Test
    void aListenAddressInUseStopsTheStartNamingTheSetting() throws IOException {
        try (FakeBotApi api = new FakeBotApi();
             ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> TelegramBot.start(settings(api, taken.getLocalPort()), engine, Tuning.defaults()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("TELEGRAM_WEBHOOK_LISTEN").hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
            assertThat(api.calls("setWebhook")).as("nothing registered for a server that is not there").isEmpty();
        }
    }

    // ---------------------------------------------------------------- helpers

    private static TelegramSettings settings(FakeBotApi api, int port) {
        return new TelegramSettings(Secret.of(FakeBotApi.TOKEN), URI.create(api.url()), 50_000_000,
                Optional.of(new TelegramSettings.Webhook(Harness.PUBLIC_WEBHOOK, Secret.of(WEBHOOK_SECRET),
                        "127.0.0.1", port, true, OptionalInt.empty())));
    }

    private static byte[] json(Harness h, int updateId) {
        return h.api.updateJson(updateId).getBytes(StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            line.append((char) c);
        }
        return line.toString().strip();
    }
}
