package dev.nemobot.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.store.memory.MemoryStore;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The ports' contract on the in-memory store, plus its bounds. */
class MemoryStoreTest extends StorePortsContract {

    @Override
    Store open(String instance) {
        return new MemoryStore(instance, clock, 100, 100, 100);
    }

    /** A store of three of each, to see its bounds. */
    private Store bounded() {
        return new MemoryStore("a", clock, 3, 3, 3);
    }

    @Test
    void aFullStoreRefusesNewUsersAndJobsButKeepsServingKnownOnes() {
        Store s = bounded();
        for (int i = 0; i < 3; i++) {
            s.identities().save(new StoredIdentity("u" + i, "c", Optional.empty(), Optional.empty(), Optional.empty()));
            s.exports().save(export("render_" + i, i));
            s.turns().claim(new ChatUser("discord", "u" + i, "U", Locale.ROOT), CHAN, clock.instant(), "t");
        }
        assertThatThrownBy(() -> s.identities().save(new StoredIdentity("u3", "c", Optional.empty(), Optional.empty(),
                Optional.empty()))).isInstanceOf(StoreException.class);
        s.identities().save(new StoredIdentity("u0", "c2", Optional.empty(), Optional.empty(), Optional.empty()));
        assertThatThrownBy(() -> s.exports().save(export("render_3", 3))).isInstanceOf(StoreException.class);
        s.exports().finish("render_0", true);
        clock.advance(java.time.Duration.ofDays(8));
        s.exports().save(export("render_3", 3)); // a job finished over a week ago makes room
        assertThat(s.exports().state("render_0")).isEmpty();
        assertThatThrownBy(() -> s.turns().claim(new ChatUser("discord", "u3", "U", Locale.ROOT), CHAN, clock.instant(), "t"))
                .isInstanceOf(StoreException.class);
    }

    @Test
    void handledMessagesPastTheBoundForgetTheOldestFirst() {
        Store s = bounded();
        for (int i = 0; i < 5; i++) {
            s.handled().record("telegram", String.valueOf(i), Instant.ofEpochSecond(i));
        }
        assertThat(s.handled().since(Instant.EPOCH, 10))
                .containsExactly(Map.entry("telegram", "4"), Map.entry("telegram", "3"), Map.entry("telegram", "2"));
    }
}
