package dev.nemobot.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The Telegram bot, enabled by {@code TELEGRAM_BOT_TOKEN}.
 *
 * @param botToken         the token BotFather gave
 * @param apiUrl           Bot API server ({@code TELEGRAM_API_URL}); the public one by default
 * @param uploadLimitBytes largest video sent as a file ({@code TELEGRAM_UPLOAD_LIMIT_MB}); by default 2000 MB
 *                         with a server in local mode ({@code localFilesDir} set), 50 MB otherwise (the public Bot
 *                         API, a self-hosted server without {@code --local}, a proxy in front of the public one)
 * @param webhook          present when {@code TELEGRAM_WEBHOOK_URL} is set: Telegram posts updates to the bot instead
 *                         of the bot long-polling {@code getUpdates}
 * @param localFilesDir    the working directory of a self-hosted Bot API server started with {@code --local}
 *                         ({@code TELEGRAM_LOCAL_FILES_DIR}): the only place an absolute {@code file_path} it answers
 *                         is read from; empty, no such path is read
 */
public record TelegramSettings(Secret botToken, URI apiUrl, long uploadLimitBytes, Optional<Webhook> webhook,
                               Optional<Path> localFilesDir) {
    public static final URI PUBLIC_API_URL = URI.create("https://api.telegram.org");
    public static final long PUBLIC_UPLOAD_LIMIT = 50L * 1000 * 1000;
    /** What a Bot API server started with {@code --local} takes. */
    public static final long LOCAL_MODE_UPLOAD_LIMIT = 2000L * 1000 * 1000;

    public TelegramSettings {
        Objects.requireNonNull(botToken, "botToken");
        Objects.requireNonNull(apiUrl, "apiUrl");
        Objects.requireNonNull(webhook, "webhook");
        Objects.requireNonNull(localFilesDir, "localFilesDir");
        if (uploadLimitBytes <= 0) {
            throw new IllegalArgumentException("uploadLimitBytes must be positive, was " + uploadLimitBytes);
        }
        if (localFilesDir.isPresent() && !localFilesDir.get().isAbsolute()) {
            throw new IllegalArgumentException("localFilesDir must be an absolute path, was " + localFilesDir.get());
        }
    }

    /** No local files read. */
    public TelegramSettings(Secret botToken, URI apiUrl, long uploadLimitBytes, Optional<Webhook> webhook) {
        this(botToken, apiUrl, uploadLimitBytes, webhook, Optional.empty());
    }

    /** Long polling. */
    public TelegramSettings(Secret botToken, URI apiUrl, long uploadLimitBytes) {
        this(botToken, apiUrl, uploadLimitBytes, Optional.empty());
    }

    /** True when {@link #apiUrl()} is Telegram's public Bot API server. */
    public boolean publicApi() {
        return PUBLIC_API_URL.getHost().equalsIgnoreCase(apiUrl.getHost());
    }

    /** True when the server runs in local mode ({@code --local}): {@link #localFilesDir()} is set. */
    public boolean localMode() {
        return localFilesDir.isPresent();
    }

    /**
     * Webhook mode: Telegram posts each update to {@code url}, a reverse proxy or load balancer forwards it to one of
     * the bot's instances, each listening on {@code listenHost:listenPort} for POSTs on the URL's path.
     *
     * @param url            the public address Telegram posts to ({@code TELEGRAM_WEBHOOK_URL})
     * @param secret         the {@code secret_token} Telegram sends in {@code X-Telegram-Bot-Api-Secret-Token}
     *                       ({@code TELEGRAM_WEBHOOK_SECRET}): 1 to 256 of {@code A-Z a-z 0-9 _ -}; every instance
     *                       behind one URL must share it
     * @param listenHost     the address the bot's own HTTP server binds ({@code TELEGRAM_WEBHOOK_LISTEN})
     * @param listenPort     its port; 0 takes any free one (tests)
     * @param register       whether this instance calls {@code setWebhook} at start ({@code TELEGRAM_WEBHOOK_REGISTER})
     * @param maxConnections the most simultaneous deliveries Telegram makes ({@code TELEGRAM_WEBHOOK_MAX_CONNECTIONS},
     *                       1 to 100); Telegram's default (40) when empty
     */
    public record Webhook(URI url, Secret secret, String listenHost, int listenPort, boolean register,
                          OptionalInt maxConnections) {
        public static final String DEFAULT_LISTEN_HOST = "127.0.0.1"; // the reverse proxy in front forwards to it
        public static final int DEFAULT_LISTEN_PORT = 8080;
        /** What Telegram accepts as a {@code secret_token}. */
        public static final Pattern SECRET_FORMAT = Pattern.compile("[A-Za-z0-9_-]{1,256}");

        public Webhook {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(secret, "secret");
            Objects.requireNonNull(listenHost, "listenHost");
            Objects.requireNonNull(maxConnections, "maxConnections");
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || url.getHost() == null) {
                throw new IllegalArgumentException("url must be an absolute http(s) URL, was " + url);
            }
            if (!SECRET_FORMAT.matcher(secret.reveal()).matches()) {
                // never repeat the value
                throw new IllegalArgumentException("secret must be 1 to 256 of A-Z a-z 0-9 _ -");
            }
            if (listenHost.isBlank()) {
                throw new IllegalArgumentException("listenHost is blank");
            }
            if (listenPort < 0 || listenPort > 65535) {
                throw new IllegalArgumentException("listenPort must be within 0..65535, was " + listenPort);
            }
            if (maxConnections.isPresent() && (maxConnections.getAsInt() < 1 || maxConnections.getAsInt() > 100)) {
                throw new IllegalArgumentException("maxConnections must be within 1..100, was " + maxConnections.getAsInt());
            }
        }

        /** Registers at start, listens on {@code 127.0.0.1:8080} (behind the proxy), Telegram's default connection count. */
        public Webhook(URI url, Secret secret) {
            this(url, secret, DEFAULT_LISTEN_HOST, DEFAULT_LISTEN_PORT, true, OptionalInt.empty());
        }

        /** The path the bot's server answers on: the URL's, or {@code /} when it has none. */
        public String path() {
            String p = url.getRawPath();
            return p == null || p.isEmpty() ? "/" : p;
        }
    }
}
