package dev.nemobot.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's writer against a real SQLite file: a write nobody waits for shares the commit of the waited-for write
 * that follows it, and is still applied on its own when none follows.
 */
class GroupCommitWriterTest {
    @TempDir
    Path dir;
    Database db;
    GroupCommitWriter writer;

    @BeforeEach
    void open() {
        db = Database.open(StoreOptions.sqlite(dir.resolve("w.db"), TokenCipher.fromKeyFile(dir.resolve("k"))),
                d -> {
                    try (Connection c = d.connection(); Statement s = c.createStatement()) {
                        s.execute("CREATE TABLE t (k TEXT PRIMARY KEY)");
                    }
                });
        // a renewal period far longer than the test: only the writes here are applied
        writer = new GroupCommitWriter(db, Duration.ofHours(1), c -> { });
        writer.start();
    }

    @AfterEach
    void close() {
        writer.close();
        db.close();
    }

    private static void insert(Connection c, String k) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (k) VALUES (?)")) {
            ps.setString(1, k);
            ps.executeUpdate();
        }
    }

    /** Whether a reading connection (its own snapshot, as another thread's read) sees the row {@code k}. */
    private boolean committed(String k) {
        return db.read("look", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM t WHERE k = ?")) {
                ps.setString(1, k);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Test
    void aWriteBehindSharesTheCommitOfTheWaitedForWriteAfterIt() {
        writer.writeBehind(c -> insert(c, "behind"));
        // in the waited-for write's transaction: the write behind is applied there, not committed before it
        boolean committedBefore = writer.write("insert", c -> {
            insert(c, "waited");
            return committed("behind");
        });
        assertThat(committedBefore).as("committed in a transaction of its own").isFalse();
        assertThat(committed("behind")).isTrue();
        assertThat(committed("waited")).isTrue();
    }

    @Test
    void aWriteBehindAloneIsAppliedOnceItsWaitForCompanyEnds() {
        writer.writeBehind(c -> insert(c, "alone"));
        await().atMost(Duration.ofSeconds(5)).until(() -> committed("alone"));
    }

    @Test
    void closingAppliesAWriteBehindAtOnce() {
        writer.writeBehind(c -> insert(c, "last"));
        writer.close();
        assertThat(committed("last")).isTrue();
    }

    @Test
    void whenTheWriterStopsUnexpectedlyItsCallersAreToldAndLaterWritesRunOnTheirOwnThreads() {
        // callers wait for their commit without a time-out: a writer that dies must fail what it holds, not leave
        // its callers waiting for ever
        assertThatThrownBy(() -> writer.write("break the writer", c -> {
            throw new AssertionError("not a failure of the write");
        })).isInstanceOf(StoreException.class).hasMessageContaining("writer stopped");
        writer.write("insert", c -> {
            insert(c, "after");
            return null;
        });
        writer.flush();
        assertThat(committed("after")).isTrue();
    }
}
