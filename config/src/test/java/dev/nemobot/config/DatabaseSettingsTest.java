package dev.nemobot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {
    static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void theEmbeddedStoreIsTheDefault() {
        DatabaseSettings d = SettingsLoader.load(Optional.empty(), Map.of()).database();
        assertThat(d.postgres()).isFalse();
        assertThat(d.lease()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.instanceId()).isEmpty();
        assertThat(d.sqliteSync()).as("a sync of the log at every commit").isEqualTo(DatabaseSettings.SqliteSync.FULL);
    }

    @Test
    void theSqliteStoreMaySyncItsLogAtCheckpointsOnly() {
        assertThat(SettingsLoader.load(Optional.empty(), Map.of("BOT_SQLITE_SYNC", "normal")).database().sqliteSync())
                .isEqualTo(DatabaseSettings.SqliteSync.NORMAL);
        assertThat(SettingsLoader.load(Optional.empty(), Map.of("BOT_SQLITE_SYNC", "FULL")).database().sqliteSync())
                .isEqualTo(DatabaseSettings.SqliteSync.FULL);
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of("BOT_SQLITE_SYNC", "off")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("BOT_SQLITE_SYNC")
                .hasMessageContaining("full or normal");
    }

    @Test
    void postgresWithItsPoolInstanceAndLease() {
        DatabaseSettings d = SettingsLoader.load(Optional.empty(), Map.of(
                "DATABASE_URL", "jdbc:postgresql://db.example.com:5432/nemobot", "DATABASE_USER", "bot",
                "DATABASE_PASSWORD", "hunter2", "DATABASE_POOL_SIZE", "20", "BOT_INSTANCE_ID", "bot-1",
                "BOT_LEASE_SECONDS", "45", "BOT_SECRET_KEY", KEY)).database();
        assertThat(d.postgres()).isTrue();
        assertThat(d.url().orElseThrow().reveal()).isEqualTo("jdbc:postgresql://db.example.com:5432/nemobot");
        assertThat(d.user()).contains("bot");
        assertThat(d.poolSize()).isEqualTo(20);
        assertThat(d.instanceId()).contains("bot-1");
        assertThat(d.lease()).isEqualTo(Duration.ofSeconds(45));
        assertThat(d.toString()).doesNotContain("hunter2");
    }

    @Test
    void badValuesNameTheKeyAndNeverRepeatTheUrl() {
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of(
                "DATABASE_URL", "postgres://bot:hunter2@db/nemobot", "BOT_SECRET_KEY", KEY)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DATABASE_URL")
                .hasMessageContaining("jdbc:postgresql://").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of("DATABASE_USER", "bot")))
                .hasMessageContaining("without DATABASE_URL");
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of("BOT_INSTANCE_ID", "a b")))
                .hasMessageContaining("BOT_INSTANCE_ID");
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of("BOT_LEASE_SECONDS", "1")))
                .hasMessageContaining("BOT_LEASE_SECONDS");
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of("DATABASE_POOL_SIZE", "0")))
                .hasMessageContaining("DATABASE_POOL_SIZE");
    }

    @Test
    void sharingADatabaseNeedsASharedKey() {
        assertThatThrownBy(() -> SettingsLoader.load(Optional.empty(), Map.of(
                "DATABASE_URL", "jdbc:postgresql://db.example.com/nemobot")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("BOT_SECRET_KEY")
                .hasMessageContaining("openssl rand -base64 32");
    }
}
