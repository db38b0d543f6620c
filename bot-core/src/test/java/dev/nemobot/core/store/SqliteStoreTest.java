package dev.nemobot.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.config.DatabaseSettings;
import dev.nemobot.config.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The store contract on the embedded engine, plus what only SQLite has: files, key file, pre-Flyway stores. */
class SqliteStoreTest extends StoreContractTest {

    @Override
    DatabaseSettings database() {
        return DatabaseSettings.embedded();
    }

    @Override
    Connection raw() throws Exception {
        return DriverManager.getConnection(url());
    }

    @Override
    String url() {
        return "jdbc:sqlite:" + dir.resolve("s.db");
    }

    @Override
    List<String> failUpdatesOf(String userKey) {
        return List.of("CREATE TRIGGER fail_update BEFORE UPDATE ON identities WHEN OLD.user_key = '" + userKey
                + "' BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
    }

    @Override
    String onTable() {
        return "";
    }

    @Test
    void noFileOfTheStoreHoldsATokenInPlainText() throws Exception {
        aTokenAtRestIsNotReadableInTheDatabase();
        for (Path f : Files.list(dir).filter(Files::isRegularFile).toList()) { // the database and its WAL files
            assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1))
                    .as(f.getFileName().toString()).doesNotContain("nmv_usr_plainly_secret");
        }
    }

    @Test
    void commitsGoToTheWriteAheadLogAndReachTheDiskBeforeTheWriterIsReleased() throws Exception {
        try (Store s = open("a")) {
            JdbcStore store = (JdbcStore) s;
            assertThat(store.database().pragma("journal_mode")).isEqualToIgnoringCase("wal");
            assertThat(store.database().pragma("synchronous")).as("FULL: an fsync per (group) commit").isEqualTo("2");
        }
    }

    @Test
    void theLogIsCopiedIntoTheDatabaseBesideTheWriterNotInItsCommits() throws Exception {
        try (Store s = open("a")) {
            JdbcStore store = (JdbcStore) s;
            assertThat(store.database().pragma("wal_autocheckpoint")).as("the writer copies the log only when large")
                    .isEqualTo(String.valueOf(Database.WRITER_CHECKPOINT_PAGES));
            Path db = dir.resolve("s.db");
            long before = Files.size(db);
            // ~400 KB of rows: some 100 pages in the log, far under the writer's 10 000, so only the checkpointer
            // can bring them into the database file while the store is open
            String big = "x".repeat(4000);
            for (int i = 0; i < 100; i++) {
                s.identities().save(new StoredIdentity("telegram:" + i, "client-" + i, Optional.of(Secret.of(big)),
                        Optional.of(java.time.Instant.EPOCH), Optional.empty()));
            }
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> Files.size(db) > before + 200_000);
        }
    }

    @Test
    void withSyncAtCheckpointsOnlyTheLogIsNotSyncedAtEveryCommit() {
        try (Store s = Store.open(new StoreOptions(database().withSqliteSync(DatabaseSettings.SqliteSync.NORMAL),
                dir.resolve("n.db"), TokenCipher.fromBase64(key(9)), Optional.of("n"), clock))) {
            JdbcStore store = (JdbcStore) s;
            assertThat(store.database().pragma("journal_mode")).isEqualToIgnoringCase("wal");
            assertThat(store.database().pragma("synchronous")).as("NORMAL").isEqualTo("1");
        }
    }

    @Test
    void theGeneratedKeyFileIsReadableByItsOwnerOnly() throws Exception {
        Store.sqlite(dir.resolve("k.db")).close();
        Path key = dir.resolve(Store.KEY_FILE);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
    }

    @Test
    void theDataDirectoryAndTheDatabaseFilesAreTheOwnersOnly() throws Exception {
        // under the usual umask 022 (what the build runs with): created 0755 and 0644 before
        Path data = dir.resolve("data");
        try (Store s = Store.open(StoreOptions.sqlite(data.resolve(StoreOptions.SQLITE_FILE),
                TokenCipher.fromKeyFile(data.resolve(Store.KEY_FILE))))) {
            s.identities().save(new StoredIdentity("telegram:1", "client", Optional.empty(), Optional.empty(), Optional.empty()));
            s.identities().find("telegram:1"); // a read after the write: the -wal and -shm files exist now
            java.util.Map<String, String> modes = new java.util.TreeMap<>();
            try (var files = Files.walk(data)) {
                for (Path p : files.toList()) {
                    modes.put(dir.relativize(p).toString(), java.nio.file.attribute.PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(p)));
                }
            }
            assertThat(modes).containsKeys("data/nemobot.db", "data/nemobot.db-wal", "data/nemobot.db-shm",
                    "data/instances", "data/secret.key");
            modes.forEach((name, mode) -> assertThat(mode).as(name)
                    .isEqualTo(Files.isDirectory(dir.resolve(name)) ? "rwx------" : "rw-------"));
        }
    }

    @Test
    void anOlderStoresFilesReadableByOthersBecomeTheOwnersOnly() throws Exception {
        Path db = dir.resolve("s.db");
        open("a").close();
        Files.setPosixFilePermissions(db, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        open("a").close();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(db)))
                .isEqualTo("rw-------");
    }

    @Test
    void twoFirstStartsAtOnceAgreeOnOneKeyFile() throws Exception {
        // two processes starting at once on a new data directory: one made the key file empty, the other read it
        // before it was written (63 of 300 failed)
        int failures = 0;
        java.util.List<String> why = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
            for (int i = 0; i < 300; i++) {
                Path key = dir.resolve("race-" + i).resolve(Store.KEY_FILE);
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
                java.util.concurrent.Callable<TokenCipher> first = () -> {
                    start.await();
                    return TokenCipher.fromKeyFile(key);
                };
                var a = pool.submit(first);
                var b = pool.submit(first);
                try {
                    TokenCipher ca = a.get();
                    TokenCipher cb = b.get();
                    assertThat(cb.open("u", ca.seal("u", "same key"))).isEqualTo("same key");
                } catch (java.util.concurrent.ExecutionException | AssertionError | StoreException e) {
                    failures++;
                    why.add(String.valueOf(e.getCause() == null ? e : e.getCause()));
                }
            }
        }
        assertThat(failures).as("failed starts of 300: %s", why.stream().distinct().limit(3).toList()).isZero();
    }

    @Test
    void migrationsRunOnceOnAnEmptyFileAndNotAgainOnReopen() throws Exception {
        open("a").close();
        open("a").close();
        assertThat(appliedVersions()).containsExactly("1", "3", "4", "5", "6", "7", "8", "9.1", "10", "11", "12", "13", "14", "15");
    }

    @Test
    void aStoreOfTheFirstVersionIsMigratedAndItsPlainTokensSealed() throws Exception {
        legacyStore(1);
        try (Connection c = raw(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO identities VALUES ('telegram:9', 'cid', 'nmv_usr_legacy', 0, NULL, NULL, NULL, NULL, 0)");
        }
        Store s = open("a");
        assertThat(s.identities().find("telegram:9").orElseThrow().token().orElseThrow().reveal()).isEqualTo("nmv_usr_legacy");
        try (Connection c = raw(); ResultSet rs = c.createStatement().executeQuery("SELECT token FROM identities")) {
            rs.next();
            assertThat(rs.getString(1)).startsWith("v1:").doesNotContain("legacy");
        }
        assertThat(appliedVersions()).containsExactly("1", "3", "4", "5", "6", "7", "8", "9.1", "10", "11", "12", "13", "14", "15");
    }

    @Test
    void aStoreOfTheLastHandMigratedVersionKeepsItsJobsAndGainsLeases() throws Exception {
        legacyStore(4);
        try (Connection c = raw(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO pending_exports VALUES ('render_7', 'discord', '7', 'Bo', 'zh-CN', 'discord', "
                    + "'chan', 1, 'task', 'sess-render_7', 7)");
            st.execute("INSERT INTO running_turns VALUES ('discord:7', 'discord', '7', 'Bo', 'zh-CN', 'discord', "
                    + "'chan', 1, 5)");
        }
        Store s = open("a");
        assertThat(appliedVersions()).containsExactly("4", "5", "6", "7", "8", "9.1", "10", "11", "12", "13", "14", "15");
        assertThat(s.exports().claim("discord", false, 10)).extracting(PendingExport::renderId)
                .as("a job of the version before leases belongs to nobody: taken at once").containsExactly("render_7");
        assertThat(s.turns().claimInterrupted("discord", false)).hasSize(1);
    }

    @Test
    void aRefusedKeyLeavesAHandMigratedStoreAsItWas() throws Exception {
        legacyStore(4); // schema 2 on sealed the tokens
        TokenCipher right = TokenCipher.fromBase64(key(9));
        try (Connection c = raw(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO identities VALUES ('telegram:9', 'cid', '" + right.seal("telegram:9", "nmv_usr_x")
                    + "', 0, NULL, NULL, NULL, NULL, 0)");
        }
        var before = contents();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> open("b", TokenCipher.fromBase64(key(2))))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.keyRefused()).isTrue());
        assertThat(contents()).as("no schema history made, nothing migrated").isEqualTo(before);
        assertThat(open("a", right).identities().find("telegram:9").orElseThrow().token().orElseThrow().reveal())
                .isEqualTo("nmv_usr_x");
    }

    /** A store as the hand-written migrations before Flyway left it at {@code version} (1 or 4). */
    private void legacyStore(int version) throws Exception {
        try (Connection c = raw(); Statement st = c.createStatement()) {
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
            if (version >= 4) {
                st.execute("INSERT INTO schema_version VALUES (2)");
                st.execute("""
                        CREATE TABLE handled_messages (platform TEXT NOT NULL, message_id TEXT NOT NULL,
                          handled_at INTEGER NOT NULL, PRIMARY KEY (platform, message_id))""");
                st.execute("CREATE INDEX handled_messages_at ON handled_messages (handled_at)");
                st.execute("INSERT INTO schema_version VALUES (3)");
                st.execute("""
                        CREATE TABLE running_turns (user_key TEXT PRIMARY KEY, user_platform TEXT NOT NULL,
                          user_id TEXT NOT NULL, user_name TEXT, user_locale TEXT, conv_platform TEXT NOT NULL,
                          conv_id TEXT NOT NULL, conv_group INTEGER NOT NULL, started_at INTEGER NOT NULL)""");
                st.execute("INSERT INTO schema_version VALUES (4)");
            }
        }
    }

    private java.util.List<String> appliedVersions() throws Exception {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (Connection c = raw(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT version FROM flyway_schema_history WHERE success = 1 ORDER BY installed_rank")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void instancesStartingAtOnceOnAnEmptyFileMigrateItOnce() throws Exception {
        List<java.util.concurrent.Future<Store>> opening = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 4; i++) {
                String id = "i" + i;
                opening.add(pool.submit(() -> open(id)));
            }
            for (var f : opening) {
                assertThat(f.get().instanceId()).startsWith("i");
            }
        }
        assertThat(appliedVersions()).containsExactly("1", "3", "4", "5", "6", "7", "8", "9.1", "10", "11", "12", "13", "14", "15");
    }

    @Test
    void twoProcessesOnOneDataDirectoryGetTwoInstanceIds() {
        try (InstanceSlot first = InstanceSlot.take(dir, Optional.empty());
             InstanceSlot second = InstanceSlot.take(dir, Optional.empty())) {
            assertThat(first.id()).isNotEqualTo(second.id());
            String firstId = first.id();
            first.close();
            try (InstanceSlot again = InstanceSlot.take(dir, Optional.empty())) {
                assertThat(again.id()).as("a restart gets its own id back").isEqualTo(firstId);
            }
        }
    }
}
