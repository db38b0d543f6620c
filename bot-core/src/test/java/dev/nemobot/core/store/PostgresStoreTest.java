package dev.nemobot.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.config.DatabaseSettings;
import dev.nemobot.core.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store contract on PostgreSQL (a fresh database per test on {@code NEMOBOT_TEST_DATABASE_URL}; fails in CI
 * without it, skipped elsewhere — see {@link TestDatabases}).
 */
class PostgresStoreTest extends StoreContractTest {
    private TestDatabases.Postgres db;

    @BeforeEach
    void createDatabase() {
        db = TestDatabases.freshPostgres();
    }

    @AfterEach
    void dropDatabase() {
        closeStores();
        if (db != null) {
            db.close();
        }
    }

    @Override
    DatabaseSettings database() {
        return DatabaseSettings.postgres(db.url(), Optional.empty(), Optional.empty()).withPoolSize(4);
    }

    @Override
    Connection raw() throws Exception {
        return DriverManager.getConnection(db.url());
    }

    @Override
    String url() {
        return db.url();
    }

    @Override
    List<String> failUpdatesOf(String userKey) {
        return List.of("""
                CREATE FUNCTION fail_update() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'could not extend file: No space left on device'; END $$""",
                "CREATE TRIGGER fail_update BEFORE UPDATE ON identities FOR EACH ROW WHEN (OLD.user_key = '"
                        + userKey + "') EXECUTE FUNCTION fail_update()");
    }

    @Override
    String onTable() {
        return " ON identities";
    }

    @Test
    void migrationsRunOnceOnAnEmptyDatabaseAndNotAgainOnReopen() throws Exception {
        open("a").close();
        open("b").close();
        assertThat(appliedVersions()).containsExactly("1", "3", "4", "5", "6", "7", "8", "9.1", "10", "11", "12", "13", "14", "15");
    }

    @Test
    void aDatabaseAtAnEarlierVersionIsMigratedKeepingItsRows() throws Exception {
        Flyway.configure().dataSource(db.url(), null, null).locations("classpath:db/migration").target("4")
                .load().migrate();
        try (Connection c = raw(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO pending_exports VALUES ('render_7', 'discord', '7', 'Bo', 'zh-CN', 'discord', "
                    + "'chan', 1, 'task', 'sess-render_7', 7)");
        }
        Store s = open("a");
        assertThat(appliedVersions()).containsExactly("1", "3", "4", "5", "6", "7", "8", "9.1", "10", "11", "12", "13", "14", "15");
        assertThat(s.exports().claim("discord", false, 10)).extracting(PendingExport::renderId).containsExactly("render_7");
    }

    @Test
    void aServerThatIsNotThereFailsWithoutShowingThePassword() {
        DatabaseSettings nowhere = DatabaseSettings.postgres("jdbc:postgresql://127.0.0.1:1/x?password=hunter2",
                Optional.empty(), Optional.empty());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Store.open(new StoreOptions(
                        nowhere.withLease(LEASE), dir.resolve("s.db"), TokenCipher.fromBase64(key(9)),
                        Optional.of("x"), clock)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("DATABASE_URL")
                .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain("hunter2"));
    }

    private List<String> appliedVersions() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = raw(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
