package dev.nemobot.core;

import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.store.memory.MemoryStore;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.RecordingPlatform;
import dev.nemobot.simulator.SimulatorConfig;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** An engine on the in-memory ports (as engine specs run it): a whole conversation, and no database on disk. */
class MemoryStoreEngineTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aConversationRunsOnTheInMemoryStoreAndKeepsItsRecordsThere() throws Exception {
        MemoryStore store = new MemoryStore(Clock.systemUTC());
        try (EngineFixture f = EngineFixture.start(SimulatorConfig.fast(), b -> b.store(store))) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            ChatUser ann = user("telegram", "1", Locale.ENGLISH);
            in.accept(file(ann, ConversationFlowTest.ANIMATE, png("photo.png")));

            p.awaitVideo(WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(store.identities().find(ann.key())).as("the identity kept in memory").isPresent();
            assertThat(store.exports().pending("telegram")).as("delivered").isEmpty();
            assertThat(Files.exists(f.dataDir().resolve(Engine.STORE_FILE))).as("no database file").isFalse();
        }
    }
}
