package dev.nemobot.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.nemobot.testing.MutableClock;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Faults#outage}: the backend down for a while by the simulator's clock, its work going on meanwhile. */
class OutageTest {
    private final MutableClock clock = new MutableClock();
    private NemoSimulator sim;
    private SimClient client;
    private String token;
    private String sid;

    private void start() {
        sim = NemoSimulator.start(SimulatorConfig.fast().withClock(clock).withStageDelay(Duration.ofMillis(300))
                .withHeartbeatEvery(Duration.ofMillis(10)));
        client = new SimClient(sim);
        token = client.token();
        sid = client.session(token);
        assertThat(client.upload(token, sid, "photo.png", SimClient.png(80, 60)).code()).isZero();
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private boolean listening() {
        try (Socket s = new Socket(sim.baseUrl().getHost(), sim.baseUrl().getPort())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private CompletableFuture<SimClient.Stream> generationUnderWay() {
        CompletableFuture<SimClient.Stream> open = CompletableFuture.supplyAsync(
                () -> client.sse(token, sid, "animate this"), r -> Thread.ofVirtual().start(r));
        await("the turn to start").atMost(Duration.ofSeconds(5))
                .until(() -> sim.requests().stream().anyMatch(r -> r.path().equals("/run_sse")));
        return open;
    }

    @Test
    void aRefusingOutageCutsStreamsRefusesConnectionsAndEndsByTheClockWithTheWorkDone() throws Exception {
        start();
        CompletableFuture<SimClient.Stream> open = generationUnderWay();
        sim.faults().outage(Duration.ofSeconds(60), Outage.REFUSE);

        assertThat(open.get(5, TimeUnit.SECONDS).cut()).as("the open stream is cut").isTrue();
        assertThatThrownBy(() -> new Socket(sim.baseUrl().getHost(), sim.baseUrl().getPort()).close())
                .isInstanceOf(ConnectException.class);
        int seen = sim.requests().size();

        clock.advance(Duration.ofSeconds(59));
        assertThat(listening()).as("still down before its end").isFalse();
        clock.advance(Duration.ofSeconds(1));
        await("the simulator to listen again").atMost(Duration.ofSeconds(5)).until(this::listening);
        assertThat(sim.requests()).as("nothing reached it while down").hasSize(seen);
        client.http.connectionPool().evictAll(); // this test client does not retry on the connections the stop cut

        // the generation went on while the door was shut: its result is in the session, charged once
        await("the generation to finish").atMost(Duration.ofSeconds(5)).until(() -> client.state(token, sid).data()
                .path("state").path("draft").path("t").size() == 3);
        assertThat(client.credits(token).data().path("available").asInt()).isEqualTo(100 - 10);
    }

    @Test
    void aGatewayOutageAnswers503UntilItsEnd() throws Exception {
        start();
        CompletableFuture<SimClient.Stream> open = generationUnderWay();
        sim.faults().outage(Duration.ofSeconds(30), Outage.HTTP_503);
        assertThat(open.get(5, TimeUnit.SECONDS).cut()).isTrue();

        SimClient.Answer refused = client.credits(token);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.body()).startsWith("<html>");
        assertThat(client.sse(token, sid, "animate again").status()).isEqualTo(503);

        clock.advance(Duration.ofSeconds(30));
        assertThat(client.credits(token).code()).isZero();
        assertThat(sim.requests()).as("the gateway's answers are recorded too")
                .anyMatch(r -> r.path().equals("/run_sse") && r.bodyText().contains("animate again"));
    }

    @Test
    void endOutageOpensAtOnceAndANewOutageReplacesTheCurrentOne() {
        start();
        sim.faults().outage(Duration.ofMinutes(10), Outage.REFUSE);
        assertThat(listening()).isFalse();
        sim.faults().outage(Duration.ofMinutes(10), Outage.HTTP_503);
        await("the door to open for the gateway").atMost(Duration.ofSeconds(5)).until(this::listening);
        client.http.connectionPool().evictAll(); // this test client does not retry on the connections the stop cut
        assertThat(client.credits(token).status()).isEqualTo(503);
        sim.faults().endOutage();
        assertThat(client.credits(token).code()).isZero();
        assertThatThrownBy(() -> sim.faults().outage(Duration.ZERO, Outage.REFUSE))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
