package dev.nemobot.discord.fake;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import net.dv8tion.jda.api.utils.data.DataArray;
import net.dv8tion.jda.api.utils.data.DataObject;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.MultipartReader;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.Buffer;

/**
 * A fake Discord on 127.0.0.1: the REST routes a bot calls and a JSON gateway (no compression) on one
 * MockWebServer. It speaks enough of the protocol for the real JDA: HELLO, IDENTIFY, READY, GUILD_CREATE,
 * heartbeat ACKs, RECONNECT and RESUME, and dispatches MESSAGE_CREATE and INTERACTION_CREATE on demand.
 * It records every REST call (multipart files as bytes) and serves attachment downloads.
 *
 * <p>Sharding as Discord does it: {@code GET gateway/bot} reports {@link #recommendedShards} and
 * {@link #maxConcurrency}; every gateway connection is a session for the shard its IDENTIFY names
 * ({@code shard: [id, total]}, [0, 1] when left out), whose READY lists only the guilds on that shard
 * ({@code (guild_id >> 22) % total}) and which then gets one GUILD_CREATE per such guild. A guild's events go out
 * on the session of the shard that owns it; events without a guild (direct messages) on shard 0's. Several bot
 * instances may connect at once, each with its own shards.
 *
 * <p>The default guild ({@link #GUILD_ID}) has one text channel ({@link #CHANNEL_ID}); {@link #addGuild} adds more.
 * The bot owns every guild, so JDA's permission checks pass. Thread-safe. Close it after the JDA clients.
 */
public final class FakeDiscord implements AutoCloseable {
    public static final String BOT_ID = "900000000000000001";
    public static final String APP_ID = "900000000000000002";
    public static final String GUILD_ID = "900000000000000003";
    public static final String CHANNEL_ID = "900000000000000004";
    public static final String BOT_NAME = "NemoBot";
    /** A public thread of the default guild's channel ({@code #general}): a channel of its own for the bot. */
    public static final String THREAD_ID = "900000000000000005";
    /** The guild every fake starts with, and its one text channel. */
    public static final Guild DEFAULT_GUILD = new Guild(GUILD_ID, CHANNEL_ID, "Fake Guild");
    private static final long DISCORD_EPOCH = 1420070400000L;

    /** A REST call the bot made. {@code files} maps a part name ({@code files[0]}) to its file. */
    public record Call(String method, String path, String query, DataObject json, Map<String, FilePart> files,
                       long atNanos) {
        public String content() {
            return json != null && json.hasKey("content") && !json.isNull("content") ? json.getString("content") : null;
        }

        public boolean isMessageCreate() {
            return method.equals("POST") && path.matches("/api/v10/channels/\\d+/messages");
        }

        /** The buttons the message carries, row by row (none when it sets no components). */
        public List<DataObject> buttons() {
            List<DataObject> out = new ArrayList<>();
            if (json == null || !json.hasKey("components")) {
                return out;
            }
            DataArray rows = json.getArray("components");
            for (int i = 0; i < rows.length(); i++) {
                DataArray row = rows.getObject(i).getArray("components");
                for (int j = 0; j < row.length(); j++) {
                    out.add(row.getObject(j));
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return method + " " + path + (json == null ? "" : " " + json) + (files.isEmpty() ? "" : " files=" + files.keySet());
        }
    }

    /** An uploaded file as the fake received it. */
    public record FilePart(String fileName, String contentType, byte[] bytes) {
    }

    /** A guild of the fake world with its one text channel ({@code #general}). */
    public record Guild(String id, String channelId, String name) {
        public Guild {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(channelId, "channelId");
            Objects.requireNonNull(name, "name");
        }
    }

    /** A user of the fake world. */
    public record User(String id, String name) {
        DataObject json() {
            return DataObject.empty().put("id", id).put("username", name).put("global_name", name)
                    .put("discriminator", "0").put("avatar", null).put("bot", false);
        }
    }

    private final MockWebServer server = new MockWebServer();
    private final AtomicLong snowflakeCounter = new AtomicLong();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<DataObject> identifies = new CopyOnWriteArrayList<>();
    private final AtomicInteger resumes = new AtomicInteger();
    /** The live session of each shard id (a later IDENTIFY for the same shard replaces the earlier one). */
    private final Map<Integer, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicLong sessionCounter = new AtomicLong();
    private final Map<String, Guild> guilds = new ConcurrentHashMap<>();
    private final Map<String, Guild> guildsByChannel = new ConcurrentHashMap<>();
    private final AtomicLong guildCounter = new AtomicLong();
    private final AtomicInteger recommendedShards = new AtomicInteger(1);
    private final AtomicInteger maxConcurrency = new AtomicInteger(1);
    private final AtomicBoolean gatewayBot = new AtomicBoolean(true);
    private final AtomicBoolean refuseToken = new AtomicBoolean();
    private final AtomicReference<String> guildLocale = new AtomicReference<>("en-US");
    private final AtomicBoolean replayOnResume = new AtomicBoolean();
    private final AtomicBoolean rejectUploads = new AtomicBoolean();
    private volatile int channelPermits;
    private volatile java.time.Duration channelWindow;
    private final Map<String, java.util.ArrayDeque<Long>> channelUse = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger rateLimited = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicBoolean unknownWebhooks = new AtomicBoolean();
    private final AtomicBoolean gatewayDown = new AtomicBoolean();
    private final Map<String, Served> files = new ConcurrentHashMap<>();
    private final Map<String, String> dmChannels = new ConcurrentHashMap<>();
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final AtomicLong applicationFlags = new AtomicLong();
    private final AtomicLong attachmentSizeLimit = new AtomicLong();
    private final Map<String, String> tokenChannels = new ConcurrentHashMap<>();

    private record Served(byte[] bytes, String contentType) {
    }

    /** One gateway session: a shard, its sequence numbers and the socket it currently runs on. */
    private static final class Session {
        final int shard;
        final int total;
        final String id;
        final AtomicLong sequence = new AtomicLong();
        final AtomicReference<DataObject> lastDispatch = new AtomicReference<>();
        volatile WebSocket socket;

        Session(int shard, int total, String id, WebSocket socket) {
            this.shard = shard;
            this.total = total;
            this.id = id;
            this.socket = socket;
        }

        boolean owns(String guildId) {
            return shardOf(guildId, total) == shard;
        }
    }

    private FakeDiscord() {
        addGuild(DEFAULT_GUILD);
        guildsByChannel.put(THREAD_ID, DEFAULT_GUILD);
    }

    /** Starts the fake on a free port of 127.0.0.1. */
    public static FakeDiscord start() throws IOException {
        FakeDiscord fake = new FakeDiscord();
        fake.server.setDispatcher(fake.new Routes());
        fake.server.start(InetAddress.getByName("127.0.0.1"), 0);
        return fake;
    }

    public URI restUrl() {
        return URI.create("http://127.0.0.1:" + server.getPort() + "/api/v10/");
    }

    public URI gatewayUrl() {
        return URI.create("ws://127.0.0.1:" + server.getPort() + "/gateway");
    }

    // ---- knobs ----

    /** The application flags {@code GET applications/@me} reports (bit 18: message content intent allowed). */
    public void applicationFlags(long flags) {
        applicationFlags.set(flags);
    }

    /** Answer message creates that carry files with 413 / code 40005, as Discord does for an oversized upload. */
    /**
     * Limits the messages and edits the bot may make in one channel, as Discord does: at most {@code permits} in any
     * {@code window}; past that the request is answered 429 with {@code retry_after} and the rate-limit headers (and
     * is not recorded as a call). Every answer to such a request carries the {@code X-RateLimit-*} headers.
     */
    public void channelLimit(int permits, java.time.Duration window) {
        channelPermits = permits;
        channelWindow = window;
    }

    /** How many requests were answered 429 so far. */
    public int rateLimited() {
        return rateLimited.get();
    }

    public void rejectUploads(boolean reject) {
        rejectUploads.set(reject);
    }

    /** Answer webhook (interaction follow-up) calls with 404 Unknown Webhook, as for an expired or lost token. */
    public void unknownWebhooks(boolean unknown) {
        unknownWebhooks.set(unknown);
    }

    /** The attachment_size_limit sent with interactions (0: left out). */
    public void attachmentSizeLimit(long bytes) {
        attachmentSizeLimit.set(bytes);
    }

    /** The shard count {@code GET gateway/bot} recommends (default 1). */
    public void recommendedShards(int shards) {
        recommendedShards.set(shards);
    }

    /**
     * {@code session_start_limit.max_concurrency} in {@code GET gateway/bot} (default 1, as for most bots): how many
     * shards may IDENTIFY at once. JDA waits 5 seconds between IDENTIFYs of the same bucket ({@code shard % this}).
     */
    public void maxConcurrency(int concurrency) {
        maxConcurrency.set(concurrency);
    }

    /**
     * The servers' locale ("en-US" unless set): their {@code preferred_locale} in GUILD_CREATE (set it before the bot
     * connects) and the {@code guild_locale} of interactions.
     */
    public void guildLocale(String locale) {
        guildLocale.set(locale);
    }

    /** Answer every REST call with 401 Unauthorized, as Discord does for a wrong or reset bot token. */
    public void refuseToken(boolean refuse) {
        refuseToken.set(refuse);
    }

    /** Whether {@code GET gateway/bot} exists (a REST proxy may not offer it); otherwise it answers 404. */
    public void gatewayBotRoute(boolean available) {
        gatewayBot.set(available);
    }

    /** Replays the last dispatched event after the next RESUME, as a gateway may after a reconnect. */
    public void replayOnResume(boolean replay) {
        replayOnResume.set(replay);
    }

    /** Serves {@code bytes} as a CDN attachment and returns its URL. */
    public String serveFile(String name, byte[] bytes, String contentType) {
        String key = snowflake() + "/" + name;
        files.put(key, new Served(bytes, contentType));
        return "http://127.0.0.1:" + server.getPort() + "/attachments/" + key;
    }

    /** The shard that owns {@code guildId} among {@code total}: {@code (guild_id >> 22) % total}, as Discord computes it. */
    public static int shardOf(String guildId, int total) {
        return (int) ((Long.parseUnsignedLong(guildId) >>> 22) % total);
    }

    /**
     * Adds a guild (with one text channel) whose id lands on {@code shard} of {@code total}. A session already
     * connected for that shard gets its GUILD_CREATE at once, as when the bot joins a server.
     */
    public Guild addGuild(int shard, int total) {
        if (total < 1 || shard < 0 || shard >= total) {
            throw new IllegalArgumentException("shard " + shard + " of " + total);
        }
        long n = (1_000_000L + guildCounter.incrementAndGet()) * total + shard;
        Guild guild = new Guild(Long.toUnsignedString(n << 22), snowflake(), "Guild " + n);
        addGuild(guild);
        return guild;
    }

    /** Adds {@code guild}; see {@link #addGuild(int, int)}. */
    public void addGuild(Guild guild) {
        guilds.put(guild.id(), guild);
        guildsByChannel.put(guild.channelId(), guild);
        sessions.values().stream().filter(s -> s.owns(guild.id())).forEach(s -> send(s, "GUILD_CREATE", guildJson(guild)));
    }

    public User user(String id, String name) {
        User user = new User(id, name);
        users.put(id, user);
        return user;
    }

    /** The DM channel id between the bot and {@code user} (created on first use, as Discord does). */
    public String dmChannel(User user) {
        users.putIfAbsent(user.id(), user);
        return dmChannels.computeIfAbsent(user.id(), id -> snowflake());
    }

    // ---- what was recorded ----

    private final Map<String, String> originals = new ConcurrentHashMap<>();

    private String originalId(String token) {
        return originals.computeIfAbsent(token, t -> snowflake());
    }

    /** The id of the message that an interaction's first answer (its {@code @original}) is. */
    public String originalMessageId(String interactionId) {
        return originalId("interaction-token-" + interactionId);
    }

    /**
     * True when the interaction was acknowledged privately (the deferral carried the ephemeral flag 64): then its
     * {@code @original} and its follow-ups are seen by the asker alone, unless a follow-up says otherwise.
     */
    public boolean deferredPrivately(String interactionId) {
        return calls.stream().filter(c -> c.path().startsWith("/api/v10/interactions/" + interactionId + "/"))
                .anyMatch(c -> c.json() != null && c.json().hasKey("data")
                        && (c.json().getObject("data").getInt("flags", 0) & 64) == 64);
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(Predicate<Call> filter) {
        return calls.stream().filter(filter).toList();
    }

    public List<DataObject> identifies() {
        return List.copyOf(identifies);
    }

    public int resumes() {
        return resumes.get();
    }

    /** True when at least one session is connected. */
    public boolean connected() {
        return sessions.values().stream().anyMatch(s -> s.socket != null);
    }

    /** The shard ids with a connected session, ascending. */
    public List<Integer> connectedShards() {
        return sessions.values().stream().filter(s -> s.socket != null).map(s -> s.shard).sorted().toList();
    }

    // ---- gateway events ----

    /** A fresh snowflake for now (JDA checks interaction ids against a 15-minute expiry). */
    public String snowflake() {
        long id = ((System.currentTimeMillis() - DISCORD_EPOCH) << 22) | (snowflakeCounter.incrementAndGet() & 0x3FFFFF);
        return Long.toUnsignedString(id);
    }

    /**
     * Sends a dispatch (op 0) with the session's next sequence number, on the shard that owns {@code data}'s
     * {@code guild_id} (shard 0 without one).
     *
     * @throws IllegalStateException if no session holds that shard
     */
    public void dispatch(String type, DataObject data) {
        String guildId = data.getString("guild_id", null);
        Session session = sessions.values().stream()
                .filter(s -> s.socket != null && (guildId == null ? s.shard == 0 : s.owns(guildId)))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no gateway connection holds the shard of "
                        + (guildId == null ? "direct messages (0)" : "guild " + guildId) + "; connected: " + connectedShards()));
        send(session, type, data);
    }

    private void send(Session session, String type, DataObject data) {
        WebSocket ws = session.socket;
        if (ws == null) {
            throw new IllegalStateException("shard " + session.shard + " is not connected");
        }
        DataObject event = DataObject.empty().put("op", 0).put("t", type).put("s", session.sequence.incrementAndGet()).put("d", data);
        session.lastDispatch.set(event);
        ws.send(event.toString());
    }

    /**
     * Takes the gateway down ({@code true}: every connection is closed with 4000, "unknown error", after which a
     * client reconnects, and new ones are answered 503) or brings it back; REST keeps answering.
     */
    public void gatewayDown(boolean down) {
        gatewayDown.set(down);
        if (down) {
            sessions.values().forEach(s -> {
                WebSocket ws = s.socket;
                if (ws != null) {
                    s.socket = null;
                    ws.close(4000, "gateway down");
                }
            });
        }
    }

    /** Asks every connected session to reconnect (op 7); JDA then resumes them. */
    public void requestReconnect() {
        if (!connected()) {
            throw new IllegalStateException("no gateway connection");
        }
        sessions.values().forEach(s -> {
            WebSocket ws = s.socket;
            if (ws != null) {
                ws.send(DataObject.empty().put("op", 7).put("d", null).toString());
            }
        });
    }

    /** A message in the default guild's channel, optionally mentioning the bot, with attachments (see {@link #attachment}). */
    public String guildMessage(User author, String content, boolean mentionBot, List<DataObject> attachments) {
        return guildMessage(DEFAULT_GUILD, author, content, mentionBot, attachments);
    }

    /** A message in {@code guild}'s channel, dispatched on the shard that owns the guild. */
    public String guildMessage(Guild guild, User author, String content, boolean mentionBot, List<DataObject> attachments) {
        return channelMessage(guild, guild.channelId(), author, content, mentionBot, attachments);
    }

    /** A message in the default guild's thread {@link #THREAD_ID}. */
    public String threadMessage(User author, String content, boolean mentionBot, List<DataObject> attachments) {
        return channelMessage(DEFAULT_GUILD, THREAD_ID, author, content, mentionBot, attachments);
    }

    private String channelMessage(Guild guild, String channelId, User author, String content, boolean mentionBot,
                                  List<DataObject> attachments) {
        String id = snowflake();
        DataObject d = message(id, channelId, author.json(), content, attachments)
                .put("guild_id", guild.id())
                .put("member", member(author, false))
                .put("mentions", mentionBot ? DataArray.empty().add(botUser()) : DataArray.empty());
        dispatch("MESSAGE_CREATE", d);
        return id;
    }

    /** A direct message from {@code author} to the bot. */
    public String directMessage(User author, String content, List<DataObject> attachments) {
        String id = snowflake();
        dispatch("MESSAGE_CREATE", message(id, dmChannel(author), author.json(), content, attachments));
        return id;
    }

    /** An attachment object pointing at a file this fake serves. */
    public DataObject attachment(String fileName, String contentType, byte[] bytes) {
        String url = serveFile(fileName, bytes, contentType);
        DataObject a = DataObject.empty().put("id", snowflake()).put("filename", fileName).put("size", bytes.length)
                .put("url", url).put("proxy_url", url);
        if (contentType != null) {
            a.put("content_type", contentType);
        }
        if (contentType != null && contentType.startsWith("image/")) {
            a.put("width", 64).put("height", 64);
        }
        return a;
    }

    /** An attachment object that declares a size without the fake holding that many bytes (for refusals). */
    public DataObject declaredAttachment(String fileName, String contentType, long size) {
        String url = serveFile(fileName, new byte[0], contentType);
        return DataObject.empty().put("id", snowflake()).put("filename", fileName).put("size", size)
                .put("url", url).put("proxy_url", url).put("content_type", contentType);
    }

    /**
     * A slash command from {@code user} in the default guild's channel (or in their DM when {@code inGuild} is false).
     *
     * @param options option name to value; a {@link DataObject} value is an attachment (option type 11)
     * @return the interaction id
     */
    public String slashCommand(User user, boolean inGuild, String name, Map<String, Object> options, String userLocale) {
        return slashCommand(user, inGuild ? DEFAULT_GUILD : null, name, options, userLocale);
    }

    /** A slash command from {@code user} in {@code guild}'s channel, or in their DM when {@code guild} is null. */
    public String slashCommand(User user, Guild guild, String name, Map<String, Object> options, String userLocale) {
        return slashCommand(user, guild, false, name, options, userLocale);
    }

    /** A slash command from {@code user} in the default guild's thread {@link #THREAD_ID}. */
    public String slashCommandInThread(User user, String name, Map<String, Object> options, String userLocale) {
        return slashCommand(user, DEFAULT_GUILD, true, name, options, userLocale);
    }

    private String slashCommand(User user, Guild guild, boolean inThread, String name, Map<String, Object> options,
                                String userLocale) {
        String id = snowflake();
        DataArray opts = DataArray.empty();
        DataObject resolvedAttachments = DataObject.empty();
        options.forEach((key, value) -> {
            if (value instanceof DataObject attachment) {
                opts.add(DataObject.empty().put("name", key).put("type", 11).put("value", attachment.getString("id")));
                resolvedAttachments.put(attachment.getString("id"), attachment);
            } else if (value instanceof Boolean) {
                opts.add(DataObject.empty().put("name", key).put("type", 5).put("value", value));
            } else if (value instanceof Number) {
                opts.add(DataObject.empty().put("name", key).put("type", 4).put("value", value));
            } else {
                opts.add(DataObject.empty().put("name", key).put("type", 3).put("value", value));
            }
        });
        DataObject data = DataObject.empty().put("id", "800000000000000001").put("name", name).put("type", 1)
                .put("options", opts).put("resolved", DataObject.empty().put("attachments", resolvedAttachments));
        DataObject interaction = interaction(id, 2, user, guild, userLocale).put("data", data);
        if (inThread) {
            tokenChannels.put("interaction-token-" + id, THREAD_ID);
            interaction.put("channel_id", THREAD_ID).put("channel", threadJson(guild));
        }
        dispatch("INTERACTION_CREATE", interaction);
        return id;
    }

    /** A press of the button {@code customId} under the bot message {@code messageId} (in the default guild or a DM). */
    public String buttonPress(User user, boolean inGuild, String customId, String messageId, String userLocale) {
        return buttonPress(user, inGuild ? DEFAULT_GUILD : null, customId, messageId, userLocale);
    }

    /** A press of the button {@code customId} under the bot message {@code messageId} in {@code guild} (null: a DM). */
    public String buttonPress(User user, Guild guild, String customId, String messageId, String userLocale) {
        String id = snowflake();
        String channel = guild != null ? guild.channelId() : dmChannel(user);
        // the button is on the message, as on Discord, with a second one beside it
        DataArray buttons = DataArray.empty()
                .add(DataObject.empty().put("type", 2).put("style", 2).put("label", "Pressed").put("custom_id", customId))
                .add(DataObject.empty().put("type", 2).put("style", 2).put("label", "Other").put("custom_id", "nemo:other"));
        DataObject message = message(messageId, channel, botUser(), "progress", List.of())
                .put("author", botUser())
                .put("components", DataArray.empty().add(DataObject.empty().put("type", 1).put("components", buttons)));
        if (guild != null) {
            message.put("guild_id", guild.id());
        }
        DataObject data = DataObject.empty().put("custom_id", customId).put("component_type", 2);
        dispatch("INTERACTION_CREATE", interaction(id, 3, user, guild, userLocale).put("data", data).put("message", message));
        return id;
    }

    private DataObject interaction(String id, int type, User user, Guild guild, String userLocale) {
        tokenChannels.put("interaction-token-" + id, guild != null ? guild.channelId() : dmChannel(user));
        DataObject i = DataObject.empty().put("id", id).put("type", type).put("application_id", APP_ID)
                .put("token", "interaction-token-" + id).put("version", 1)
                .put("locale", userLocale).put("app_permissions", "0").put("entitlements", DataArray.empty())
                .put("authorizing_integration_owners", DataObject.empty().put("0", guild != null ? guild.id() : GUILD_ID));
        if (attachmentSizeLimit.get() > 0) {
            i.put("attachment_size_limit", attachmentSizeLimit.get());
        }
        if (guild != null) {
            i.put("guild_id", guild.id()).put("guild_locale", guildLocale.get()).put("context", 0)
                    .put("guild", DataObject.empty().put("id", guild.id()).put("locale", guildLocale.get())
                            .put("features", DataArray.empty()))
                    .put("channel_id", guild.channelId())
                    .put("channel", DataObject.empty().put("id", guild.channelId()).put("type", 0).put("name", "general")
                            .put("guild_id", guild.id()).put("position", 0).put("permissions", "0"))
                    .put("member", member(user, true));
        } else {
            String dm = dmChannel(user);
            i.put("context", 1).put("channel_id", dm).put("user", user.json())
                    .put("channel", DataObject.empty().put("id", dm).put("type", 1)
                            .put("recipients", DataArray.empty().add(user.json())));
        }
        return i;
    }

    private DataObject member(User user, boolean withUser) {
        DataObject m = DataObject.empty().put("roles", DataArray.empty()).put("joined_at", iso(Instant.now()))
                .put("deaf", false).put("mute", false).put("flags", 0).put("permissions", "0");
        return withUser ? m.put("user", user.json()) : m;
    }

    private DataObject message(String id, String channelId, DataObject author, String content, List<DataObject> attachments) {
        DataArray atts = DataArray.empty();
        attachments.forEach(atts::add);
        return DataObject.empty().put("id", id).put("channel_id", channelId).put("type", 0).put("content", content)
                .put("author", author).put("timestamp", iso(Instant.now())).put("edited_timestamp", null)
                .put("tts", false).put("mention_everyone", false).put("mentions", DataArray.empty())
                .put("mention_roles", DataArray.empty()).put("attachments", atts).put("embeds", DataArray.empty())
                .put("pinned", false).put("flags", 0).put("components", DataArray.empty());
    }

    static DataObject botUser() {
        return DataObject.empty().put("id", BOT_ID).put("username", BOT_NAME).put("discriminator", "0")
                .put("avatar", null).put("bot", true);
    }

    private static String iso(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC).toString();
    }

    // ---- the gateway ----

    /** One WebSocket connection; it belongs to a session once it has sent IDENTIFY or RESUME. */
    private final class Gateway extends WebSocketListener {
        private volatile Session session;

        @Override
        public void onOpen(WebSocket webSocket, okhttp3.Response response) {
            webSocket.send(DataObject.empty().put("op", 10).put("d", DataObject.empty().put("heartbeat_interval", 45_000)).toString());
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            DataObject frame = DataObject.fromJson(text);
            switch (frame.getInt("op")) {
                case 1 -> webSocket.send("{\"op\":11}");
                case 2 -> identified(webSocket, frame.getObject("d"));
                case 6 -> resumed(webSocket, frame.getObject("d"));
                default -> { }
            }
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            detach(webSocket);
            webSocket.close(1000, null);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, okhttp3.Response response) {
            detach(webSocket);
        }

        private void detach(WebSocket webSocket) {
            Session s = session;
            if (s != null && s.socket == webSocket) {
                s.socket = null;
            }
        }

        private void identified(WebSocket webSocket, DataObject identify) {
            identifies.add(identify);
            int shard = 0;
            int total = 1;
            if (identify.hasKey("shard") && !identify.isNull("shard")) {
                DataArray pair = identify.getArray("shard");
                shard = pair.getInt(0);
                total = pair.getInt(1);
            }
            if (total < 1 || shard < 0 || shard >= total) {
                webSocket.close(4010, "Invalid shard"); // Discord's close code for a bad shard pair
                return;
            }
            Session s = new Session(shard, total, "fake-session-" + shard + "-" + sessionCounter.incrementAndGet(), webSocket);
            Session replaced = sessions.put(shard, s);
            if (replaced != null && replaced.socket != null && replaced.socket != webSocket) {
                replaced.socket.close(4000, "Session replaced");
            }
            session = s;
            DataArray unavailable = DataArray.empty();
            List<Guild> mine = guilds.values().stream().filter(g -> s.owns(g.id())).toList();
            mine.forEach(g -> unavailable.add(DataObject.empty().put("id", g.id()).put("unavailable", true)));
            DataObject ready = DataObject.empty().put("v", 10).put("user", botUser())
                    .put("guilds", unavailable)
                    .put("session_id", s.id).put("resume_gateway_url", gatewayUrl().toString())
                    .put("shard", DataArray.empty().add(shard).add(total))
                    .put("private_channels", DataArray.empty()).put("relationships", DataArray.empty())
                    .put("application", DataObject.empty().put("id", APP_ID).put("flags", applicationFlags.get()));
            send(s, "READY", ready);
            mine.forEach(g -> send(s, "GUILD_CREATE", guildJson(g)));
        }

        private void resumed(WebSocket webSocket, DataObject resume) {
            String id = resume.getString("session_id", "");
            Session s = sessions.values().stream().filter(x -> x.id.equals(id)).findFirst().orElse(null);
            if (s == null) {
                // op 9 with d=false: the session cannot be resumed, the client identifies anew
                webSocket.send(DataObject.empty().put("op", 9).put("d", false).toString());
                return;
            }
            resumes.incrementAndGet();
            s.socket = webSocket;
            session = s;
            DataObject replay = s.lastDispatch.get();
            send(s, "RESUMED", DataObject.empty());
            if (replayOnResume.get() && replay != null) {
                send(s, replay.getString("t"), replay.getObject("d"));
            }
        }
    }

    private DataObject threadJson(Guild guild) {
        return DataObject.empty().put("id", THREAD_ID).put("type", 11).put("name", "a thread")
                .put("guild_id", guild.id()).put("parent_id", guild.channelId()).put("owner_id", BOT_ID)
                .put("last_message_id", null).put("rate_limit_per_user", 0).put("message_count", 0)
                .put("member_count", 1).put("total_message_sent", 0).put("flags", 0).put("permissions", "0")
                .put("thread_metadata", DataObject.empty().put("archived", false).put("auto_archive_duration", 1440)
                        .put("locked", false).put("invitable", true).put("archive_timestamp", iso(Instant.now()))
                        .put("create_timestamp", iso(Instant.now())));
    }

    private DataObject guildJson(Guild guild) {
        DataObject everyone = DataObject.empty().put("id", guild.id()).put("name", "@everyone").put("permissions", "0")
                .put("position", 0).put("color", 0).put("colors", DataObject.empty().put("primary_color", 0))
                .put("hoist", false).put("managed", false).put("mentionable", false).put("flags", 0);
        DataObject channel = DataObject.empty().put("id", guild.channelId()).put("type", 0).put("name", "general")
                .put("position", 0).put("guild_id", guild.id()).put("permission_overwrites", DataArray.empty())
                .put("nsfw", false).put("topic", null).put("last_message_id", null).put("rate_limit_per_user", 0);
        DataObject botMember = DataObject.empty().put("user", botUser()).put("roles", DataArray.empty())
                .put("joined_at", iso(Instant.now())).put("deaf", false).put("mute", false).put("flags", 0);
        return DataObject.empty().put("id", guild.id()).put("name", guild.name()).put("owner_id", BOT_ID)
                .put("afk_timeout", 300).put("member_count", 1).put("members", DataArray.empty().add(botMember))
                .put("roles", DataArray.empty().add(everyone)).put("channels", DataArray.empty().add(channel))
                .put("threads", guild.equals(DEFAULT_GUILD) ? DataArray.empty().add(threadJson(guild)) : DataArray.empty())
                .put("guild_scheduled_events", DataArray.empty())
                .put("emojis", DataArray.empty()).put("stickers", DataArray.empty()).put("voice_states", DataArray.empty())
                .put("features", DataArray.empty()).put("premium_tier", 0).put("preferred_locale", guildLocale.get())
                .put("verification_level", 0).put("default_message_notifications", 0).put("explicit_content_filter", 0)
                .put("mfa_level", 0).put("nsfw_level", 0).put("large", false).put("unavailable", false)
                .put("joined_at", iso(Instant.now())).put("system_channel_id", null).put("icon", null);
    }

    // ---- REST ----

    private static final java.util.regex.Pattern CHANNEL_MESSAGES =
            java.util.regex.Pattern.compile("/api/v10/channels/(\\d+)/messages(/\\d+)?");

    private final class Routes extends Dispatcher {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getUrl().encodedPath();
            String method = request.getMethod();
            if (path.startsWith("/gateway")) {
                if (gatewayDown.get()) {
                    return new MockResponse.Builder().code(503).body("gateway down").build();
                }
                return new MockResponse.Builder().webSocketUpgrade(new Gateway()).build();
            }
            if (path.startsWith("/attachments/")) {
                Served served = files.get(path.substring("/attachments/".length()));
                if (served == null) {
                    return new MockResponse.Builder().code(404).build();
                }
                return new MockResponse.Builder().code(200).addHeader("Content-Type", served.contentType() == null
                        ? "application/octet-stream" : served.contentType()).body(new Buffer().write(served.bytes())).build();
            }
            Call call;
            try {
                call = record(request);
            } catch (IOException e) {
                return json(400, DataObject.empty().put("code", 50109).put("message", "The request body contains invalid JSON."));
            }
            java.util.regex.Matcher limited = CHANNEL_MESSAGES.matcher(path);
            if (channelPermits > 0 && limited.matches() && !method.equals("GET")) {
                return limitedRoute(limited.group(1), method, path, call);
            }
            calls.add(call);
            return route(method, path, call);
        }

        /** A message or edit in a channel, within the channel's limit or answered 429 as Discord does. */
        private MockResponse limitedRoute(String channelId, String method, String path, Call call) {
            long now = System.nanoTime();
            long window = channelWindow.toNanos();
            int remaining;
            long resetAfter;
            java.util.ArrayDeque<Long> used = channelUse.computeIfAbsent(channelId, k -> new java.util.ArrayDeque<>());
            synchronized (used) {
                while (!used.isEmpty() && now - used.peekFirst() >= window) {
                    used.pollFirst();
                }
                if (used.size() >= channelPermits) {
                    rateLimited.incrementAndGet();
                    double retryAfter = Math.max(0.001, (used.peekFirst() + window - now) / 1e9);
                    return rateLimitHeaders(new MockResponse.Builder().code(429), channelId, 0, retryAfter)
                            .addHeader("Retry-After", String.valueOf((long) Math.ceil(retryAfter)))
                            .addHeader("X-RateLimit-Scope", "user")
                            .addHeader("Content-Type", "application/json")
                            .body(DataObject.empty().put("message", "You are being rate limited.")
                                    .put("retry_after", retryAfter).put("global", false).toString())
                            .build();
                }
                used.addLast(now);
                remaining = channelPermits - used.size();
                resetAfter = used.peekFirst() + window - now;
                calls.add(call); // recorded inside the lock: the calls of one channel are listed in the order they landed
            }
            MockResponse answer = route(method, path, call);
            MockResponse.Builder b = answer.newBuilder();
            return rateLimitHeaders(b, channelId, remaining, resetAfter / 1e9).build();
        }

        private MockResponse.Builder rateLimitHeaders(MockResponse.Builder b, String channelId, int remaining,
                                                      double resetAfter) {
            return b.addHeader("X-RateLimit-Limit", String.valueOf(channelPermits))
                    .addHeader("X-RateLimit-Remaining", String.valueOf(remaining))
                    .addHeader("X-RateLimit-Reset-After", String.format(java.util.Locale.ROOT, "%.3f", resetAfter))
                    .addHeader("X-RateLimit-Reset", String.format(java.util.Locale.ROOT, "%.3f",
                            System.currentTimeMillis() / 1000.0 + resetAfter))
                    .addHeader("X-RateLimit-Bucket", "fake-channel-messages");
        }

        private MockResponse route(String method, String path, Call call) {
            String[] p = path.split("/");
            // p: "", "api", "v10", ...
            if (refuseToken.get()) {
                return json(401, DataObject.empty().put("code", 0).put("message", "401: Unauthorized"));
            }
            if (method.equals("GET") && path.equals("/api/v10/users/@me")) {
                return json(200, botUser().put("verified", true).put("mfa_enabled", false));
            }
            if (method.equals("GET") && path.equals("/api/v10/gateway/bot") && gatewayBot.get()) {
                return json(200, DataObject.empty().put("url", gatewayUrl().toString()).put("shards", recommendedShards.get())
                        .put("session_start_limit", DataObject.empty().put("total", 1000).put("remaining", 1000)
                                .put("reset_after", 0).put("max_concurrency", maxConcurrency.get())));
            }
            if (method.equals("GET") && path.equals("/api/v10/gateway")) {
                return json(200, DataObject.empty().put("url", gatewayUrl().toString()));
            }
            if (method.equals("GET") && path.equals("/api/v10/applications/@me")) {
                return json(200, DataObject.empty().put("id", APP_ID).put("name", BOT_NAME).put("flags", applicationFlags.get())
                        .put("bot_public", true).put("description", "").put("icon", null));
            }
            if (method.equals("PUT") && path.matches("/api/v10/applications/\\d+/commands")) {
                DataArray in = DataArray.fromJson(call.json().getString("__array"));
                DataArray out = DataArray.empty();
                for (int i = 0; i < in.length(); i++) {
                    out.add(in.getObject(i).put("id", snowflake()).put("application_id", APP_ID).put("version", snowflake()));
                }
                return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(out.toString()).build();
            }
            if (method.equals("POST") && path.equals("/api/v10/users/@me/channels")) {
                String recipient = call.json().getString("recipient_id");
                User user = users.getOrDefault(recipient, new User(recipient, "user" + recipient));
                return json(200, DataObject.empty().put("id", dmChannel(user)).put("type", 1)
                        .put("recipients", DataArray.empty().add(user.json())).put("last_message_id", null));
            }
            if (method.equals("POST") && path.matches("/api/v10/channels/\\d+/typing")) {
                return new MockResponse.Builder().code(204).build();
            }
            if (method.equals("POST") && path.matches("/api/v10/channels/\\d+/messages")) {
                if (!call.files().isEmpty() && rejectUploads.get()) {
                    return json(413, DataObject.empty().put("code", 40005).put("message", "Request entity too large"));
                }
                return json(200, sentMessage(snowflake(), p[4], call, false));
            }
            if (method.equals("PATCH") && path.matches("/api/v10/channels/\\d+/messages/\\d+")) {
                if (!call.files().isEmpty() && rejectUploads.get()) {
                    return json(413, DataObject.empty().put("code", 40005).put("message", "Request entity too large"));
                }
                return json(200, sentMessage(p[6], p[4], call, false));
            }
            if (method.equals("POST") && path.matches("/api/v10/interactions/\\d+/[^/]+/callback")) {
                return new MockResponse.Builder().code(204).build();
            }
            if (path.matches("/api/v10/webhooks/\\d+/[^/]+(/messages/[^/]+)?")) {
                if (unknownWebhooks.get()) {
                    return json(404, DataObject.empty().put("code", 10015).put("message", "Unknown Webhook"));
                }
                if (!call.files().isEmpty() && rejectUploads.get()) {
                    return json(413, DataObject.empty().put("code", 40005).put("message", "Request entity too large"));
                }
                String messageId = p.length > 7 ? p[7] : snowflake();
                if (messageId.equals("@original")) {
                    messageId = originalId(p[5]);
                }
                return json(200, sentMessage(messageId, tokenChannels.getOrDefault(p[5], CHANNEL_ID), call, true));
            }
            return json(404, DataObject.empty().put("code", 0).put("message", "404: Not Found"));
        }


        private DataObject sentMessage(String id, String channelId, Call call, boolean webhook) {
            DataArray attachments = DataArray.empty();
            call.files().forEach((part, file) -> attachments.add(DataObject.empty().put("id", snowflake())
                    .put("filename", file.fileName()).put("size", file.bytes().length)
                    .put("url", "http://127.0.0.1:" + server.getPort() + "/attachments/x/" + file.fileName())
                    .put("proxy_url", "http://127.0.0.1:" + server.getPort() + "/attachments/x/" + file.fileName())));
            DataObject m = message(id, channelId, botUser(), call.content() == null ? "" : call.content(), List.of())
                    .put("attachments", attachments);
            if (webhook) {
                m.put("webhook_id", APP_ID).put("application_id", APP_ID);
            }
            Guild guild = guildsByChannel.get(channelId);
            if (guild != null) {
                m.put("guild_id", guild.id());
            }
            return m;
        }

        private MockResponse json(int code, DataObject body) {
            return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body.toString()).build();
        }
    }

    private Call record(RecordedRequest request) throws IOException {
        String path = request.getUrl().encodedPath();
        String query = request.getUrl().encodedQuery();
        Headers headers = request.getHeaders();
        String contentType = headers.get("Content-Type");
        DataObject json = null;
        Map<String, FilePart> parts = new LinkedHashMap<>();
        if (request.getBody() != null && request.getBody().size() > 0) {
            MediaType type = contentType == null ? null : MediaType.parse(contentType);
            if (type != null && type.subtype().equals("form-data")) {
                try (MultipartReader reader = new MultipartReader(new Buffer().write(request.getBody()), type.parameter("boundary"))) {
                    MultipartReader.Part part;
                    while ((part = reader.nextPart()) != null) {
                        String disposition = part.headers().get("Content-Disposition");
                        String name = param(disposition, "name");
                        byte[] bytes = part.body().readByteArray();
                        if ("payload_json".equals(name)) {
                            json = DataObject.fromJson(bytes);
                        } else {
                            parts.put(name, new FilePart(param(disposition, "filename"), part.headers().get("Content-Type"), bytes));
                        }
                    }
                }
            } else {
                String body = request.getBody().utf8();
                json = body.startsWith("[") ? DataObject.empty().put("__array", body) : DataObject.fromJson(body);
            }
        }
        return new Call(request.getMethod(), path, query, json, parts, System.nanoTime());
    }

    private static String param(String disposition, String name) {
        if (disposition == null) {
            return null;
        }
        for (String piece : disposition.split(";")) {
            String p = piece.strip();
            if (p.startsWith(name + "=")) {
                String v = p.substring(name.length() + 1);
                return v.startsWith("\"") ? v.substring(1, v.length() - 1) : v;
            }
        }
        return null;
    }

    @Override
    public void close() {
        sessions.values().forEach(s -> {
            WebSocket ws = s.socket;
            s.socket = null;
            if (ws != null) {
                ws.cancel();
            }
        });
        server.close();
    }

    /** For assertions that list what happened. */
    public String describe() {
        List<String> lines = new ArrayList<>();
        calls.forEach(c -> lines.add(c.toString()));
        return String.join("\n", lines);
    }
}
