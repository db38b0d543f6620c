package dev.nemobot.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nemobot.config.DatabaseSettings;
import dev.nemobot.config.Secret;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every store engine must do, run against SQLite ({@link SqliteStoreTest}) and PostgreSQL
 * ({@link PostgresStoreTest}): the ports' contract ({@link StorePortsContract}, which the in-memory store meets too)
 * and what takes a database: tokens at rest, migrations, keys, leases between instances. Two instances sharing one
 * store are two stores opened on the same database under two instance ids, with a clock the test moves to make
 * leases lapse.
 */
abstract class StoreContractTest extends StorePortsContract {
    @TempDir
    Path dir;

    private final List<Store> opened = Collections.synchronizedList(new ArrayList<>());

    /** The engine's settings for a database every call of the same test shares. */
    abstract DatabaseSettings database();

    /** Raw access to the database, to look at what is at rest. */
    abstract Connection raw() throws Exception;

    /** The database's JDBC URL, for Flyway to build it at an earlier version. */
    abstract String url();

    @Override
    Store open(String instance) {
        return open(instance, TokenCipher.fromBase64(key(9)));
    }

    Store open(String instance, TokenCipher cipher) {
        Store s = Store.open(new StoreOptions(database().withLease(LEASE), dir.resolve("s.db"), cipher,
                Optional.of(instance), clock));
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(Store::close);
    }

    @Test
    void identitiesSurviveAReopen() {
        Instant expires = Instant.parse("2030-01-01T00:00:00Z");
        StoredIdentity id = new StoredIdentity("telegram:1", "client-uuid", Optional.of(Secret.of("nmv_usr_x")),
                Optional.of(expires), Optional.of(new StoredIdentity.StoredSession("task", "sess", Optional.of("bind"), "zh")));
        Store a = open("a");
        assertThat(a.identities().find("telegram:1")).isEmpty();
        a.identities().save(id);
        a.close();
        Store again = open("a");
        assertThat(again.identities().find("telegram:1")).contains(id);
        again.identities().save(new StoredIdentity("telegram:2", "c2", Optional.empty(), Optional.empty(), Optional.empty()));
        assertThat(again.identities().find("telegram:2").orElseThrow().session()).isEmpty();
        assertThat(open("b").identities().find("telegram:1")).as("another instance reads it too").contains(id);
    }

    @Test
    void aTokenAtRestIsNotReadableInTheDatabase() throws Exception {
        Store s = open("a");
        s.identities().save(new StoredIdentity("telegram:1", "client", Optional.of(Secret.of("nmv_usr_plainly_secret")),
                Optional.of(Instant.EPOCH), Optional.empty()));
        assertThat(s.identities().find("telegram:1").orElseThrow().token().orElseThrow().reveal()).isEqualTo("nmv_usr_plainly_secret");
        try (Connection c = raw(); ResultSet rs = c.createStatement().executeQuery("SELECT token FROM identities")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("v1:").doesNotContain("plainly");
        }
    }

    @Test
    void aResultsRequestIsSealedAtRestAndReadByAnotherInstance() throws Exception {
        Store a = open("a");
        a.results().save(new StoredResult("r1", "telegram:1", "sess", "a plainly secret wish",
                Optional.of("https://img.example/plainly.png"), clock.instant()));
        try (Connection c = raw(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT prompt, image_ref FROM results")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("v1:").doesNotContain("plainly");
            assertThat(rs.getString(2)).startsWith("v1:").doesNotContain("plainly");
        }
        assertThat(open("b").results().find("telegram:1", "r1").orElseThrow().prompt())
                .as("another instance sharing the store").isEqualTo("a plainly secret wish");
    }

    @Test
    void aUsersDefaultsAreSealedAtRestAndReadByAnotherInstance() throws Exception {
        open("a").defaults().put("telegram:1", "--no \"plainly private words\" --ar 9:16");
        try (Connection c = raw(); ResultSet rs = c.createStatement().executeQuery("SELECT options FROM user_defaults")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("v1:").doesNotContain("plainly");
        }
        assertThat(open("b").defaults().get("telegram:1")).as("another instance sharing the store")
                .isEqualTo("--no \"plainly private words\" --ar 9:16");
    }

    @Test
    void aClientIdAtRestIsSealedLikeAToken() throws Exception {
        Store s = open("a");
        s.identities().save(new StoredIdentity("telegram:1", "client-plainly-secret", Optional.empty(), Optional.empty(),
                Optional.empty()));
        assertThat(s.identities().find("telegram:1").orElseThrow().clientId()).isEqualTo("client-plainly-secret");
        try (Connection c = raw(); ResultSet rs = c.createStatement().executeQuery("SELECT client_id FROM identities")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("v1:").doesNotContain("plainly");
        }
    }

    @Test
    void clientIdsAnEarlierVersionKeptInPlainTextAreSealedByTheMigration() throws Exception {
        org.flywaydb.core.Flyway.configure().dataSource(url(), null, null).locations("classpath:db/migration")
                .target("8").load().migrate();
        try (Connection c = raw(); java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO identities (user_key, client_id, token, token_expires_at, task_id, "
                    + "session_id, bind_id, language, updated_at) VALUES "
                    + "('telegram:8', 'client-old-plain', NULL, NULL, NULL, NULL, NULL, NULL, 0)");
        }
        Store s = open("a");
        try (Connection c = raw(); ResultSet rs = c.createStatement().executeQuery("SELECT client_id FROM identities")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("v1:").doesNotContain("old-plain");
        }
        assertThat(s.identities().find("telegram:8").orElseThrow().clientId()).isEqualTo("client-old-plain");
        s.close();
        assertThat(open("b").identities().find("telegram:8").orElseThrow().clientId()).as("sealed once, not again on reopen")
                .isEqualTo("client-old-plain");
    }

    @Test
    void anotherKeyFailsAtOpenNamingTheSetting() {
        open("a", TokenCipher.fromBase64(key(1))).close();
        assertThatThrownBy(() -> open("b", TokenCipher.fromBase64(key(2))))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.keyRefused()).isTrue())
                .hasMessageContaining("BOT_SECRET_KEY");
    }

    /**
     * A store as each earlier schema version left it, with rows in every table that version had, written as the bot
     * of that version wrote them (tokens sealed; client ids in plain text before 9.1, sealed from then on; the key's check
     * value from 5 on),
     * then a start with another key: refused before anything is written (before, the migrations ran first and 9.1
     * sealed every client id with the wrong key). The right key then finds everything.
     */
    @ParameterizedTest(name = "schema {0}")
    @ValueSource(strings = {"1", "3", "4", "5", "6", "7", "8", "10", "11"})
    void aRefusedKeyLeavesAStoreOfEachEarlierVersionAsItWas(String version) throws Exception {
        TokenCipher right = TokenCipher.fromBase64(key(9));
        org.flywaydb.core.Flyway.configure().dataSource(url(), null, null).locations("classpath:db/migration")
                .javaMigrations(new V9_1__Seal_client_ids(right)).target(version).load().migrate();
        writeRowsOfVersion(Integer.parseInt(version), right);
        Map<String, List<String>> before = contents();

        assertThatThrownBy(() -> open("b", TokenCipher.fromBase64(key(2))))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.keyRefused()).isTrue())
                .hasMessageContaining("BOT_SECRET_KEY");
        assertThat(contents()).as("the tables, their rows and the schema history after the refused start")
                .isEqualTo(before);

        assertRowsOfVersionWork(Integer.parseInt(version), open("a", right));
    }

    /**
     * All pending migrations run as one: a data migration (9.1 sealing client ids) failing half-way, here on a row a
     * trigger refuses to update as a full disk would, leaves the store as it was, the migrations before it undone
     * with their schema history (before, 5 to 8 stayed applied). Once the cause is gone the next start migrates.
     */
    @Test
    void aMigrationThatCannotCompleteLeavesTheStoreAsItWas() throws Exception {
        TokenCipher right = TokenCipher.fromBase64(key(9));
        org.flywaydb.core.Flyway.configure().dataSource(url(), null, null).locations("classpath:db/migration")
                .target("4").load().migrate();
        writeRowsOfVersion(4, right);
        try (Connection c = raw(); java.sql.Statement st = c.createStatement()) {
            for (String sql : failUpdatesOf("discord:2")) {
                st.execute(sql);
            }
        }
        Map<String, List<String>> before = contents();

        assertThatThrownBy(() -> open("a", right)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.keyRefused()).isFalse());
        assertThat(contents()).as("the tables, their rows and the schema history after the failed migration")
                .isEqualTo(before);

        try (Connection c = raw(); java.sql.Statement st = c.createStatement()) {
            st.execute("DROP TRIGGER fail_update" + onTable());
        }
        assertRowsOfVersionWork(4, open("a", right));
    }

    /** Statements making every update of the identity {@code userKey} fail (a trigger named fail_update). */
    abstract List<String> failUpdatesOf(String userKey);

    /** How DROP TRIGGER names the table of the trigger: " ON identities" on PostgreSQL, nothing on SQLite. */
    abstract String onTable();

    /** Rows in every table schema {@code version} has, as the bot of that version wrote them. */
    private void writeRowsOfVersion(int version, TokenCipher cipher) throws Exception {
        try (Connection c = raw(); java.sql.Statement st = c.createStatement()) {
            // client ids sealed from 9.1 on
            String one = version >= 10 ? JdbcIdentities.sealClientId(cipher, "telegram:1", "client-one") : "client-one";
            String two = version >= 10 ? JdbcIdentities.sealClientId(cipher, "discord:2", "client-two") : "client-two";
            st.executeUpdate("INSERT INTO identities (user_key, client_id, token, token_expires_at, task_id, "
                    + "session_id, bind_id, language, updated_at) VALUES ('telegram:1', '" + one + "', '"
                    + cipher.seal("telegram:1", "nmv_usr_one") + "', 1893456000000, 'task-1', 'sess-1', 'bind-1', "
                    + "'en', 5), ('discord:2', '" + two + "', NULL, NULL, NULL, NULL, NULL, NULL, 6)");
            st.executeUpdate("INSERT INTO pending_exports (render_id, user_platform, user_id, user_name, user_locale, "
                    + "conv_platform, conv_id, conv_group, task_id, session_id, submitted_at) VALUES ('render_7', "
                    + "'discord', '7', 'Bo', 'zh-CN', 'discord', 'chan', 1, 'task', 'sess-render_7', 7)");
            if (version >= 3) {
                st.executeUpdate("INSERT INTO handled_messages VALUES ('telegram', 'm-1', 8)");
            }
            if (version >= 4) {
                st.executeUpdate("INSERT INTO running_turns (user_key, user_platform, user_id, user_name, user_locale, "
                        + "conv_platform, conv_id, conv_group, started_at) VALUES ('discord:7', 'discord', '7', 'Bo', "
                        + "'zh-CN', 'discord', 'chan', 1, 9)");
            }
            if (version >= 5) {
                st.executeUpdate("UPDATE pending_exports SET conv_guild = 'guild-1'");
                st.executeUpdate("INSERT INTO store_meta VALUES ('cipher_check', '" + cipher.seal("cipher_check", "ok")
                        + "')");
            }
            if (version >= 6) {
                st.executeUpdate("INSERT INTO credit_spend VALUES ('telegram:1', '2026-12-01', 5)");
            }
            if (version >= 7) {
                st.executeUpdate("UPDATE pending_exports SET progress_message = 'msg-1'");
            }
            if (version >= 8) {
                st.executeUpdate("INSERT INTO instance_leases VALUES ('old', 1)");
            }
            if (version >= 10) {
                st.executeUpdate("UPDATE pending_exports SET conv_thread = 'topic-3', reply_to = 'msg-0', "
                        + "prompt = 'make it move'");
                st.executeUpdate("UPDATE running_turns SET conv_thread = 'topic-3'");
            }
            if (version >= 11) {
                st.executeUpdate("INSERT INTO results VALUES ('r1', 'telegram:1', 'sess-1', '"
                        + cipher.seal("result_prompt:r1:telegram:1", "animate it") + "', NULL, " + clock.millis() + ")");
            }
        }
    }

    private void assertRowsOfVersionWork(int version, Store s) throws Exception {
        StoredIdentity one = s.identities().find("telegram:1").orElseThrow();
        assertThat(one.clientId()).isEqualTo("client-one");
        assertThat(one.token().orElseThrow().reveal()).isEqualTo("nmv_usr_one");
        assertThat(s.identities().find("discord:2").orElseThrow().clientId()).isEqualTo("client-two");
        List<PendingExport> exports = s.exports().claim("discord", false, 10);
        assertThat(exports).extracting(PendingExport::renderId).containsExactly("render_7");
        if (version >= 10) {
            assertThat(exports.getFirst().request()).isEqualTo("msg-0");
            assertThat(exports.getFirst().prompt()).isEqualTo("make it move");
        }
        if (version >= 4) {
            assertThat(s.turns().claimInterrupted("discord", false)).hasSize(1);
        }
        if (version >= 11) {
            // a result kept before the history: its buttons work; it is listed once delivered again
            assertThat(s.results().find("telegram:1", "r1").orElseThrow().prompt()).isEqualTo("animate it");
            assertThat(s.results().history("telegram:1", 0, 5)).isEmpty();
            s.results().delivered("telegram:1", "r1", clock.instant(), Optional.empty());
            assertThat(s.results().history("telegram:1", 0, 5)).extracting(StoredResult::resultId).containsExactly("r1");
        }
        try (Connection c = raw(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT version FROM flyway_schema_history ORDER BY installed_rank")) {
            List<String> versions = new ArrayList<>();
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
            assertThat(versions).containsExactly("1", "3", "4", "5", "6", "7", "8", "9.1", "10", "11", "12", "13", "14", "15");
        }
    }

    /**
     * Everything the database holds: each table with its columns and indexes, and its rows (the schema history's
     * included, with their times), sorted.
     */
    Map<String, List<String>> contents() throws Exception {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        try (Connection c = raw()) {
            java.sql.DatabaseMetaData meta = c.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = meta.getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            for (String t : tables) {
                List<String> shape = new ArrayList<>();
                try (ResultSet rs = meta.getColumns(null, c.getSchema(), t, "%")) {
                    while (rs.next()) {
                        shape.add(rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME") + " "
                                + rs.getString("IS_NULLABLE") + " " + rs.getString("COLUMN_DEF"));
                    }
                }
                try (ResultSet rs = meta.getIndexInfo(null, c.getSchema(), t, false, false)) {
                    while (rs.next()) {
                        shape.add("index " + rs.getString("INDEX_NAME") + " " + rs.getString("COLUMN_NAME"));
                    }
                }
                java.util.Collections.sort(shape);
                out.put(t + " (shape)", shape);
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = c.createStatement().executeQuery("SELECT * FROM " + t)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= n; i++) {
                            row.append(i > 1 ? " | " : "").append(rs.getString(i));
                        }
                        rows.add(row.toString());
                    }
                }
                java.util.Collections.sort(rows);
                out.put(t, rows);
            }
        }
        return out;
    }

    @Test
    void aResultDeliveredByAnotherInstanceIsInTheUsersHistory() {
        Store a = open("a");
        Store b = open("b");
        a.results().save(new StoredResult("r1", BO.key(), "sess-1", "animate the cat", Optional.empty(),
                clock.instant()));
        b.results().delivered(BO.key(), "r1", clock.instant(), Optional.of("https://cdn.example/r1.mp4"));
        assertThat(a.results().history(BO.key(), 0, 5)).singleElement()
                .satisfies(r -> assertThat(r.videoUrl()).contains("https://cdn.example/r1.mp4"));
        assertThat(b.results().history(AL.key(), 0, 5)).isEmpty();
    }

    @Test
    void anExportIsHeldByItsInstanceUntilItsLeaseLapses() {
        Store a = open("a");
        Store b = open("b");
        a.exports().save(export("render_1", 1000));
        assertThat(b.exports().claim("discord", true, 10)).as("a holds it").isEmpty();
        assertThat(b.exports().runningElsewhere("sess-render_1")).isTrue();
        assertThat(a.exports().runningElsewhere("sess-render_1")).isFalse();

        clock.advance(LEASE.plusSeconds(1));
        a.renewLeases(); // a is alive: renewing keeps it
        assertThat(b.exports().claim("discord", false, 10)).isEmpty();

        clock.advance(LEASE.plusSeconds(1)); // a stopped renewing (died)
        assertThat(b.exports().claim("telegram", false, 10)).as("another platform's jobs").isEmpty();
        assertThat(b.exports().claim("discord", false, 10)).containsExactly(export("render_1", 1000));
        assertThat(a.exports().startDelivery("render_1")).as("a lost it").isFalse();
        assertThat(b.exports().startDelivery("render_1")).isTrue();
        assertThat(a.exports().state("render_1")).contains("delivering");
        b.exports().finish("render_1", true);
        assertThat(a.exports().state("render_1")).contains("delivered");
        clock.advance(LEASE.multipliedBy(3));
        assertThat(a.exports().claim("discord", true, 10)).as("delivered: nobody takes it again").isEmpty();
        assertThat(b.exports().startDelivery("render_1")).isFalse();
        assertThat(a.exports().pending("discord")).isEmpty();
    }

    @Test
    void workOfAnInstanceOfTheVersionBeforeInstanceLeasesStaysItsUntilItsOwnLeaseLapses() throws Exception {
        org.flywaydb.core.Flyway.configure().dataSource(url(), null, null).locations("classpath:db/migration")
                .target("7").load().migrate();
        try (Connection c = raw(); java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO pending_exports (render_id, user_platform, user_id, user_name, user_locale, "
                    + "conv_platform, conv_id, conv_group, conv_guild, task_id, session_id, submitted_at, owner, "
                    + "lease_until, state) VALUES ('render_old', 'discord', '7', 'Bo', 'zh-CN', 'discord', 'chan', 1, "
                    + "'guild-1', 'task', 'sess-render_old', 1000, 'old', " + (clock.millis() + LEASE.toMillis())
                    + ", 'rendering')");
        }
        Store b = open("b"); // migrates to instance leases
        assertThat(b.exports().claim("discord", false, 10)).as("its lease runs").isEmpty();
        assertThat(b.exports().runningElsewhere("sess-render_old")).isTrue();
        clock.advance(LEASE.plusSeconds(1));
        assertThat(b.exports().claim("discord", false, 10)).containsExactly(export("render_old", 1000));
    }

    @Test
    void renewingALeaseWritesOneRowHoweverMuchWorkItHolds() throws Exception {
        Store a = open("a");
        for (int i = 0; i < 50; i++) {
            a.exports().save(export("render_" + i, 1000 + i));
        }
        a.renewLeases();
        try (Connection c = raw(); java.sql.Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM instance_leases WHERE instance = 'a'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
        clock.advance(LEASE.multipliedBy(2));
        a.renewLeases();
        assertThat(open("b").exports().claim("discord", false, 100)).as("all 50 held by the one row").isEmpty();
    }

    @Test
    void aRestartedInstanceTakesItsOwnExportsBackAtOnce() {
        Store a = open("a");
        a.exports().save(export("render_2", 2000));
        a.exports().save(export("render_1", 1000));
        a.close();
        Store b = open("b");
        assertThat(b.exports().claim("discord", true, 10)).isEmpty();
        Store again = open("a");
        assertThat(again.exports().claim("discord", true, 10)).extracting(PendingExport::renderId)
                .containsExactly("render_1", "render_2");
        assertThat(again.exports().startDelivery("render_1")).isTrue();
    }

    @Test
    void aMovedOrEndedExportIsNotResumed() {
        Store a = open("a");
        a.exports().save(export("render_1", 1000));
        a.exports().save(export("render_2", 2000));
        a.exports().remove("render_1");
        a.exports().finish("render_2", false);
        assertThat(a.exports().state("render_2")).contains("ended");
        assertThat(a.exports().startDelivery("render_2")).isFalse();
        clock.advance(LEASE.multipliedBy(2));
        assertThat(open("b").exports().claim("discord", true, 10)).isEmpty();
    }

    @Test
    void instancesClaimingAtOnceTakeEachJobExactlyOnce() throws Exception {
        Store seed = open("seed");
        for (int i = 0; i < 60; i++) {
            seed.exports().save(export("render_" + i, i));
        }
        clock.advance(LEASE.plusSeconds(1));
        List<Store> instances = List.of(open("i1"), open("i2"), open("i3"));
        List<String> claimed = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (Store s : instances) {
                fs.add(pool.submit(() -> {
                    go.await();
                    List<PendingExport> got;
                    do {
                        got = s.exports().claim("discord", false, 7);
                        got.forEach(e -> claimed.add(e.renderId()));
                    } while (!got.isEmpty());
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : fs) {
                f.get();
            }
        }
        assertThat(claimed).hasSize(60).doesNotHaveDuplicates();
    }

    @Test
    void aUsersTurnRunsOnOneInstanceAtATime() {
        Store a = open("a");
        Store b = open("b");
        assertThat(a.turns().claim(BO, CHAN, clock.instant(), "t1")).isTrue();
        assertThat(b.turns().claim(BO, CHAN, clock.instant(), "t2")).as("a runs Bo's turn").isFalse();
        assertThat(a.turns().claim(BO, CHAN, clock.instant(), "t3")).as("a's own next turn").isTrue();
        a.turns().end(BO.key(), "t1"); // an older turn's end does not release the newer one
        assertThat(b.turns().claimInterrupted("discord", true)).isEmpty();
        assertThat(b.turns().claim(BO, CHAN, clock.instant(), "t2")).isFalse();
        a.turns().end(BO.key(), "t3");
        assertThat(a.turns().claimInterrupted("discord", true)).as("flushes the ends first").isEmpty();
        assertThat(b.turns().claim(BO, CHAN, clock.instant(), "t2")).isTrue();
    }

    @Test
    void aTurnOfADeadInstanceIsToldOnceByWhoeverTakesIt() {
        Store a = open("a");
        Store b = open("b");
        Instant started = clock.instant();
        a.turns().claim(BO, CHAN, started, "t1");
        assertThat(b.turns().claimInterrupted("discord", false)).isEmpty();
        clock.advance(LEASE.plusSeconds(1));
        assertThat(b.turns().claimInterrupted("discord", false)).containsExactly(new InterruptedTurn(BO, CHAN, started));
        assertThat(b.turns().claimInterrupted("discord", false)).isEmpty();
        assertThat(b.turns().claim(BO, CHAN, clock.instant(), "t2")).isTrue();
    }

    @Test
    void aRestartTellsItsOwnCutOffTurnsAtOnce() {
        Store a = open("a");
        Instant started = clock.instant();
        a.turns().claim(BO, CHAN, started, "t1");
        a.close();
        Store b = open("b");
        assertThat(b.turns().claimInterrupted("discord", true)).as("a's lease still holds").isEmpty();
        assertThat(open("a").turns().claimInterrupted("discord", true)).containsExactly(new InterruptedTurn(BO, CHAN, started));
    }

    @Test
    void aHandledMessageIsClaimedByOneInstanceOnly() throws Exception {
        Store a = open("a");
        Store b = open("b");
        a.handled().record("telegram", "recorded", Instant.ofEpochSecond(100));
        a.handled().since(Instant.EPOCH, 1); // written behind: read once, so it is written
        assertThat(b.handled().claim("telegram", "recorded", Instant.ofEpochSecond(101))).isFalse();
        assertThat(a.handled().claim("telegram", "7", Instant.ofEpochSecond(101))).isTrue();
        assertThat(b.handled().claim("telegram", "7", Instant.ofEpochSecond(102))).isFalse();
        java.util.List<java.util.concurrent.Future<Boolean>> claims = new java.util.ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                Store s = i % 2 == 0 ? a : b;
                claims.add(pool.submit(() -> s.handled().claim("discord", "42", Instant.ofEpochSecond(200))));
            }
        }
        long won = 0;
        for (var c : claims) {
            won += c.get() ? 1 : 0;
        }
        assertThat(won).as("claims that won").isEqualTo(1);
        assertThat(a.handled().claim("telegram", "42", Instant.ofEpochSecond(200))).as("per platform").isTrue();
        assertThat(b.handled().since(Instant.ofEpochSecond(0), 10)).contains(Map.entry("discord", "42"));
    }

    @Test
    void finishedExportsAndOldSpendArePrunedWhileRunning() {
        Store s = open("a");
        java.time.LocalDate today = java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC);
        s.credits().add(BO.key(), today, 5);
        s.exports().save(new PendingExport("r-done", BO, CHAN, "t", "s", clock.instant()));
        s.exports().finish("r-done", true);
        clock.advance(Duration.ofDays(3));
        s.pruneExpired();
        assertThat(s.credits().spent(BO.key(), today)).as("kept three days").isEqualTo(5);
        assertThat(s.exports().state("r-done")).as("kept a week").contains("delivered");
        clock.advance(Duration.ofDays(5));
        s.pruneExpired();
        assertThat(s.credits().spent(BO.key(), today)).isZero();
        assertThat(s.exports().state("r-done")).isEmpty();
    }

    @Test
    void creditsSpentAddUpPerUserAndDayAcrossInstances() throws Exception {
        Store a = open("a");
        Store b = open("b");
        java.time.LocalDate day = java.time.LocalDate.of(2026, 11, 25);
        assertThat(a.credits().spent(BO.key(), day)).isZero();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                Store s = i % 2 == 0 ? a : b;
                pool.submit(() -> s.credits().add(BO.key(), day, 5));
            }
        }
        assertThat(b.credits().spent(BO.key(), day)).isEqualTo(100);
        assertThat(a.credits().spent(BO.key(), day.plusDays(1))).isZero();
        assertThat(a.credits().spent("telegram:other", day)).isZero();
    }

    @Test
    void theRecordNeverPrintsTheToken() {
        StoredIdentity id = new StoredIdentity("k", "c", Optional.of(Secret.of("nmv_usr_secret")),
                Optional.of(Instant.EPOCH), Optional.empty());
        assertThat(id.toString()).doesNotContain("nmv_usr_secret");
    }

    @Test
    void aSealedTokenDoesNotOpenInAnotherRow() {
        TokenCipher cipher = TokenCipher.fromBase64(key(3));
        String sealed = cipher.seal("telegram:1", "nmv_usr_a");
        assertThat(cipher.open("telegram:1", sealed)).isEqualTo("nmv_usr_a");
        assertThatThrownBy(() -> cipher.open("telegram:2", sealed)).isInstanceOf(StoreException.class);
    }

    @Test
    void aBadSecretKeyNamesTheSettingAndWhatItExpects() {
        assertThatThrownBy(() -> TokenCipher.fromBase64("short"))
                .hasMessageContaining("BOT_SECRET_KEY").hasMessageContaining("32");
    }

    static String key(int fill) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) fill);
        return java.util.Base64.getEncoder().encodeToString(k);
    }
}
