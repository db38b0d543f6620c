package dev.nemobot.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@link Settings} from an optional YAML file whose keys are the environment variable names (in any case),
 * with the environment overriding the file. Every bad value fails here, at start, with a message naming the key
 * and what it expects.
 */
public final class SettingsLoader {
    private static final Pattern LISTEN =
            Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]{1,253}):([0-9]{1,5})");
    private static final Set<Integer> WEBHOOK_PORTS = Set.of(443, 80, 88, 8443);
    /** One DISCORD_SHARDS element: {@code 4} or {@code 0-3}. */
    private static final Pattern SHARD_RANGE = Pattern.compile("(\\d{1,6})(?:\\s*-\\s*(\\d{1,6}))?");

    private final Map<String, String> values;

    private SettingsLoader(Map<String, String> values) {
        this.values = values;
    }

    /** Reads the process environment and, when given, the YAML file. */
    public static Settings load(Optional<Path> yamlFile) {
        return load(yamlFile, System.getenv());
    }

    /** Reads {@code env} over the YAML file, if any. */
    public static Settings load(Optional<Path> yamlFile, Map<String, String> env) {
        Map<String, String> merged = new HashMap<>();
        yamlFile.ifPresent(file -> merged.putAll(readYaml(file)));
        env.forEach((k, v) -> merged.put(k.toUpperCase(Locale.ROOT), v));
        return new SettingsLoader(merged).settings();
    }

    private static Map<String, String> readYaml(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException("Cannot read config file " + file + ": " + e.getMessage());
        }
        Map<String, String> out = new HashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return out;
        }
        if (!root.isObject()) {
            throw new ConfigException("Config file " + file + " must be a map of KEY: value (the environment variable names)");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode()) {
                throw new ConfigException("Config file " + file + ": " + e.getKey() + " must be a single value");
            }
            if (!e.getValue().isNull()) {
                out.put(e.getKey().toUpperCase(Locale.ROOT), e.getValue().asText());
            }
        }
        return out;
    }

    private Settings settings() {
        URI apiUrl = url("NEMO_API_URL", NemoSettings.DEFAULT_API_URL);
        NemoSettings nemo = new NemoSettings(
                apiUrl,
                url("NEMO_WEB_URL", NemoSettings.DEFAULT_WEB_URL),
                secret("NEMO_TOKEN"),
                word("SKILL_SOURCE", "unknown"),
                word("SKILL_VERSION", "1.0.0"),
                Duration.ofSeconds(integer("NEMO_RENDER_POLL_SECONDS", 30, 1, 3600)),
                pollMode(),
                hosts("NEMO_DOWNLOAD_HOSTS"),
                caFile());

        Optional<TelegramSettings> telegram = secret("TELEGRAM_BOT_TOKEN").map(token -> {
            URI tgUrl = url("TELEGRAM_API_URL", TelegramSettings.PUBLIC_API_URL);
            Optional<Path> localFiles = localFilesDir(tgUrl);
            return new TelegramSettings(token, tgUrl, uploadLimit(localFiles.isPresent()), webhook(token, tgUrl),
                    localFiles);
        });

        Optional<DiscordSettings> discord = secret("DISCORD_BOT_TOKEN").map(token -> new DiscordSettings(
                token,
                bool("DISCORD_ALLOW_DMS", true),
                optional("DISCORD_API_URL").map(v -> parseUrl("DISCORD_API_URL", v)),
                optional("DISCORD_GATEWAY_URL").map(v -> parseUrl("DISCORD_GATEWAY_URL", v)),
                discordShards()));

        AccessSettings access = new AccessSettings(list("BOT_ALLOW_USERS"), list("BOT_DENY_USERS"),
                list("BOT_ALLOW_CHATS"), list("BOT_DENY_CHATS"), list("BOT_ALLOW_GUILDS"), list("BOT_DENY_GUILDS"));
        LimitSettings d = LimitSettings.defaults();
        LimitSettings limits = new LimitSettings(
                integer("BOT_MESSAGES_PER_MINUTE", d.messagesPerMinute(), 0, 10_000),
                integer("BOT_QUEUE_LIMIT", d.queuedMessages(), 0, 100),
                integer("BOT_DAILY_CREDITS", d.dailyCredits(), 0, 1_000_000),
                integer("BOT_MAX_TEXT_CHARS", d.maxTextChars(), 50, 100_000),
                integer("BOT_GENERATION_CREDITS", d.generationCredits(), 0, 1_000_000),
                integer("BOT_EDIT_CREDITS", d.editCredits(), 0, 1_000_000),
                integer("BOT_MAX_TURNS", d.maxTurns(), 1, 100_000),
                integer("BOT_MAX_WAITING_TURNS", d.waitingTurns(), 0, 1_000_000));
        MetricsSettings metrics = new MetricsSettings(
                optional("METRICS_PORT").map(v -> OptionalInt.of(parseInt("METRICS_PORT", v, 1, 65535)))
                        .orElse(OptionalInt.empty()),
                optional("METRICS_HOST").map(v -> {
                    if (!v.matches("[A-Za-z0-9.:\\[\\]-]{1,255}")) {
                        throw ConfigException.invalid("METRICS_HOST", v, "a host name or IP address such as 127.0.0.1");
                    }
                    return v;
                }).orElse("127.0.0.1"));

        telegram.flatMap(TelegramSettings::webhook).ifPresent(w -> {
            if (metrics.port().isPresent() && metrics.port().getAsInt() == w.listenPort() && w.listenPort() != 0
                    && (w.listenHost().equals(metrics.host()) || wildcard(w.listenHost()) || wildcard(metrics.host()))) {
                throw new ConfigException("TELEGRAM_WEBHOOK_LISTEN and METRICS_PORT both use port " + w.listenPort()
                        + ": give them different ports");
            }
        });

        Optional<Secret> key = secretKey();
        DatabaseSettings database = database();
        if (database.postgres() && key.isEmpty()) {
            throw new ConfigException("DATABASE_URL is set but BOT_SECRET_KEY is not: every instance sharing the "
                    + "database must seal tokens with the same key. Make one with: openssl rand -base64 32");
        }
        return new Settings(nemo, telegram, discord,
                Path.of(optional("BOT_DATA_DIR").orElse("./data")),
                bool("AUTO_EXPORT", true), access, limits, metrics, key, database,
                Duration.ofSeconds(integer("BOT_STOP_GRACE_SECONDS", (int) Settings.DEFAULT_STOP_GRACE.toSeconds(), 0,
                        600)));
    }

    /**
     * DISCORD_SHARDS_TOTAL and DISCORD_SHARDS. Neither: one unsharded session. The total alone: this instance runs
     * every shard. The range needs the total, since a range means nothing without it.
     */
    private DiscordSettings.Shards discordShards() {
        Optional<String> range = optional("DISCORD_SHARDS");
        Optional<Integer> total = optional("DISCORD_SHARDS_TOTAL")
                .map(v -> parseInt("DISCORD_SHARDS_TOTAL", v, 1, DiscordSettings.Shards.MAX_TOTAL));
        if (total.isEmpty()) {
            if (range.isPresent()) {
                throw new ConfigException("DISCORD_SHARDS=" + range.get() + " is set without DISCORD_SHARDS_TOTAL: "
                        + "set DISCORD_SHARDS_TOTAL to the number of shards across all instances (e.g. 4), "
                        + "or unset DISCORD_SHARDS for one unsharded session");
            }
            return DiscordSettings.Shards.SINGLE;
        }
        int n = total.get();
        if (range.isEmpty()) {
            return DiscordSettings.Shards.all(n);
        }
        String v = range.get();
        String expected = "shard ids from 0 to " + (n - 1) + " (DISCORD_SHARDS_TOTAL=" + n
                + "): a range such as 0-3, one id such as 4, or a comma-separated list such as 0-1,5";
        TreeSet<Integer> ids = new TreeSet<>();
        for (String part : v.split(",", -1)) {
            String p = part.strip();
            Matcher m = SHARD_RANGE.matcher(p);
            if (!m.matches()) {
                throw ConfigException.invalid("DISCORD_SHARDS", v, expected);
            }
            int first = Integer.parseInt(m.group(1));
            int last = m.group(2) == null ? first : Integer.parseInt(m.group(2));
            if (last < first || last >= n) {
                throw ConfigException.invalid("DISCORD_SHARDS", v, expected);
            }
            for (int id = first; id <= last; id++) {
                ids.add(id);
            }
        }
        return new DiscordSettings.Shards(n, List.copyOf(ids));
    }

    /**
     * TELEGRAM_UPLOAD_LIMIT_MB. Only a Bot API server started with {@code --local} takes uploads over 50 MB (up to
     * 2000 MB); the public one, a self-hosted one without {@code --local} and a proxy in front of the public one fail
     * them. Local mode is what TELEGRAM_LOCAL_FILES_DIR says: such a server names every received file by its path in
     * its working directory, so the bot cannot take a user's image from it without that setting either. A limit over
     * 50 MB without it is refused at start, not found out by a user's failed upload.
     */
    private long uploadLimit(boolean localMode) {
        long max = localMode ? TelegramSettings.LOCAL_MODE_UPLOAD_LIMIT : TelegramSettings.PUBLIC_UPLOAD_LIMIT;
        Optional<String> raw = optional("TELEGRAM_UPLOAD_LIMIT_MB");
        if (raw.isEmpty()) {
            return max;
        }
        int mb = parseInt("TELEGRAM_UPLOAD_LIMIT_MB", raw.get(), 1, 2000);
        if (mb * 1000L * 1000L > max) {
            throw new ConfigException("TELEGRAM_UPLOAD_LIMIT_MB=" + mb + " is over 50, but TELEGRAM_LOCAL_FILES_DIR "
                    + "is not set: only a Bot API server started with --local takes uploads over 50 MB. Set "
                    + "TELEGRAM_LOCAL_FILES_DIR to that server's working directory (--dir), or set "
                    + "TELEGRAM_UPLOAD_LIMIT_MB to 50 or less");
        }
        return mb * 1000L * 1000L;
    }

    /** NEMO_CA_FILE: a readable PEM file of certificates the backend's TLS may be signed by. */
    private Optional<Path> caFile() {
        Optional<String> raw = optional("NEMO_CA_FILE");
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        Path file;
        try {
            file = Path.of(raw.get());
        } catch (java.nio.file.InvalidPathException e) {
            throw ConfigException.invalid("NEMO_CA_FILE", raw.get(), "the path of a PEM file of CA certificates");
        }
        if (!java.nio.file.Files.isRegularFile(file) || !java.nio.file.Files.isReadable(file)) {
            throw ConfigException.invalid("NEMO_CA_FILE", raw.get(), "a readable PEM file of CA certificates");
        }
        return Optional.of(file);
    }

    /**
     * TELEGRAM_LOCAL_FILES_DIR: the self-hosted Bot API server's working directory, the only place the bot reads a
     * file it names by an absolute path. Meaningless with the public Bot API, which never answers such paths.
     */
    private Optional<Path> localFilesDir(URI apiUrl) {
        Optional<String> raw = optional("TELEGRAM_LOCAL_FILES_DIR");
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        if (TelegramSettings.PUBLIC_API_URL.getHost().equalsIgnoreCase(apiUrl.getHost())) {
            throw new ConfigException("TELEGRAM_LOCAL_FILES_DIR is set but TELEGRAM_API_URL is Telegram's public Bot "
                    + "API, which never hands out local files: set it only with a self-hosted server started with "
                    + "--local");
        }
        Path dir;
        try {
            dir = Path.of(raw.get());
        } catch (java.nio.file.InvalidPathException e) {
            throw ConfigException.invalid("TELEGRAM_LOCAL_FILES_DIR", raw.get(), "an absolute directory path");
        }
        if (!dir.isAbsolute()) {
            throw ConfigException.invalid("TELEGRAM_LOCAL_FILES_DIR", raw.get(), "an absolute path: the working "
                    + "directory (--dir) of the self-hosted Bot API server, such as /var/lib/telegram-bot-api");
        }
        return Optional.of(dir.normalize());
    }

    /**
     * TELEGRAM_WEBHOOK_URL and the settings that go with it; empty (long polling) when the URL is unset, and then the
     * others must be unset too. The URL and the secret are checked as Telegram would, so a mistake stops the bot at
     * start rather than leaving it deaf.
     */
    private Optional<TelegramSettings.Webhook> webhook(Secret botToken, URI apiUrl) {
        Optional<String> raw = optional("TELEGRAM_WEBHOOK_URL");
        if (raw.isEmpty()) {
            for (String key : List.of("TELEGRAM_WEBHOOK_SECRET", "TELEGRAM_WEBHOOK_LISTEN", "TELEGRAM_WEBHOOK_REGISTER",
                    "TELEGRAM_WEBHOOK_MAX_CONNECTIONS")) {
                if (optional(key).isPresent()) {
                    throw new ConfigException(key + " is set without TELEGRAM_WEBHOOK_URL: set the URL for webhook "
                            + "mode, or unset " + key + " for long polling");
                }
            }
            return Optional.empty();
        }
        boolean publicApi = TelegramSettings.PUBLIC_API_URL.getHost().equalsIgnoreCase(apiUrl.getHost());
        URI url = webhookUrl(raw.get(), botToken, publicApi);
        Secret secret = optional("TELEGRAM_WEBHOOK_SECRET").map(v -> {
            if (!TelegramSettings.Webhook.SECRET_FORMAT.matcher(v).matches()) {
                throw ConfigException.invalidSecret("TELEGRAM_WEBHOOK_SECRET",
                        "1 to 256 characters of A-Z a-z 0-9 _ - (e.g. the output of: openssl rand -hex 32)");
            }
            if (botToken.occursIn(v) || v.equals(botToken.reveal().substring(botToken.reveal().indexOf(':') + 1))) {
                throw ConfigException.invalidSecret("TELEGRAM_WEBHOOK_SECRET", "a random value, not the bot token");
            }
            return Secret.of(v);
        }).orElseThrow(() -> new ConfigException("TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL: "
                + "1 to 256 characters of A-Z a-z 0-9 _ - (e.g. the output of: openssl rand -hex 32), the same on "
                + "every instance behind that URL (Telegram sends it with each update and the bot refuses any "
                + "request without it)"));
        String host = TelegramSettings.Webhook.DEFAULT_LISTEN_HOST;
        int port = TelegramSettings.Webhook.DEFAULT_LISTEN_PORT;
        Optional<String> listen = optional("TELEGRAM_WEBHOOK_LISTEN");
        if (listen.isPresent()) {
            Matcher m = LISTEN.matcher(listen.get());
            if (!m.matches()) {
                throw ConfigException.invalid("TELEGRAM_WEBHOOK_LISTEN", listen.get(),
                        "host:port such as 0.0.0.0:8080 or [::]:8080");
            }
            host = m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
            port = parseInt("TELEGRAM_WEBHOOK_LISTEN", m.group(2), 0, 65535);
        }
        OptionalInt maxConnections = optional("TELEGRAM_WEBHOOK_MAX_CONNECTIONS")
                .map(v -> OptionalInt.of(parseInt("TELEGRAM_WEBHOOK_MAX_CONNECTIONS", v, 1, 100)))
                .orElse(OptionalInt.empty());
        return Optional.of(new TelegramSettings.Webhook(url, secret, host, port, bool("TELEGRAM_WEBHOOK_REGISTER", true),
                maxConnections));
    }

    private static URI webhookUrl(String v, Secret botToken, boolean publicApi) {
        String key = "TELEGRAM_WEBHOOK_URL";
        if (botToken.occursIn(v)) {
            // people copy the token into the path as an old tutorial did; it would then travel in every log of proxies
            throw ConfigException.invalidSecret(key, "an address without the bot token in it: any unguessable path "
                    + "will do, TELEGRAM_WEBHOOK_SECRET is what proves a request comes from Telegram");
        }
        String expected = "the public https URL Telegram posts updates to, such as https://bot.example.com/telegram";
        URI uri;
        try {
            uri = new URI(v);
        } catch (URISyntaxException e) {
            throw ConfigException.invalid(key, v, expected);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw ConfigException.invalid(key, v, expected + " (no user, query or fragment)");
        }
        // Telegram's public server posts only over TLS; a self-hosted one (--local) also to plain http
        if (scheme.equals("http") && publicApi && !loopback(uri.getHost())) {
            throw ConfigException.invalid(key, v, "an https URL: Telegram posts only to https (terminate TLS at "
                    + "your reverse proxy or load balancer); http is accepted for 127.0.0.1 and self-hosted Bot API "
                    + "servers only");
        }
        int port = uri.getPort() == -1 ? (scheme.equals("https") ? 443 : 80) : uri.getPort();
        if (publicApi && scheme.equals("https") && !WEBHOOK_PORTS.contains(port)) {
            throw ConfigException.invalid(key, v, "port 443, 80, 88 or 8443: the only ones Telegram posts to "
                    + "(let the proxy forward to TELEGRAM_WEBHOOK_LISTEN)");
        }
        return uri;
    }

    private static boolean loopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]") || h.equals("::1");
    }

    private static boolean wildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }

    /** DATABASE_URL (PostgreSQL) and its credentials, BOT_INSTANCE_ID, BOT_LEASE_SECONDS and BOT_SQLITE_SYNC. */
    private DatabaseSettings database() {
        Optional<Secret> url = optional("DATABASE_URL").map(v -> {
            if (!v.startsWith("jdbc:postgresql://") || v.length() <= "jdbc:postgresql://".length()
                    || v.chars().anyMatch(Character::isWhitespace)) {
                // the URL may carry a password: name the key, never the value
                throw ConfigException.invalidSecret("DATABASE_URL",
                        "a PostgreSQL JDBC URL such as jdbc:postgresql://db.example.com:5432/nemobot "
                                + "(unset it to use the embedded SQLite store)");
            }
            return Secret.of(v);
        });
        Optional<String> user = optional("DATABASE_USER");
        Optional<Secret> password = secret("DATABASE_PASSWORD");
        if (url.isEmpty() && (user.isPresent() || password.isPresent())) {
            throw new ConfigException("DATABASE_USER or DATABASE_PASSWORD is set without DATABASE_URL: "
                    + "set DATABASE_URL=jdbc:postgresql://host:5432/db too, or unset them for the embedded store");
        }
        Optional<String> instance = optional("BOT_INSTANCE_ID").map(v -> {
            if (!v.matches("[A-Za-z0-9._:-]{1,64}")) {
                throw ConfigException.invalid("BOT_INSTANCE_ID", v, "letters, digits, '.', '_', ':' or '-' (at most 64)");
            }
            return v;
        });
        return new DatabaseSettings(url, user, password,
                integer("DATABASE_POOL_SIZE", DatabaseSettings.DEFAULT_POOL_SIZE, 1, 200), instance,
                Duration.ofSeconds(integer("BOT_LEASE_SECONDS", (int) DatabaseSettings.DEFAULT_LEASE.toSeconds(), 5, 600)),
                sqliteSync());
    }

    /** BOT_SQLITE_SYNC: full (the default) or normal. */
    private DatabaseSettings.SqliteSync sqliteSync() {
        return oneOf("BOT_SQLITE_SYNC", DatabaseSettings.SqliteSync.class, DatabaseSettings.SqliteSync.FULL);
    }

    /** {@code key}'s value as the constant of {@code type} it names (in any case), or {@code fallback} when unset. */
    private <E extends Enum<E>> E oneOf(String key, Class<E> type, E fallback) {
        return optional(key).map(v -> {
            E[] constants = type.getEnumConstants();
            for (E e : constants) {
                if (e.name().toLowerCase(Locale.ROOT).equals(v.toLowerCase(Locale.ROOT))) {
                    return e;
                }
            }
            throw ConfigException.invalid(key, v, Arrays.stream(constants)
                    .map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(" or ")));
        }).orElse(fallback);
    }

    /** BOT_SECRET_KEY: base64 of 32 bytes (AES-256); the message never repeats the value. */
    private Optional<Secret> secretKey() {
        return secret("BOT_SECRET_KEY").map(k -> {
            byte[] bytes;
            try {
                bytes = java.util.Base64.getDecoder().decode(k.reveal());
            } catch (IllegalArgumentException e) {
                bytes = new byte[0];
            }
            if (bytes.length != 32) {
                throw ConfigException.invalidSecret("BOT_SECRET_KEY",
                        "base64 of 32 random bytes (e.g. the output of: openssl rand -base64 32)");
            }
            return k;
        });
    }

    private NemoSettings.PollMode pollMode() {
        return oneOf("NEMO_RENDER_POLL", NemoSettings.PollMode.class, NemoSettings.PollMode.ADAPTIVE);
    }

    /** A comma-separated list of ids ({@code platform:id} or {@code id}). */
    private Set<String> list(String key) {
        Set<String> out = new LinkedHashSet<>();
        optional(key).ifPresent(v -> {
            for (String part : v.split(",")) {
                String e = part.strip();
                if (e.isEmpty()) {
                    continue;
                }
                if (!e.matches("[A-Za-z0-9_.:@-]{1,128}")) {
                    throw ConfigException.invalid(key, v, "comma-separated ids such as telegram:12345,discord:678");
                }
                out.add(e);
            }
        });
        return out;
    }

    private Optional<String> optional(String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    private Optional<Secret> secret(String key) {
        return optional(key).map(v -> {
            if (v.chars().anyMatch(Character::isWhitespace)) {
                throw ConfigException.invalidSecret(key, "a token without spaces");
            }
            return Secret.of(v);
        });
    }

    private String word(String key, String fallback) {
        return optional(key).map(v -> {
            if (!v.matches("[A-Za-z0-9._-]{1,64}")) {
                throw ConfigException.invalid(key, v, "letters, digits, '.', '_' or '-' (at most 64)");
            }
            return v;
        }).orElse(fallback);
    }

    /** Comma-separated host names (or IP addresses), without scheme, port or path. */
    private List<String> hosts(String key) {
        return optional(key).map(v -> {
            List<String> out = new ArrayList<>();
            for (String h : v.split(",")) {
                String host = h.strip().toLowerCase(Locale.ROOT);
                if (host.isEmpty()) {
                    continue;
                }
                if (!(host.matches("[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?)*"
                        + "(:[0-9]{1,5})?") || host.matches("\\[[0-9a-f:.]+](:[0-9]{1,5})?"))
                        || !validPort(host)) {
                    throw ConfigException.invalid(key, v, "host names, each with a port when it is not the scheme's "
                            + "default, separated by commas, without scheme or path, such as "
                            + "cdn.example.com,videos.example.net:8443");
                }
                out.add(host);
            }
            return List.copyOf(out);
        }).orElse(List.of());
    }

    /** A {@code host:port} entry's port is 1-65535 (an entry without one is valid). */
    private static boolean validPort(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon < 0 || colon < hostAndPort.lastIndexOf(']')) {
            return true;
        }
        int port = Integer.parseInt(hostAndPort.substring(colon + 1));
        return port >= 1 && port <= 65535;
    }

    private URI url(String key, URI fallback) {
        return optional(key).map(v -> parseUrl(key, v)).orElse(fallback);
    }

    private static URI parseUrl(String key, String v) {
        try {
            URI uri = new URI(v);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https") || scheme.equals("ws") || scheme.equals("wss"))
                    || uri.getHost() == null) {
                throw ConfigException.invalid(key, v, "an absolute http(s) URL such as https://example.com");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw ConfigException.invalid(key, v, "an absolute http(s) URL such as https://example.com");
        }
    }

    private int integer(String key, int fallback, int min, int max) {
        return optional(key).map(v -> parseInt(key, v, min, max)).orElse(fallback);
    }

    private static int parseInt(String key, String v, int min, int max) {
        Function<String, ConfigException> bad = s -> ConfigException.invalid(key, s, "a whole number from " + min + " to " + max);
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw bad.apply(v);
        }
        if (n < min || n > max) {
            throw bad.apply(v);
        }
        return n;
    }

    private boolean bool(String key, boolean fallback) {
        return optional(key).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw ConfigException.invalid(key, v, "true or false");
        }).orElse(fallback);
    }
}
