package dev.nemobot.core;

import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nemobot.config.AccessSettings;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.chat.Incoming;
import dev.nemobot.core.store.Store;
import dev.nemobot.core.store.PendingExport;
import dev.nemobot.core.store.StoreOptions;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.testing.MutableClock;
import dev.nemobot.core.testing.RecordingPlatform;
import dev.nemobot.core.testing.ScaledTime;
import dev.nemobot.core.testing.TestChats;
import dev.nemobot.simulator.SimulatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the engine keeps only for a while is forgotten while it runs, not only at its next start. */
class HousekeepingTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final ChatUser ANN = user("telegram", "1", Locale.ENGLISH);

    @Test
    void handledIdsFinishedExportsAndOldSpendArePrunedOnASchedule() {
        // an hour passes in 50 ms: the hourly housekeeping runs many times during the test, no real waiting
        try (ScaledTime time = new ScaledTime(72_000);
             EngineFixture f = EngineFixture.start(SimulatorConfig.fast(), s -> s,
                     b -> b.clock(time.clock()).scheduler(time.scheduler()))) {
            Instant now = time.clock().instant();
            // rows written after the engine's start (so its start-up pruning cannot be what removes them), by
            // another store on the same file whose clock runs eight days behind
            MutableClock past = new MutableClock(now.minus(Duration.ofDays(8)));
            try (Store other = Store.open(StoreOptions.from(f.settings(), past)
                    .withInstanceId("other"))) {
                other.handled().record("telegram", "old", now.minus(Duration.ofHours(7)));
                LocalDate longAgo = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(5);
                other.credits().add(ANN.key(), longAgo, 3);
                other.exports().save(new PendingExport("r-old", ANN, TestChats.dm(ANN), "t", "s", past.instant()));
                other.exports().finish("r-old", true);
                assertThat(other.exports().state("r-old")).contains("delivered");

                await("handled ids, the finished export and the old spend pruned while running").atMost(WAIT)
                        .until(() -> other.handled().since(Instant.EPOCH, 10).isEmpty()
                                && other.credits().spent(ANN.key(), longAgo) == 0 && other.exports().state("r-old").isEmpty());
            }
        }
    }

    @Test
    void aDeniedUsersMessagesAreNotRecordedAsHandled() {
        ChatUser denied = user("telegram", "66", Locale.ENGLISH);
        try (EngineFixture f = EngineFixture.start(SimulatorConfig.fast(),
                s -> s.withAccess(new AccessSettings(Set.of(), Set.of("66"), Set.of(), Set.of(), Set.of(), Set.of())),
                b -> b)) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            Incoming refused = text(denied, "/help");
            Incoming served = text(ANN, "/help");
            in.accept(refused);
            in.accept(served);
            p.awaitText(t -> t.contains("isn't available here"), WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            try (Store other = Store.open(StoreOptions.from(f.settings(), java.time.Clock.systemUTC())
                    .withInstanceId("reader"))) {
                // written in order: once the served message is recorded, a recorded refused one would be too
                await("the served message recorded").atMost(WAIT)
                        .until(() -> other.handled().since(Instant.EPOCH, 10).contains(Map.entry("telegram",
                        served.messageId())));
                assertThat(other.handled().since(Instant.EPOCH, 10)).as("handled ids")
                        .doesNotContain(Map.entry("telegram", refused.messageId()));
            }
        }
    }

    @Test
    void theEngineSweepsItsTemporaryDirectoryAtStart() throws IOException {
        Path left;
        Path fresh;
        try (EngineFixture first = EngineFixture.start()) {
            Path tmp = Files.createDirectories(first.dataDir().resolve("tmp"));
            left = touch(tmp.resolve("r9-x.mp4.part"), Instant.now().minus(Duration.ofHours(12)));
            fresh = touch(tmp.resolve("r8-x.mp4.part"), Instant.now());
            Engine again = Engine.builder().settings(first.settings()).backend(first.backend())
                    .timings(EngineFixture.TEST_TIMINGS).build();
            again.close();
            assertThat(left).doesNotExist();
            assertThat(fresh).exists();
        }
    }

    private static Path touch(Path file, Instant modified) throws IOException {
        Files.writeString(file, "x");
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }
}
