package dev.nemobot.core.conversation;

import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.RecordingPlatform;
import dev.nemobot.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** BOT_MAX_TURNS against the simulator: a burst of users is served a few at a time, the rest told their place. */
class TurnSlotsFlowTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void fiveUsersAtOnceWithTwoSlotsRunAtMostTwoTurnsAtOnceAndAllFinish() {
        // slow enough answers that five turns started together would overlap
        SimulatorConfig sim = SimulatorConfig.fast().withTextDelay(Duration.ofMillis(40));
        try (EngineFixture f = EngineFixture.start(sim, s -> s.withLimits(s.limits().withTurnBounds(2, 10)),
                b -> b)) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            List<ChatUser> users = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                users.add(user("telegram", "u" + i, Locale.ENGLISH));
            }
            for (ChatUser u : users) {
                in.accept(text(u, "hello, what can you do for me?"));
            }
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();

            // before: 5 streams at once
            assertThat(f.simulator().peakConcurrentTurns()).isBetween(1, 2);
            assertThat(f.simulator().requests()).filteredOn(r -> r.path().startsWith("/run_sse")).hasSize(5);
            assertThat(p.texts()).filteredOn(t -> t.contains("in line")).hasSizeGreaterThanOrEqualTo(3)
                    .anyMatch(t -> t.contains("number 1 in line")).anyMatch(t -> t.contains("number 3 in line"));
        }
    }

    @Test
    void pastTheLineATurnIsRefusedPolitely() {
        SimulatorConfig sim = SimulatorConfig.fast().withTextDelay(Duration.ofMillis(40));
        try (EngineFixture f = EngineFixture.start(sim, s -> s.withLimits(s.limits().withTurnBounds(1, 1)),
                b -> b)) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            for (int i = 0; i < 4; i++) {
                in.accept(text(user("telegram", "v" + i, Locale.ENGLISH), "hello, what can you do for me?"));
            }
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(f.simulator().peakConcurrentTurns()).isEqualTo(1);
            assertThat(p.texts()).anyMatch(t -> t.contains("line is full"));
        }
    }
}
