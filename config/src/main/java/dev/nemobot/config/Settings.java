package dev.nemobot.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the bot is configured with; immutable. Read with {@link SettingsLoader}.
 *
 * @param nemo       the backend
 * @param telegram   present when {@code TELEGRAM_BOT_TOKEN} is set
 * @param discord    present when {@code DISCORD_BOT_TOKEN} is set
 * @param dataDir    where client ids, sessions and videos are kept ({@code BOT_DATA_DIR}, default {@code ./data})
 * @param autoExport export automatically when a generation ends with an exportable draft ({@code AUTO_EXPORT})
 * @param access     allow and deny lists
 * @param limits     per-user limits
 * @param metrics    the metrics and health endpoint
 * @param secretKey  the key that seals backend tokens at rest ({@code BOT_SECRET_KEY}, base64 of 32 bytes); when
 *                   absent, one is generated once into {@code dataDir/secret.key}
 * @param database   the durable store: embedded SQLite under {@code dataDir}, or PostgreSQL ({@code DATABASE_URL})
 * @param stopGrace  on SIGTERM, how long the bot waits for work in flight before it records what is left and exits
 *                   ({@code BOT_STOP_GRACE_SECONDS}, default {@link #DEFAULT_STOP_GRACE}; 0..600 s); exports cut off
 *                   resume at the next start either way. A container's stop timeout (Docker's is 10 s) must exceed
 *                   it by the few seconds closing takes
 */
public record Settings(NemoSettings nemo, Optional<TelegramSettings> telegram, Optional<DiscordSettings> discord,
                       Path dataDir, boolean autoExport, AccessSettings access, LimitSettings limits,
                       MetricsSettings metrics, Optional<Secret> secretKey, DatabaseSettings database,
                       Duration stopGrace) {
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(20);

    public Settings {
        Objects.requireNonNull(nemo, "nemo");
        Objects.requireNonNull(telegram, "telegram");
        Objects.requireNonNull(discord, "discord");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(secretKey, "secretKey");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(stopGrace, "stopGrace");
        if (stopGrace.isNegative() || stopGrace.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("stopGrace must be within 0..600 s, was " + stopGrace);
        }
    }

    /** With the default stop grace. */
    public Settings(NemoSettings nemo, Optional<TelegramSettings> telegram, Optional<DiscordSettings> discord,
                    Path dataDir, boolean autoExport, AccessSettings access, LimitSettings limits,
                    MetricsSettings metrics, Optional<Secret> secretKey, DatabaseSettings database) {
        this(nemo, telegram, discord, dataDir, autoExport, access, limits, metrics, secretKey, database,
                DEFAULT_STOP_GRACE);
    }

    /** The embedded store. */
    public Settings(NemoSettings nemo, Optional<TelegramSettings> telegram, Optional<DiscordSettings> discord,
                    Path dataDir, boolean autoExport, AccessSettings access, LimitSettings limits,
                    MetricsSettings metrics, Optional<Secret> secretKey) {
        this(nemo, telegram, discord, dataDir, autoExport, access, limits, metrics, secretKey,
                DatabaseSettings.embedded());
    }

    /** Open access, default limits, no metrics endpoint. */
    public Settings(NemoSettings nemo, Optional<TelegramSettings> telegram, Optional<DiscordSettings> discord,
                    Path dataDir, boolean autoExport) {
        this(nemo, telegram, discord, dataDir, autoExport, AccessSettings.open(), LimitSettings.defaults(),
                MetricsSettings.off(), Optional.empty(), DatabaseSettings.embedded());
    }

    public Settings withNemo(NemoSettings n) {
        return new Settings(n, telegram, discord, dataDir, autoExport, access, limits, metrics, secretKey, database,
                stopGrace);
    }

    public Settings withAutoExport(boolean on) {
        return new Settings(nemo, telegram, discord, dataDir, on, access, limits, metrics, secretKey, database,
                stopGrace);
    }

    public Settings withAccess(AccessSettings a) {
        return new Settings(nemo, telegram, discord, dataDir, autoExport, a, limits, metrics, secretKey, database,
                stopGrace);
    }

    public Settings withLimits(LimitSettings l) {
        return new Settings(nemo, telegram, discord, dataDir, autoExport, access, l, metrics, secretKey, database,
                stopGrace);
    }

    public Settings withMetrics(MetricsSettings m) {
        return new Settings(nemo, telegram, discord, dataDir, autoExport, access, limits, m, secretKey, database,
                stopGrace);
    }

    public Settings withDatabase(DatabaseSettings d) {
        return new Settings(nemo, telegram, discord, dataDir, autoExport, access, limits, metrics, secretKey, d,
                stopGrace);
    }

    public Settings withStopGrace(Duration grace) {
        return new Settings(nemo, telegram, discord, dataDir, autoExport, access, limits, metrics, secretKey, database,
                grace);
    }

    public Settings withSecretKey(Secret key) {
        return new Settings(nemo, telegram, discord, dataDir, autoExport, access, limits, metrics, Optional.of(key),
                database, stopGrace);
    }
}
