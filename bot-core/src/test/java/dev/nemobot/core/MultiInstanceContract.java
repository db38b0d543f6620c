package dev.nemobot.core;

import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.config.Settings;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.backend.NemoBackend;
import dev.nemobot.core.backend.NemoClient;
import dev.nemobot.core.chat.Incoming;
import dev.nemobot.core.testing.Await;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.RecordingPlatform;
import dev.nemobot.core.testing.RecordingPlatform.Sent;
import dev.nemobot.simulator.NemoSimulator;
import dev.nemobot.simulator.SimulatorConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two engines sharing one store (and one simulator), as two bot instances would: run on SQLite
 * ({@link MultiInstanceSqliteTest}, one data directory) and PostgreSQL ({@link MultiInstancePostgresTest}). Each
 * engine has its own chat platform object for the same platform name, so what each instance sent is told apart.
 * Leases are 1 s, so a dead instance's work is taken over within about 1.5 s.
 */
abstract class MultiInstanceContract {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final Duration LEASE = Duration.ofSeconds(1);
    static final String ANIMATE = "animate this image into a 5-second video with smooth motion";

    static final ChatUser ANN = user("telegram", "1", Locale.ENGLISH);

    private final List<AutoCloseable> open = new ArrayList<>();

    /** Instance a (a fixture) and b on its store, each with its own platform object; b's backend calls counted. */
    record Pair(EngineFixture a, Engine b, RecordingPlatform pa, RecordingPlatform pb, Inbox inA, Inbox inB,
                Map<String, AtomicLong> bCalls) {
    }

    Pair pair(SimulatorConfig sim, boolean bReachesNothing) {
        EngineFixture a = first(sim);
        Map<String, AtomicLong> bCalls = new ConcurrentHashMap<>();
        Engine b = second(a, bCalls);
        RecordingPlatform pa = new RecordingPlatform("telegram", 50_000_000);
        RecordingPlatform pb = new RecordingPlatform("telegram", 50_000_000);
        pb.reachNothing(bReachesNothing);
        return new Pair(a, b, pa, pb, a.engine().attach(pa), b.attach(pb), bCalls);
    }

    /** The settings every instance shares: the store (and its key). */
    abstract Settings shared(Settings base);

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    EngineFixture first(SimulatorConfig sim) {
        EngineFixture f = EngineFixture.start(sim, this::shared, b -> b);
        open.add(f);
        return f;
    }

    /** A second instance on the first one's simulator and store; its backend calls are counted by method. */
    Engine second(EngineFixture first, Map<String, AtomicLong> calls) {
        NemoClient client = NemoClient.builder(first.settings().nemo()).reconnectDelay(Duration.ofMillis(20)).build();
        open.add(client);
        Engine e = Engine.builder().settings(first.settings()).backend(counting(client, calls))
                .timings(EngineFixture.TEST_TIMINGS).build();
        open.add(e);
        return e;
    }

    /** Counts the calls of our own backend port (a fake of an interface we own, not of OkHttp). */
    static NemoBackend counting(NemoBackend real, Map<String, AtomicLong> calls) {
        return (NemoBackend) Proxy.newProxyInstance(NemoBackend.class.getClassLoader(),
                new Class<?>[] {NemoBackend.class}, (proxy, method, args) -> {
                    calls.computeIfAbsent(method.getName(), k -> new AtomicLong()).incrementAndGet();
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void oneExportIsPolledByOneInstanceAndDeliveredOnce() {
        Pair x = pair(SimulatorConfig.fast().withRenderTime(Duration.ofMillis(3000)), false);

        x.inA().accept(file(ANN, ANIMATE, png("photo.png")));
        x.pa().awaitVideo(WAIT);
        assertThat(x.a().engine().awaitIdle(WAIT)).isTrue();

        assertThat(x.pa().sent()).filteredOn(s -> s instanceof Sent.Video).hasSize(1);
        assertThat(x.pb().sent()).as("the other instance sent nothing").isEmpty();
        assertThat(x.bCalls()).as("nor polled the render while it ran (3 s, leases of 1 s)").doesNotContainKey("renderStatus");
        assertThat(Checks.count(x.a().simulator(), "POST", "/api/render/proxy/lambda")).isEqualTo(1);
    }

    @Test
    void anInstanceStoppedMidRenderIsTakenOverByAnotherThatDeliversOnce() {
        Pair x = pair(SimulatorConfig.fast().withRenderTime(Duration.ofMillis(6000)), false);

        x.inA().accept(file(ANN, ANIMATE, png("photo.png")));
        x.pa().awaitText(t -> t.startsWith("Rendering"), WAIT);
        x.a().engine().close(); // stops polling, keeps the job recorded under its (now unrenewed) lease

        Sent.Video v = x.pb().awaitVideo(WAIT);
        assertThat(v.recipient()).isEqualTo(ANN);
        assertThat(x.b().awaitIdle(WAIT)).isTrue();
        assertThat(x.pa().sent()).filteredOn(s -> s instanceof Sent.Video).isEmpty();
        assertThat(x.pb().sent()).filteredOn(s -> s instanceof Sent.Video).hasSize(1);
        assertThat(Checks.count(x.a().simulator(), "POST", "/api/render/proxy/lambda"))
                .as("the render was not submitted again").isEqualTo(1);
        assertThat(x.bCalls().get("renderStatus")).isNotNull();
    }

    @Test
    void anExportIsLeftForAnInstanceThatReachesItsConversation() {
        Pair x = pair(SimulatorConfig.fast().withRenderTime(Duration.ofMillis(4000)), true);

        x.inA().accept(file(ANN, ANIMATE, png("photo.png")));
        x.pa().awaitText(t -> t.startsWith("Rendering"), WAIT);
        x.a().engine().close();
        // b looks at the lapsed job every half lease and gives it back; a third instance that reaches it delivers
        Await.until(() -> x.pb().refusedReach() > 0, WAIT, "b claimed the lapsed job and gave it back");
        RecordingPlatform pc = new RecordingPlatform("telegram", 50_000_000);
        second(x.a(), new ConcurrentHashMap<>()).attach(pc);
        pc.awaitVideo(WAIT);
        assertThat(x.pb().sent()).isEmpty();
        assertThat(x.bCalls()).as("b never polled a job it could not deliver").doesNotContainKey("renderStatus");
    }

    @Test
    void anUpdateDeliveredToBothInstancesIsHandledOnce() {
        Pair x = pair(SimulatorConfig.fast(), false);
        Incoming update = file(ANN, ANIMATE, png("photo.png")); // one update id, delivered twice

        x.inA().accept(update);
        x.inB().accept(update);
        Await.until(() -> videos(x.pa()) + videos(x.pb()) > 0, WAIT, "the video was delivered");
        assertThat(x.a().engine().awaitIdle(WAIT)).isTrue();
        assertThat(x.b().awaitIdle(WAIT)).isTrue();

        NemoSimulator sim = x.a().simulator();
        assertThat(Checks.count(sim, "POST", "/api/upload-video/")).as("uploads").isEqualTo(1);
        assertThat(Checks.turnsSent(sim)).as("SSE turns").hasSize(1);
        assertThat(Checks.count(sim, "POST", "/api/render/proxy/lambda")).as("renders").isEqualTo(1);
        assertThat(videos(x.pa()) + videos(x.pb())).as("videos sent").isEqualTo(1);
        assertThat(x.pa().sent().isEmpty() || x.pb().sent().isEmpty()).as("one instance answered, the other was silent")
                .isTrue();
    }

    @Test
    void anUpdateRedeliveredAfterItsInstanceDiedMidRenderIsNotHandledAgain() {
        Pair x = pair(SimulatorConfig.fast().withRenderTime(Duration.ofMillis(4000)), false);
        Incoming update = file(ANN, ANIMATE, png("photo.png"));

        x.inA().accept(update);
        x.pa().awaitText(t -> t.startsWith("Rendering"), WAIT);
        x.a().engine().close(); // a dies mid-render; the platform re-delivers the update it never saw confirmed
        x.inB().accept(update);

        Sent.Video v = x.pb().awaitVideo(WAIT); // b takes the export over once a's lease has lapsed
        assertThat(v.recipient()).isEqualTo(ANN);
        assertThat(x.b().awaitIdle(WAIT)).isTrue();
        NemoSimulator sim = x.a().simulator();
        assertThat(x.bCalls()).as("b neither fetched nor uploaded the file again").doesNotContainKey("upload");
        assertThat(Checks.count(sim, "POST", "/api/upload-video/")).as("uploads").isEqualTo(1);
        assertThat(Checks.turnsSent(sim)).as("SSE turns").hasSize(1);
        assertThat(Checks.count(sim, "POST", "/api/render/proxy/lambda")).as("renders").isEqualTo(1);
        assertThat(videos(x.pa()) + videos(x.pb())).as("videos sent").isEqualTo(1);
    }

    private static long videos(RecordingPlatform p) {
        return p.sent().stream().filter(s -> s instanceof Sent.Video).count();
    }

    @Test
    void aUsersTurnsRunOneAtATimeAcrossInstances() {
        Pair x = pair(SimulatorConfig.fast().withStageDelay(Duration.ofMillis(700)), false);

        x.inA().accept(file(ANN, ANIMATE, png("photo.png")));
        Await.until(() -> Checks.turnsSent(x.a().simulator()).size() == 1, WAIT, "a's turn started");
        x.inB().accept(text(ANN, "make it slower"));
        x.pb().awaitText(t -> t.contains("queued"), WAIT);
        Await.until(() -> Checks.turnsSent(x.a().simulator()).size() == 2, WAIT, "b's turn started");
        // b's turn may only reach the backend after a's ended (a answered, then released the user)
        assertThat(x.pa().texts()).as("a's turn had ended").isNotEmpty();
        assertThat(x.pa().visibleMessages()).anyMatch(t -> !t.isBlank() && !t.startsWith("Rendering"));
        assertThat(Checks.turnsSent(x.a().simulator()).get(1)).contains("make it slower");
        assertThat(x.b().awaitIdle(WAIT)).isTrue();
    }
}
