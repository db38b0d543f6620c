package dev.nemobot.config;

import java.nio.file.Path;
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
 */
public record Settings(NemoSettings nemo, Optional<TelegramSettings> telegram, Optional<DiscordSettings> discord,
                       Path dataDir, boolean autoExport) {
    public Settings {
        Objects.requireNonNull(nemo, "nemo");
        Objects.requireNonNull(telegram, "telegram");
        Objects.requireNonNull(discord, "discord");
        Objects.requireNonNull(dataDir, "dataDir");
    }
}
