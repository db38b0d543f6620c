package dev.nemobot.core;

import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nemobot.config.Settings;
import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.ButtonPress;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.backend.NemoBackend;
import dev.nemobot.core.backend.NemoClient;
import dev.nemobot.core.chat.Incoming;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.testing.MutableClock;
import dev.nemobot.core.testing.RecordingPlatform;
import dev.nemobot.core.testing.RecordingPlatform.Sent;
import dev.nemobot.simulator.NemoSimulator;
import dev.nemobot.simulator.SimulatorConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
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
 * Leases are 1 s, so a dead instance's work is taken over within about 1.5 s; the takeover tests use leases of
 * 0.5 s, and a simulator whose renders finish only when the test moves its clock on (once the other instance is
 * seen polling), so that no test waits out a render's length.
 */
abstract class MultiInstanceContract {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final Duration LEASE = Duration.ofSeconds(1);
    /** For the takeover tests: a stopped instance's work is taken over within about 0.75 s. */
    static final Duration SHORT_LEASE = Duration.ofMillis(500);
    /** A render's length on the simulator's clock, which stands still until the test moves it on by this much. */
    static final Duration RENDER = Duration.ofMinutes(1);
    /** A stopped instance stops at once (its export stays recorded for the others), not after 2 s of grace. */
    static final EngineTimings TIMINGS = EngineFixture.TEST_TIMINGS.withShutdownGrace(Duration.ofMillis(100));
    static final String ANIMATE = "animate this image into a 5-second video with smooth motion";

    static final ChatUser ANN = user("telegram", "1", Locale.ENGLISH);

    private final List<AutoCloseable> open = new ArrayList<>();
    /** The lease of the instances of the running test. */
    Duration lease = LEASE;

    /** Instance a (a fixture) and b on its store, each with its own platform object; b's backend calls counted. */
    record Pair(EngineFixture a, Engine b, RecordingPlatform pa, RecordingPlatform pb, Inbox inA, Inbox inB,
                Map<String, AtomicLong> bCalls) {
    }

    Pair pair(SimulatorConfig sim, boolean bReachesNothing) {
        return pair(sim, bReachesNothing, LEASE);
    }

    Pair pair(SimulatorConfig sim, boolean bReachesNothing, Duration lease) {
        this.lease = lease;
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
        EngineFixture f = EngineFixture.start(sim, this::shared, b -> b.timings(TIMINGS));
        open.add(f);
        return f;
    }

    /** A second instance on the first one's simulator and store; its backend calls are counted by method. */
    Engine second(EngineFixture first, Map<String, AtomicLong> calls) {
        NemoClient client = NemoClient.builder(first.settings().nemo()).reconnectDelay(Duration.ofMillis(20)).build();
        open.add(client);
        Engine e = Engine.builder().settings(first.settings()).backend(counting(client, calls))
                .timings(TIMINGS).build();
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

    /** A simulator on {@code clock}, whose renders take {@link #RENDER}. */
    static SimulatorConfig rendersUntilMovedOn(MutableClock clock) {
        return SimulatorConfig.fast().withClock(clock).withRenderTime(RENDER);
    }

    @Test
    void oneExportIsPolledByOneInstanceAndDeliveredOnce() {
        // longer than a lease and a look of the other instance after it: a lease not renewed would let b poll
        Pair x = pair(SimulatorConfig.fast().withRenderTime(Duration.ofMillis(2000)), false);

        x.inA().accept(file(ANN, ANIMATE, png("photo.png")));
        x.pa().awaitVideo(WAIT);
        assertThat(x.a().engine().awaitIdle(WAIT)).isTrue();

        assertThat(x.pa().sent()).filteredOn(s -> s instanceof Sent.Video).hasSize(1);
        assertThat(x.pb().sent()).as("the other instance sent nothing").isEmpty();
        assertThat(x.bCalls()).as("nor polled the render while it ran (2 s, leases of 1 s)").doesNotContainKey("renderStatus");
        assertThat(Checks.count(x.a().simulator(), "POST", "/api/render/proxy/lambda")).isEqualTo(1);
    }

    @Test
    void anInstanceStoppedMidRenderIsTakenOverByAnotherThatDeliversOnce() {
        MutableClock simClock = new MutableClock(Instant.now());
        Pair x = pair(rendersUntilMovedOn(simClock), false, SHORT_LEASE);

        x.inA().accept(file(ANN, ANIMATE, png("photo.png")));
        x.pa().awaitText(t -> t.startsWith("Rendering"), WAIT);
        x.a().engine().close(); // stops polling, keeps the job recorded under its (now unrenewed) lease
        await("b polling the render it took over").atMost(WAIT).until(() -> x.bCalls().containsKey("renderStatus"));
        simClock.advance(RENDER); // the render completes

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
        MutableClock simClock = new MutableClock(Instant.now());
        Pair x = pair(rendersUntilMovedOn(simClock), true, SHORT_LEASE);

        x.inA().accept(file(ANN, ANIMATE, png("photo.png")));
        x.pa().awaitText(t -> t.startsWith("Rendering"), WAIT);
        x.a().engine().close();
        // b looks at the lapsed job every half lease and gives it back; a third instance that reaches it delivers
        await("b claimed the lapsed job and gave it back").atMost(WAIT).until(() -> x.pb().refusedReach() > 0);
        RecordingPlatform pc = new RecordingPlatform("telegram", 50_000_000);
        Map<String, AtomicLong> cCalls = new ConcurrentHashMap<>();
        second(x.a(), cCalls).attach(pc);
        await("c polling the render").atMost(WAIT).until(() -> cCalls.containsKey("renderStatus"));
        simClock.advance(RENDER); // the render completes
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
        await("the video was delivered").atMost(WAIT).until(() -> videos(x.pa()) + videos(x.pb()) > 0);
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
        MutableClock simClock = new MutableClock(Instant.now());
        Pair x = pair(rendersUntilMovedOn(simClock), false, SHORT_LEASE);
        Incoming update = file(ANN, ANIMATE, png("photo.png"));

        x.inA().accept(update);
        x.pa().awaitText(t -> t.startsWith("Rendering"), WAIT);
        x.a().engine().close(); // a dies mid-render; the platform re-delivers the update it never saw confirmed
        x.inB().accept(update);
        // b takes the export over once a's lease has lapsed
        await("b polling the render it took over").atMost(WAIT).until(() -> x.bCalls().containsKey("renderStatus"));
        simClock.advance(RENDER); // the render completes

        Sent.Video v = x.pb().awaitVideo(WAIT);
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
        Pair x = pair(SimulatorConfig.fast(), false);

        x.a().simulator().faults().holdStages(); // a's turn runs until b's message has been queued behind it
        x.inA().accept(file(ANN, ANIMATE, png("photo.png")));
        await("a's turn started").atMost(WAIT).until(() -> Checks.turnsSent(x.a().simulator()).size() == 1);
        x.inB().accept(text(ANN, "make it slower"));
        x.pb().awaitText(t -> t.contains("queued"), WAIT);
        assertThat(Checks.turnsSent(x.a().simulator())).as("b's turn waits while a's runs").hasSize(1);
        x.a().simulator().faults().releaseStages();
        await("b's turn started").atMost(WAIT).until(() -> Checks.turnsSent(x.a().simulator()).size() == 2);
        // b's turn may only reach the backend after a's ended (a answered, then released the user)
        assertThat(x.pa().texts()).as("a's turn had ended").isNotEmpty();
        assertThat(x.pa().visibleMessages()).anyMatch(t -> !t.isBlank() && !t.startsWith("Rendering"));
        assertThat(Checks.turnsSent(x.a().simulator()).get(1)).contains("make it slower");
        assertThat(x.b().awaitIdle(WAIT)).isTrue();
    }

    @Test
    void aUsersVideosAreListedNewestFirstWhicheverInstanceDeliveredThem() {
        Pair x = pair(SimulatorConfig.fast(), false);
        String sunset = "make a video of the sunset behind the mountains";

        x.inA().accept(file(ANN, ANIMATE, png("photo.png")));
        Sent.Video first = x.pa().awaitVideo(WAIT);
        assertThat(x.a().engine().awaitIdle(WAIT)).isTrue();
        x.inB().accept(file(ANN, sunset, png("sunset.png")));
        Sent.Video second = x.pb().awaitVideo(WAIT);
        assertThat(x.b().awaitIdle(WAIT)).isTrue();
        assertThat(first.resultId()).isPresent().isNotEqualTo(second.resultId());

        x.inA().accept(text(ANN, "/videos"));
        Sent.Choices list = (Sent.Choices) x.pa().await(s -> s instanceof Sent.Choices, WAIT, "the list");
        String shown = list.text();
        assertThat(shown).startsWith("Your videos of the last 30 days, newest first (page 1):")
                .contains("1. ").contains("2. ").doesNotContain("3. ");
        assertThat(shown.indexOf(sunset)).as("b's delivery, the newer, first").isPositive()
                .isLessThan(shown.indexOf(ANIMATE));
        // the links are the simulator's render outputs, which the delivery downloaded from its own origin
        assertThat(shown.lines().filter(l -> l.startsWith("Video: ")).toList()).hasSize(2)
                .allSatisfy(l -> assertThat(l).startsWith("Video: " + x.a().simulator().baseUrl().toString()
                        .replaceAll("/$", "")));
        assertThat(list.rows().getFirst()).extracting(c -> c.argument().orElseThrow())
                .as("each entry's Again acts on its own result").containsExactly(second.resultId().orElseThrow(),
                        first.resultId().orElseThrow());
        assertThat(list.rows()).as("one page: no paging buttons").hasSize(1);
    }

    @Test
    void afterAForgetOnOneInstanceTheOtherStartsTheUserAfreshInsteadOfUsingItsCache() {
        Pair x = pair(SimulatorConfig.fast(), false);
        NemoSimulator sim = x.a().simulator();
        // b knows Ann (her identity cached there), then she erases everything through a
        x.inB().accept(text(ANN, "/credits"));
        x.pb().awaitText(t -> t.startsWith("Credits:"), WAIT);
        assertThat(x.b().awaitIdle(WAIT)).isTrue();
        x.inA().accept(text(ANN, "/forget"));
        Sent.Text question = (Sent.Text) x.pa().await(s -> s instanceof Sent.Text t
                && t.actions().contains(Action.ERASE), WAIT, "the question");
        x.inA().press(text(ANN, question.press(Action.ERASE)), ButtonPress.NONE);
        x.pa().awaitText(t -> t.startsWith("Done. Erased: the link to your NemoVideo account"), WAIT);
        assertThat(x.a().engine().awaitIdle(WAIT)).isTrue();
        assertThat(ForgetTest.clientIds(sim)).hasSize(1);

        // her next message, on b: a new client id, token and session, not the erased ones from b's cache
        x.inB().accept(text(ANN, "/credits"));
        await("b answered again").atMost(WAIT)
                .until(() -> x.pb().texts().stream().filter(t -> t.startsWith("Credits:")).count() == 2);
        assertThat(x.b().awaitIdle(WAIT)).isTrue();
        List<String> clientIds = ForgetTest.clientIds(sim);
        assertThat(clientIds).as("a new anonymous token").hasSize(2).doesNotHaveDuplicates();
        assertThat(Checks.count(sim, "POST", "/api/tasks/me/with-session")).as("a new session").isEqualTo(2);
    }
}
