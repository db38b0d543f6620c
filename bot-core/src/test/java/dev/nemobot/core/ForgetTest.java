package dev.nemobot.core;

import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.ButtonPress;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.RecordingPlatform.Sent;
import dev.nemobot.core.testing.RecordingPlatform;
import dev.nemobot.core.testing.StoreRows;
import dev.nemobot.simulator.NemoSimulator;
import dev.nemobot.simulator.SimulatorConfig;
import dev.nemobot.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * /forget end to end: the engine, the real client over HTTP and the simulator, on the SQLite store, whose tables are
 * read directly to see that nothing of the user is left (and that [Cancel], or a typed /erase, leaves everything).
 */
class ForgetTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String ANIMATE = "animate this image into a 5-second video with smooth motion";
    static final ChatUser ANN = user("telegram", "1", Locale.ENGLISH);
    static final ChatUser BOB = user("telegram", "2", Locale.ENGLISH);

    /** A button press as an adapter hands it on: what the engine says about it, privately. */
    static final class Press implements ButtonPress {
        final List<String> said = new CopyOnWriteArrayList<>();

        @Override
        public boolean answer(String text) {
            if (!text.isEmpty()) {
                said.add(text);
            }
            return true;
        }

        @Override
        public void taken(String note) {
            said.add("taken: " + note);
        }
    }

    @Test
    void confirmedItErasesEveryRowOfTheUserAndTheNextMessageStartsWithANewIdentity() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            in.accept(file(ANN, ANIMATE, png("photo.png")));
            in.accept(file(BOB, ANIMATE, png("photo.png")));
            p.awaitVideo(WAIT);
            p.await(s -> s instanceof Sent.Video v && v.recipient().equals(BOB), WAIT, "Bob's video");
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            Map<String, Long> before = records(f, ANN);
            assertThat(before).as("what is kept for Ann").containsEntry("identities", 1L).containsEntry("results", 1L)
                    .containsEntry("pending_exports", 1L);

            in.accept(text(ANN, "/forget"));
            Sent.Text question = (Sent.Text) p.await(s -> s instanceof Sent.Text t && t.recipient().equals(ANN)
                    && t.text().startsWith("This erases everything"), WAIT, "the question");
            assertThat(question.actions()).containsExactly(Action.ERASE, Action.KEEP);
            assertThat(records(f, ANN)).as("nothing erased by the question").isEqualTo(before);

            Press press = new Press();
            in.press(text(ANN, question.press(Action.ERASE)), press);
            Sent done = p.awaitText(t -> t.startsWith("Done. Erased:"), WAIT);
            assertThat(done.shownText()).isEqualTo("Done. Erased: the link to your NemoVideo account and project, "
                    + "the request behind 1 video, 1 render, the ids of your recent messages. "
                    + "Your next message starts afresh.");
            assertThat(press.said).containsExactly("taken: Erasing…");
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(rows(f, ANN)).as("nothing of Ann is left").allSatisfy((table, n) -> assertThat(n).isZero());
            assertThat(rows(f, BOB)).as("Bob's rows are untouched").containsEntry("identities", 1L)
                    .containsEntry("results", 1L).containsEntry("pending_exports", 1L);

            NemoSimulator sim = f.simulator();
            List<String> clientIds = clientIds(sim);
            in.accept(text(ANN, "/credits"));
            p.awaitText(t -> t.startsWith("Credits: 100 available"), WAIT); // a new account's
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            List<String> after = clientIds(sim);
            assertThat(after).as("a new anonymous token for a new client id").hasSize(clientIds.size() + 1);
            assertThat(clientIds).doesNotContain(after.getLast());
            assertThat(rows(f, ANN)).as("a new identity").containsEntry("identities", 1L).containsEntry("results", 0L);
            Checks.nothingLeaked(p, sim);
        }
    }

    @Test
    void cancelOrATypedEraseErasesNothing() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            in.accept(file(ANN, ANIMATE, png("photo.png")));
            p.awaitVideo(WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            Map<String, Long> before = records(f, ANN);

            in.accept(text(ANN, "/forget"));
            Sent.Text question = (Sent.Text) p.await(s -> s instanceof Sent.Text t
                    && t.text().startsWith("This erases everything"), WAIT, "the question");
            in.press(text(ANN, question.press(Action.KEEP)), new Press());
            p.awaitText(t -> t.equals("Nothing was erased."), WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(records(f, ANN)).isEqualTo(before);

            // typed, not pressed: asked again
            in.accept(text(ANN, "/erase"));
            Sent.Text again = (Sent.Text) p.await(s -> s instanceof Sent.Text t && t != question
                    && t.text().startsWith("This erases everything"), WAIT, "the question again");
            assertThat(again.actions()).containsExactly(Action.ERASE, Action.KEEP);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(records(f, ANN)).isEqualTo(before);
            assertThat(p.texts()).noneMatch(t -> t.startsWith("Done. Erased"));
        }
    }

    @Test
    void confirmedDuringARenderItStopsTheRenderAndNothingIsDeliveredAfter() {
        MutableClock simClock = new MutableClock(Instant.now());
        // the simulator's renders finish only when its clock is moved on
        try (EngineFixture f = EngineFixture.start(SimulatorConfig.fast().withClock(simClock)
                .withRenderTime(Duration.ofMinutes(1)), b -> b)) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            in.accept(file(ANN, ANIMATE, png("photo.png")));
            p.awaitText(t -> t.startsWith("Rendering"), WAIT);

            in.accept(text(ANN, "/forget"));
            Sent.Text question = (Sent.Text) p.await(s -> s instanceof Sent.Text t
                    && t.text().startsWith("This erases everything"), WAIT, "the question");
            in.press(text(ANN, question.press(Action.ERASE)), new Press());
            Sent done = p.awaitText(t -> t.startsWith("Done. Erased:"), WAIT);
            assertThat(done.shownText()).contains("the link to your NemoVideo account and project", "1 render");
            assertThat(f.engine().awaitIdle(WAIT)).as("the render stopped").isTrue();
            simClock.advance(Duration.ofMinutes(2)); // the backend's render completes: nobody fetches it
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();

            assertThat(p.sent()).noneMatch(s -> s instanceof Sent.Video);
            assertThat(rows(f, ANN)).as("nothing of Ann is left").allSatisfy((table, n) -> assertThat(n).isZero());
        }
    }

    @Test
    void aUserWhoNeverAskedForAnythingHasOnlyTheIdsOfTheirMessagesErased() {
        try (EngineFixture f = EngineFixture.start()) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            in.press(text(ANN, Action.ERASE.command(Optional.empty())), new Press());
            p.awaitText(t -> t.equals("Done. Erased: the ids of your recent messages. Your next message starts "
                    + "afresh."), WAIT);
        }
    }

    /** The X-Client-Id of every anonymous token asked for, in order. */
    static List<String> clientIds(NemoSimulator sim) {
        return Checks.requests(sim, "POST", "/api/auth/anonymous-token").stream()
                .map(r -> r.header("X-Client-Id").orElse("")).toList();
    }

    static Map<String, Long> rows(EngineFixture f, ChatUser user) {
        return StoreRows.of(f.dataDir(), user);
    }

    /** What is kept of {@code user} but the ids of their messages (which each message adds to). */
    static Map<String, Long> records(EngineFixture f, ChatUser user) {
        return StoreRows.records(f.dataDir(), user);
    }
}
