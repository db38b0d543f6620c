package dev.nemobot.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatementCacheTest {
    @TempDir
    Path dir;
    Connection raw;
    final StatementCache cache = new StatementCache();

    @BeforeEach
    void open() throws SQLException {
        raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("c.db"));
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)");
        }
    }

    static void put(Connection c, String k, Integer v) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)")) {
            ps.setString(1, k);
            if (v == null) {
                ps.setNull(2, java.sql.Types.INTEGER);
            } else {
                ps.setInt(2, v);
            }
            ps.executeUpdate();
        }
    }

    static Integer get(Connection c, String k) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT v FROM t WHERE k = ?")) {
            ps.setString(1, k);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    static PreparedStatement driverStatement(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            return ps.unwrap(PreparedStatement.class);
        }
    }

    @Test
    void aStatementIsPreparedOncePerConnectionAndReusedWithFreshParameters() throws SQLException {
        Connection c = cache.around(raw);
        put(c, "a", 1);
        put(c, "b", 2);
        assertThat(get(c, "a")).isEqualTo(1);
        assertThat(get(c, "b")).isEqualTo(2);
        assertThat(get(c, "none")).isNull();

        String sql = "SELECT v FROM t WHERE k = ?";
        Connection again = cache.around(raw); // the same connection lent out a second time
        assertThat(driverStatement(again, sql)).isSameAs(driverStatement(c, sql));
        assertThat(driverStatement(again, sql).isClosed()).as("close() only clears it").isFalse();
    }

    @Test
    void aStatementWhoseCallFailedIsPreparedAfreshAndTheErrorReachesTheCaller() throws SQLException {
        Connection c = cache.around(raw);
        put(c, "a", 1);
        String sql = "INSERT INTO t (k, v) VALUES (?, ?)";
        PreparedStatement before = driverStatement(c, sql);
        assertThatThrownBy(() -> put(c, "a", 5)).isInstanceOf(SQLException.class).hasMessageContaining("UNIQUE");
        assertThatThrownBy(() -> put(c, "n", null)).isInstanceOf(SQLException.class).hasMessageContaining("NOT NULL");
        assertThat(before.isClosed()).isTrue();
        put(c, "b", 2);
        assertThat(driverStatement(c, sql)).isNotSameAs(before);
        assertThat(get(c, "b")).isEqualTo(2);
    }

    @Test
    void transactionsStillBelongToTheConnection() throws SQLException {
        Connection c = cache.around(raw);
        c.setAutoCommit(false);
        put(c, "x", 1);
        c.rollback();
        put(c, "y", 2);
        c.commit();
        c.setAutoCommit(true);
        assertThat(get(c, "x")).isNull();
        assertThat(get(c, "y")).isEqualTo(2);
    }
}
