package dev.nemobot.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.config.Secret;
import dev.nemobot.core.store.Store;
import dev.nemobot.core.store.StoreOptions;
import dev.nemobot.core.store.StoredIdentity;
import dev.nemobot.core.store.TokenCipher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged bot started with a key that is not the store's, or is not a key at all: one exit status for both
 * ({@link Main#EXIT_CONFIGURATION}, docs/operations.md), one line naming the setting and nothing logged before it
 * (Flyway's INFO lines came first, and the store was migrated with the wrong key), and the store as it was.
 */
class StoreKeyLaunchIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String KEY_A = key(1);
    private static final String KEY_B = key(2);

    @TempDir
    Path dir;

    @Test
    void aWrongKeyOnAStoreOfSchema8ExitsWithTheKeysStatusSayingSoFirstAndChangesNothing() throws Exception {
        Path data = dir.resolve("data");
        storeAtSchema8(data);
        List<String> before = contents(data);

        Result r = launch(Map.of("BOT_DATA_DIR", data.toString(), "BOT_SECRET_KEY", KEY_B));

        assertThat(r.code).as(r.output).isEqualTo(Main.EXIT_CONFIGURATION);
        assertThat(r.output.lines().toList()).as("one line, the one saying why, nothing logged before it")
                .hasSize(1).first().asString().startsWith("Configuration error: ").contains("BOT_SECRET_KEY")
                .doesNotContain("Exception");
        assertThat(r.output).doesNotContain(KEY_A).doesNotContain(KEY_B);
        assertThat(contents(data)).as("the store's rows and schema history after the refused start")
                .isEqualTo(before);
        try (Store s = Store.open(StoreOptions.sqlite(data.resolve(StoreOptions.SQLITE_FILE),
                TokenCipher.fromBase64(KEY_A)))) {
            StoredIdentity id = s.identities().find("telegram:8").orElseThrow();
            assertThat(id.clientId()).as("the right key still opens it").isEqualTo("client-8");
            assertThat(id.token().orElseThrow().reveal()).isEqualTo("nmv_usr_8");
        }
    }

    @Test
    void aMalformedKeyOrKeyFileExitsWithTheSameStatusInOneLine() throws Exception {
        Result setting = launch(Map.of("BOT_DATA_DIR", dir.resolve("a").toString(), "BOT_SECRET_KEY", "not-a-key"));
        assertThat(setting.code).as(setting.output).isEqualTo(Main.EXIT_CONFIGURATION);
        assertThat(setting.output.lines().toList()).hasSize(1).first().asString()
                .startsWith("Configuration error: ").contains("BOT_SECRET_KEY").doesNotContain("not-a-key");

        Path data = dir.resolve("b");
        Files.createDirectories(data);
        Files.writeString(data.resolve(Store.KEY_FILE), "damaged\n", StandardCharsets.US_ASCII);
        Result file = launch(Map.of("BOT_DATA_DIR", data.toString()));
        assertThat(file.code).as(file.output).isEqualTo(Main.EXIT_CONFIGURATION);
        assertThat(file.output.lines().toList()).hasSize(1).first().asString()
                .startsWith("Configuration error: ").contains(Store.KEY_FILE).doesNotContain("damaged");
    }

    private record Result(int code, String output) {
    }

    /** The jar as an operator starts it, with a Telegram token and a backend nobody answers on (never reached). */
    private Result launch(Map<String, String> env) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.put("TELEGRAM_BOT_TOKEN", "123456:launch-it-token");
        all.put("TELEGRAM_API_URL", "http://127.0.0.1:9");
        all.put("NEMO_API_URL", "http://127.0.0.1:9");
        try (LaunchedBot bot = LaunchedBot.start(dir, all)) {
            try {
                int code = bot.exit(WAIT);
                return new Result(code, bot.output());
            } catch (AssertionError e) {
                throw bot.failure(e, "starting with a refused key");
            }
        }
    }

    /**
     * A store as the version before 9.1 left it: schema 8, a client id in plain text, the token and the key's check
     * value sealed with key A (taken from a store the current code wrote with that key).
     */
    private void storeAtSchema8(Path data) throws Exception {
        Path made = dir.resolve("made").resolve(StoreOptions.SQLITE_FILE);
        try (Store s = Store.open(StoreOptions.sqlite(made, TokenCipher.fromBase64(KEY_A)))) {
            s.identities().save(new StoredIdentity("telegram:8", "client-8", Optional.of(Secret.of("nmv_usr_8")),
                    Optional.of(Instant.parse("2030-01-01T00:00:00Z")), Optional.empty()));
        }
        String token;
        String check;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + made); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT token FROM identities")) {
                rs.next();
                token = rs.getString(1);
            }
            try (ResultSet rs = st.executeQuery("SELECT value FROM store_meta WHERE name = 'cipher_check'")) {
                rs.next();
                check = rs.getString(1);
            }
        }
        Files.createDirectories(data);
        String url = "jdbc:sqlite:" + data.resolve(StoreOptions.SQLITE_FILE);
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target("8").load()
                .migrate();
        try (Connection c = DriverManager.getConnection(url)) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO identities (user_key, client_id, token, "
                    + "token_expires_at, updated_at) VALUES ('telegram:8', 'client-8', ?, 1893456000000, 1)")) {
                ps.setString(1, token);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO store_meta VALUES ('cipher_check', ?)")) {
                ps.setString(1, check);
                ps.executeUpdate();
            }
            c.createStatement().executeUpdate("INSERT INTO pending_exports (render_id, user_platform, user_id, "
                    + "conv_platform, conv_id, conv_group, task_id, session_id, submitted_at, conv_guild, "
                    + "progress_message) VALUES ('render_8', 'telegram', '8', 'telegram', '8', 0, 'task', 'sess', 2, "
                    + "NULL, '77')");
        }
    }

    /** The rows of the tables the store had at schema 8, the schema history's included. */
    private static List<String> contents(Path data) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(StoreOptions.SQLITE_FILE));
             Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT name, sql FROM sqlite_master ORDER BY name")) {
                while (rs.next()) {
                    out.add("schema " + rs.getString(1) + ": " + rs.getString(2));
                }
            }
            for (String t : List.of("identities", "pending_exports", "store_meta", "instance_leases",
                    "flyway_schema_history")) {
                try (ResultSet rs = st.executeQuery("SELECT * FROM " + t)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder(t);
                        for (int i = 1; i <= n; i++) {
                            row.append(" | ").append(rs.getString(i));
                        }
                        out.add(row.toString());
                    }
                }
            }
        }
        return out;
    }

    private static String key(int fill) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) fill);
        return Base64.getEncoder().encodeToString(k);
    }
}
