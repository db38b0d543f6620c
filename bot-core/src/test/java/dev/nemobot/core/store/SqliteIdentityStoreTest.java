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
            assertThat(rs.getInt(1)).as("one row per migration, none repeated on reopen").isEqualTo(4);
            assertThat(rs.getInt(2)).isEqualTo(4);
        }
    }

    @Test
    void handledMessagesAreKeptUntilTheirRetentionEnds() {
        try (IdentityStore s = IdentityStore.sqlite(dir.resolve("h.db"))) {
            s.recordHandled("telegram", "5001", Instant.ofEpochSecond(100));
            s.recordHandled("telegram", "5001", Instant.ofEpochSecond(150)); // a redelivery changes nothing
            s.recordHandled("discord", "99", Instant.ofEpochSecond(200));
            assertThat(s.handledSince(Instant.ofEpochSecond(0), 10))
                    .containsExactly(java.util.Map.entry("discord", "99"), java.util.Map.entry("telegram", "5001"));
            assertThat(s.handledSince(Instant.ofEpochSecond(0), 1)).hasSize(1);
            s.forgetHandledBefore(Instant.ofEpochSecond(180));
            assertThat(s.handledSince(Instant.ofEpochSecond(0), 10)).containsExactly(java.util.Map.entry("discord", "99"));
        }
    }

    @Test
    void aTokenAtRestIsNotReadableInTheDatabaseFile() throws Exception {
        Path file = dir.resolve("t.db");
        try (IdentityStore s = IdentityStore.sqlite(file)) {
            s.save(new StoredIdentity("telegram:1", "client", Optional.of(Secret.of("nmv_usr_plainly_secret")),
                    Optional.of(Instant.EPOCH), Optional.empty()));
            assertThat(s.find("telegram:1").orElseThrow().token().orElseThrow().reveal()).isEqualTo("nmv_usr_plainly_secret");
        }
        for (Path f : Files.list(dir).toList()) { // the database and its WAL files
            assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .as(f.getFileName().toString()).doesNotContain("nmv_usr_plainly_secret");
        }
    }

    @Test
    void theGeneratedKeyFileIsReadableByItsOwnerOnly() throws Exception {
        IdentityStore.sqlite(dir.resolve("k.db")).close();
        Path key = dir.resolve(IdentityStore.KEY_FILE);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
    }

    @Test
    void anOlderStoreWithPlainTokensIsSealedOnOpen() throws Exception {
        Path file = dir.resolve("old.db");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
            st.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
            st.execute("""
                    CREATE TABLE identities (user_key TEXT PRIMARY KEY, client_id TEXT NOT NULL, token TEXT,
                      token_expires_at INTEGER, task_id TEXT, session_id TEXT, bind_id TEXT, language TEXT,
                      updated_at INTEGER NOT NULL)""");
            st.execute("""
                    CREATE TABLE pending_exports (render_id TEXT PRIMARY KEY, user_platform TEXT NOT NULL,
                      user_id TEXT NOT NULL, user_name TEXT, user_locale TEXT, conv_platform TEXT NOT NULL,
                      conv_id TEXT NOT NULL, conv_group INTEGER NOT NULL, task_id TEXT NOT NULL,
                      session_id TEXT NOT NULL, submitted_at INTEGER NOT NULL)""");
            st.execute("INSERT INTO schema_version VALUES (1)");
            st.execute("INSERT INTO identities VALUES ('telegram:9', 'cid', 'nmv_usr_legacy', 0, NULL, NULL, NULL, NULL, 0)");
        }
        try (IdentityStore s = IdentityStore.sqlite(file)) {
            assertThat(s.find("telegram:9").orElseThrow().token().orElseThrow().reveal()).isEqualTo("nmv_usr_legacy");
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file);
             ResultSet rs = c.createStatement().executeQuery("SELECT token FROM identities")) {
            rs.next();
            assertThat(rs.getString(1)).startsWith("v1:").doesNotContain("legacy");
        }
    }

    @Test
    void anotherKeyFailsAtOpenNamingTheSetting() {
        Path file = dir.resolve("w.db");
        try (IdentityStore s = IdentityStore.sqlite(file, TokenCipher.fromBase64(key(1)))) {
            s.save(new StoredIdentity("discord:1", "c", Optional.of(Secret.of("nmv_usr_a")), Optional.of(Instant.EPOCH),
                    Optional.empty()));
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IdentityStore.sqlite(file, TokenCipher.fromBase64(key(2))))
                .isInstanceOf(StoreException.class).hasMessageContaining("BOT_SECRET_KEY");
    }

    @Test
    void aSealedTokenDoesNotOpenInAnotherRow() {
        TokenCipher cipher = TokenCipher.fromBase64(key(3));
        String sealed = cipher.seal("telegram:1", "nmv_usr_a");
        assertThat(cipher.open("telegram:1", sealed)).isEqualTo("nmv_usr_a");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cipher.open("telegram:2", sealed))
                .isInstanceOf(StoreException.class);
    }

    @Test
    void aBadSecretKeyNamesTheSettingAndWhatItExpects() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenCipher.fromBase64("short"))
                .hasMessageContaining("BOT_SECRET_KEY").hasMessageContaining("32");
    }

    private static String key(int fill) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) fill);
        return java.util.Base64.getEncoder().encodeToString(k);
    }
}
