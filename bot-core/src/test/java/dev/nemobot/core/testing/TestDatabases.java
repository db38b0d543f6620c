package dev.nemobot.core.testing;

import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * Fresh PostgreSQL databases for tests, on the server named by {@code NEMOBOT_TEST_DATABASE_URL} (a JDBC URL whose
 * user may create databases; {@code bash .ci/run} starts a throw-away server and sets it). Without it a test that
 * needs PostgreSQL fails when {@code CI} or {@code NEMOBOT_REQUIRE_POSTGRES} is set, and is skipped otherwise, saying
 * so either way.
 */
public final class TestDatabases {
    public static final String URL_VARIABLE = "NEMOBOT_TEST_DATABASE_URL";

    private TestDatabases() {
    }

    /** A database of its own, dropped when closed. */
    public record Postgres(String url, String name, String adminUrl) implements AutoCloseable {
        @Override
        public void close() {
            try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                // a throw-away server; the next run does not depend on it
            }
        }
    }

    /** Creates an empty database, or fails/skips (see the class comment) when no server is configured. */
    public static Postgres freshPostgres() {
        String admin = System.getenv(URL_VARIABLE);
        if (admin == null || admin.isBlank()) {
            String why = "this test needs PostgreSQL: set " + URL_VARIABLE + " to a JDBC URL of a server whose user "
                    + "may create databases (e.g. jdbc:postgresql://127.0.0.1:5432/postgres?user=me), "
                    + "or run bash .ci/run, which starts one";
            if (System.getenv("CI") != null || System.getenv("NEMOBOT_REQUIRE_POSTGRES") != null) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        String name = "nemobot_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                .toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new AssertionError("cannot create a test database on " + URL_VARIABLE + ": " + e.getMessage(), e);
        }
        return new Postgres(withDatabase(admin, name), name, admin);
    }

    /** {@code url} with its database name replaced. */
    static String withDatabase(String url, String db) {
        int slash = url.indexOf('/', "jdbc:postgresql://".length());
        int query = url.indexOf('?', slash);
        return url.substring(0, slash + 1) + db + (query < 0 ? "" : url.substring(query));
    }
}
