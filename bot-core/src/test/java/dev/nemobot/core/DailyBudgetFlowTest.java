package dev.nemobot.core;

import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.config.LimitSettings;
import dev.nemobot.config.Settings;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.store.CreditLedger;
import dev.nemobot.core.backend.TokenGrant;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.RecordingPlatform;
import dev.nemobot.core.testing.RecordingPlatform.Sent;
import dev.nemobot.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BOT_DAILY_CREDITS with the operator's shared token, through the real engine against the simulator. */
class DailyBudgetFlowTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String ANIMATE = ConversationFlowTest.ANIMATE;

    /** Real time, started at a chosen instant; jumps forward on request (only while the engine is idle). */
    static final class JumpClock extends Clock {
        private final Instant origin = Instant.now();
        private volatile Duration offset;

        JumpClock(Instant start) {
            this.offset = Duration.between(origin, start);
        }

        void jump(Duration d) {
            offset = offset.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }

    private final ChatUser ann = user("telegram", "1", Locale.ENGLISH);
    private final ChatUser bo = user("telegram", "2", Locale.ENGLISH);
    private final ChatUser li = user("telegram", "3", Locale.SIMPLIFIED_CHINESE);

    /** An engine sharing an operator token (an account of the fixture's simulator) with this budget. */
    private static Engine operatorEngine(EngineFixture f, Path dir, LimitSettings limits, Clock clock,
                                         CreditLedger ledger) {
        TokenGrant operator = f.backend().anonymousToken(UUID.randomUUID().toString());
        Settings s = new Settings(f.settings().nemo().withToken(operator.token()), Optional.empty(),
                Optional.empty(), dir, true).withLimits(limits);
        return Engine.builder().settings(s).backend(f.backend()).timings(EngineFixture.TEST_TIMINGS).clock(clock)
                .creditLedger(ledger).build();
    }

    private static Predicate<Sent> to(ChatUser u, Predicate<String> text) {
        return s -> s instanceof Sent.Text t && t.recipient().equals(u) && text.test(t.text());
    }

    @Test
    void generationsStopAtTheBudgetWithTheTimeItRenewsAndStartAgainTheNextDay(@TempDir Path dir) {
        JumpClock clock = new JumpClock(Instant.parse("2025-03-01T21:00:00Z"));
        CreditLedger ledger = CreditLedger.inMemory(clock);
        LimitSettings limits = LimitSettings.defaults().withDailyCredits(20).withCreditEstimates(10, 2);
        try (EngineFixture f = EngineFixture.start();
             Engine engine = operatorEngine(f, dir, limits, clock, ledger)) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = engine.attach(p);
            in.accept(file(ann, ANIMATE, png("photo.png")));
            p.await(s -> s instanceof Sent.Video v && v.recipient().equals(ann), WAIT, "the first video");
            assertThat(engine.awaitIdle(WAIT)).isTrue();
            assertThat(ledger.spent(ann.key(), LocalDate.of(2025, 3, 1))).isEqualTo(10);

            in.accept(text(ann, "make a new video of it with faster motion"));
            assertThat(engine.awaitIdle(WAIT)).isTrue();
            assertThat(ledger.spent(ann.key(), LocalDate.of(2025, 3, 1))).as("a second generation").isEqualTo(20);
            int turns = Checks.turnsSent(f.simulator()).size();
            assertThat(turns).isEqualTo(2);

            in.accept(text(ann, "animate it once more"));
            Sent refused = p.await(to(ann, t -> t.contains("today's budget of 20 credits")), WAIT, "the refusal");
            assertThat(refused.shownText()).contains("00:00 UTC").containsPattern("in (3 h|2 h 5\\d min)\\.")
                    .contains("/status");
            in.accept(text(ann, "/credits"));
            Sent credits = p.await(to(ann, t -> t.startsWith("Credits:")), WAIT, "the credits");
            assertThat(credits.shownText()).contains("Your daily budget: 0 of 20 credits left today");
            assertThat(engine.awaitIdle(WAIT)).isTrue();
            long videos = p.sent().stream().filter(x -> x instanceof Sent.Video).count();
            in.accept(text(ann, "export"));
            assertThat(engine.awaitIdle(WAIT)).isTrue();
            assertThat(p.sent().stream().filter(x -> x instanceof Sent.Video).count()).as("exports are free: never refused")
                    .isEqualTo(videos + 1);

            // the budget is per user
            in.accept(text(bo, "hello"));
            assertThat(engine.awaitIdle(WAIT)).isTrue();
            assertThat(p.sent()).anyMatch(to(bo, t -> !t.contains("budget")));
            assertThat(Checks.turnsSent(f.simulator())).as("ann's third turn never reached the backend")
                    .hasSize(turns + 1);

            clock.jump(Duration.ofHours(3)); // past 00:00 UTC
            in.accept(text(ann, "/credits"));
            p.await(to(ann, t -> t.contains("20 of 20 credits left today")), WAIT, "a renewed budget");
            in.accept(text(ann, "animate it once more"));
            assertThat(engine.awaitIdle(WAIT)).isTrue();
            assertThat(Checks.turnsSent(f.simulator())).hasSize(turns + 2);
            assertThat(ledger.spent(ann.key(), LocalDate.of(2025, 3, 2))).isEqualTo(10);
            Checks.nothingLeaked(p, f.simulator());
        }
    }

    @Test
    void editsCountTheirEstimateAndTheRefusalSpeaksChinese(@TempDir Path dir) {
        JumpClock clock = new JumpClock(Instant.parse("2025-03-01T12:00:00Z"));
        CreditLedger ledger = CreditLedger.inMemory(clock);
        LimitSettings limits = LimitSettings.defaults().withDailyCredits(21).withCreditEstimates(10, 2);
        try (EngineFixture f = EngineFixture.start(SimulatorConfig.fast().withSilentRatio(0), b -> b);
             Engine engine = operatorEngine(f, dir, limits, clock, ledger)) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = engine.attach(p);
            in.accept(file(li, "把这张图片做成视频", png("photo.png")));
            p.await(s -> s instanceof Sent.Video, WAIT, "the video");
            assertThat(engine.awaitIdle(WAIT)).isTrue();
            in.accept(text(li, "加上爵士音乐"));
            assertThat(engine.awaitIdle(WAIT)).isTrue();
            assertThat(ledger.spent(li.key(), LocalDate.of(2025, 3, 1))).as("a generation and an edit").isEqualTo(12);
            in.accept(text(li, "你好"));
            p.await(to(li, t -> t.contains("21 积分的额度已用完") && t.contains("UTC 时间 00:00")
                    && (t.contains("12 小时后") || t.contains("11 小时 59 分钟后"))), WAIT, "the refusal in Chinese");
            assertThat(engine.awaitIdle(WAIT)).isTrue();
            assertThat(Checks.turnsSent(f.simulator())).hasSize(2);
        }
    }

    @Test
    void whatWasSpentIsKeptInTheStoreAcrossARestart(@TempDir Path dir) {
        JumpClock clock = new JumpClock(Instant.parse("2025-03-01T12:00:00Z"));
        LimitSettings limits = LimitSettings.defaults().withDailyCredits(10).withCreditEstimates(10, 2);
        try (EngineFixture f = EngineFixture.start()) {
            TokenGrant operator = f.backend().anonymousToken(UUID.randomUUID().toString());
            Settings s = new Settings(f.settings().nemo().withToken(operator.token()), Optional.empty(),
                    Optional.empty(), dir, true).withLimits(limits);
            try (Engine first = Engine.builder().settings(s).backend(f.backend()).timings(EngineFixture.TEST_TIMINGS)
                    .clock(clock).build()) {
                RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
                first.attach(p).accept(file(ann, ANIMATE, png("photo.png")));
                p.awaitVideo(WAIT);
                assertThat(first.awaitIdle(WAIT)).isTrue();
            }
            try (Engine again = Engine.builder().settings(s).backend(f.backend()).timings(EngineFixture.TEST_TIMINGS)
                    .clock(clock).build()) {
                RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
                again.attach(p).accept(text(ann, "animate it once more"));
                p.await(to(ann, t -> t.contains("today's budget of 10 credits")), WAIT, "the refusal after a restart");
                assertThat(again.awaitIdle(WAIT)).isTrue();
                assertThat(Checks.turnsSent(f.simulator())).hasSize(1);
            }
        }
    }

    @Test
    void anonymousUsersSpendTheirOwnCreditsSoNoBudgetApplies() {
        try (EngineFixture f = EngineFixture.start(SimulatorConfig.fast(),
                s -> s.withLimits(LimitSettings.defaults().withDailyCredits(10).withCreditEstimates(10, 2)), b -> b)) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            in.accept(file(ann, ANIMATE, png("photo.png")));
            p.awaitVideo(WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            in.accept(text(ann, "animate it again into a new video"));
            in.accept(text(ann, "/credits"));
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(Checks.turnsSent(f.simulator())).hasSize(2);
            assertThat(p.texts()).noneMatch(t -> t.contains("budget"));
        }
    }
}
