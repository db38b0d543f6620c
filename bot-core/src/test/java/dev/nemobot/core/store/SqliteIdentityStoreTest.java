package dev.nemobot.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.config.Secret;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteIdentityStoreTest {
    @TempDir
    Path dir;

    @Test
    void identitiesSurviveAReopen() {
        Path file = dir.resolve("s.db");
        Instant expires = Instant.parse("2030-01-01T00:00:00Z");
        StoredIdentity id = new StoredIdentity("telegram:1", "client-uuid", Optional.of(Secret.of("nmv_usr_x")),
                Optional.of(expires), Optional.of(new StoredIdentity.StoredSession("task", "sess", Optional.of("bind"), "zh")));
        try (IdentityStore s = IdentityStore.sqlite(file)) {
            assertThat(s.find("telegram:1")).isEmpty();
            s.save(id);
        }
        try (IdentityStore s = IdentityStore.sqlite(file)) {
            assertThat(s.find("telegram:1")).contains(id);
            s.save(new StoredIdentity("telegram:2", "c2", Optional.empty(), Optional.empty(), Optional.empty()));
            assertThat(s.find("telegram:2").orElseThrow().session()).isEmpty();
        }
    }

    @Test
    void theRecordNeverPrintsTheToken() {
        StoredIdentity id = new StoredIdentity("k", "c", Optional.of(Secret.of("nmv_usr_secret")),
                Optional.of(Instant.EPOCH), Optional.empty());
        assertThat(id.toString()).doesNotContain("nmv_usr_secret");
    }

    @Test
    void pendingExportsAreKeptPerPlatformUntilRemoved() {
        try (IdentityStore s = IdentityStore.sqlite(dir.resolve("e.db"))) {
            PendingExport e = new PendingExport("render_1", new ChatUser("discord", "7", "Bo", Locale.CHINA),
                    new Conversation("discord", "chan", true), "task", "sess", Instant.ofEpochMilli(1000));
            s.savePendingExport(e);
            assertThat(s.pendingExports("discord")).containsExactly(e);
            assertThat(s.pendingExports("telegram")).isEmpty();
            s.removePendingExport("render_1");
            assertThat(s.pendingExports("discord")).isEmpty();
        }
    }

    @Test
    void keepsASchemaVersion() throws Exception {
        Path file = dir.resolve("v.db");
        IdentityStore.sqlite(file).close();
        IdentityStore.sqlite(file).close();
        assertThat(Files.exists(file)).isTrue();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file);
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*), MAX(version) FROM schema_version")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.getInt(2)).isEqualTo(1);
        }
    }
}
