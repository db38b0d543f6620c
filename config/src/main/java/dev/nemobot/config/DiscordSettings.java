package dev.nemobot.config;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * The Discord bot, enabled by {@code DISCORD_BOT_TOKEN}.
 *
 * @param botToken   the bot token from the developer portal
 * @param allowDms   whether the bot answers direct messages ({@code DISCORD_ALLOW_DMS}, default true)
 * @param restUrl    another REST base such as {@code http://127.0.0.1:9000/api/v10/} ({@code DISCORD_API_URL});
 *                   Discord's own when empty
 * @param gatewayUrl another gateway such as {@code ws://127.0.0.1:9000/gateway} ({@code DISCORD_GATEWAY_URL})
 */
public record DiscordSettings(Secret botToken, boolean allowDms, Optional<URI> restUrl, Optional<URI> gatewayUrl) {
    public DiscordSettings {
        Objects.requireNonNull(botToken, "botToken");
        Objects.requireNonNull(restUrl, "restUrl");
        Objects.requireNonNull(gatewayUrl, "gatewayUrl");
    }
}
