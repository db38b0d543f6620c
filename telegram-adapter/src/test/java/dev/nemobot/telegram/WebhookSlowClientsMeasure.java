package dev.nemobot.telegram;

import dev.nemobot.config.Secret;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Not a CI test (too slow): measures how long a real delivery takes with the production limits while many slow
 * clients hold the webhook server, as in issue 19. Run with {@code -Dwebhook.measure=true -Dtest=WebhookSlowClientsMeasure};
 * the figures go to standard output (target/surefire-reports/*-output.txt).
 */
@EnabledIfSystemProperty(named = "webhook.measure", matches = "true")
class WebhookSlowClientsMeasure {
    private static final String PATH = "/telegram/hook-7f3a";
    private static final String SECRET = "webhook_Secret-for-tests_0123456789";
    private static final String UPDATE = "{\"update_id\":4242,\"message\":{\"message_id\":1,\"date\":1700000000,"
            + "\"chat\":{\"id\":1001,\"type\":\"private\"},\"from\":{\"id\":1001,\"is_bot\":false,"
            + "\"first_name\":\"Anna\"},\"text\":\"hello\"}}";
    private static final Duration GIVE_UP = Duration.ofSeconds(40);

    @Test
    void stalledConnections() throws Exception {
        measure("600 stalled connections", 600, null);
    }

    @Test
    void dripConnections() throws Exception {
        measure("520 connections sending a byte every 3 s", 520, Duration.ofSeconds(3));
    }

    private void measure(String what, int count, Duration drip) throws Exception {
        List<Update> received = new CopyOnWriteArrayList<>();
        List<Socket> sockets = new CopyOnWriteArrayList<>();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        try (WebhookServer server = WebhookServer.start("127.0.0.1", 0, PATH, Secret.of(SECRET), received::add)) {
            int port = server.address().getPort();
            deliver(port, "warm-up (no slow clients yet)", 0);
            for (int i = 0; i < count; i++) {
                int n = i;
                scheduler.execute(() -> open(port, sockets, n));
            }
            if (drip != null) {
                scheduler.scheduleAtFixedRate(() -> {
                    for (Socket s : sockets) {
                        try {
                            OutputStream out = s.getOutputStream();
                            out.write('a');
                            out.flush();
                        } catch (IOException closed) {
                            sockets.remove(s);
                            // a slow client opens another at once, as an attacker would
                            scheduler.execute(() -> open(port, sockets, 0));
                        }
                    }
                }, drip.toMillis(), drip.toMillis(), TimeUnit.MILLISECONDS);
            }
            // let them all connect and the server take them
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (sockets.size() < count && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            Thread.sleep(2000); // a measurement, not a test: let the slow clients settle first
            System.out.println(what + ": " + sockets.size() + " open");
            for (int attempt = 1; attempt <= 3; attempt++) {
                deliver(port, what + ": real delivery " + attempt, sockets.size());
            }
        } finally {
            scheduler.shutdownNow();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    private static void deliver(int port, String what, int slow) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(GIVE_UP)
                .version(HttpClient.Version.HTTP_1_1).build()) {
            long start = System.nanoTime();
            String outcome;
            try {
                int status = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + PATH))
                                .timeout(GIVE_UP).header(WebhookServer.SECRET_HEADER, SECRET)
                                .POST(HttpRequest.BodyPublishers.ofString(UPDATE)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                outcome = "HTTP " + status;
            } catch (HttpTimeoutException e) {
                outcome = "no answer";
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            System.out.println("MEASURE " + what + ": " + outcome + " after " + ms + " ms (" + slow
                    + " slow connections open)");
        }
    }

    private static void open(int port, List<Socket> sockets, int n) {
        try {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow-" + n + ": ")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            sockets.add(s);
        } catch (IOException e) {
            // the server is full: the client tries again on the next drip
        }
    }
}
