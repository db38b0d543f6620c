package dev.nemobot.config;

import java.net.URI;
import java.util.Objects;

/**
 * The Telegram bot, enabled by {@code TELEGRAM_BOT_TOKEN}.
 *
 * @param botToken         the token BotFather gave
 * @param apiUrl           Bot API server ({@code TELEGRAM_API_URL}); the public one by default
 * @param uploadLimitBytes largest video sent as a file ({@code TELEGRAM_UPLOAD_LIMIT_MB}); by default 50 MB on
 *                         the public Bot API and 2000 MB on a self-hosted server
 */
public record TelegramSettings(Secret botToken, URI apiUrl, long uploadLimitBytes) {
    public static final URI PUBLIC_API_URL = URI.create("https://api.telegram.org");
    public static final long PUBLIC_UPLOAD_LIMIT = 50L * 1000 * 1000;
    public static final long SELF_HOSTED_UPLOAD_LIMIT = 2000L * 1000 * 1000;

    public TelegramSettings {
        Objects.requireNonNull(botToken, "botToken");
        Objects.requireNonNull(apiUrl, "apiUrl");
        if (uploadLimitBytes <= 0) {
            throw new IllegalArgumentException("uploadLimitBytes must be positive, was " + uploadLimitBytes);
        }
    }

    /** True when {@link #apiUrl()} is Telegram's public Bot API server. */
    public boolean publicApi() {
        return PUBLIC_API_URL.getHost().equalsIgnoreCase(apiUrl.getHost());
    }

    /** The upload limit that fits the server at {@code apiUrl}. */
    public static long defaultUploadLimit(URI apiUrl) {
        return PUBLIC_API_URL.getHost().equalsIgnoreCase(apiUrl.getHost()) ? PUBLIC_UPLOAD_LIMIT : SELF_HOSTED_UPLOAD_LIMIT;
    }
}
