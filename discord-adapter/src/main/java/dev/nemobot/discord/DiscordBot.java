package dev.nemobot.discord;

import dev.nemobot.config.DiscordSettings;
import dev.nemobot.config.ProxySettings;
import dev.nemobot.core.chat.ChatEngine;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.chat.kit.RecentIds;
import dev.nemobot.core.net.Http2Support;
import dev.nemobot.core.net.ProxyRouting;
import java.net.URI;
import dev.nemobot.core.chat.kit.ChannelBudget;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.dv8tion.jda.api.GatewayEncoding;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.SelfUser;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.sharding.DefaultShardManagerBuilder;
import net.dv8tion.jda.api.sharding.ShardManager;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.api.utils.ConcurrentSessionController;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Discord bot: JDA gateway sessions whose events go to the engine's inbox, and the engine's replies back to
 * Discord. {@link #start} returns once every gateway session of this instance is ready and the slash commands are
 * registered.
 *
 * <p>The sessions are JDA shards ({@link ShardManager}): one shard of one when {@link DiscordSettings#shards()} is
 * unsharded, otherwise the shard ids it names out of its total, so several instances (same token, same total,
 * disjoint ids) split a large bot's servers between them. Discord sends a server's events only to the shard that owns
 * it ({@code (server_id >> 22) % total}) and direct messages to shard 0; the instance that runs shard 0 also registers
 * the global slash commands, so instances do not overwrite each other's. Replies go out through the shard whose cache
 * holds the channel; see {@link DiscordPlatform} for channels of servers on other instances.
 *
 * <p>Thread-safe. The caller owns the instance and must {@link #close()} it; closing disconnects from Discord
 * and waits (bounded) for JDA to stop. The bot token never appears in a log line or an exception text.
 */
public final class DiscordBot implements AutoCloseable {
    /** The largest file Discord takes anywhere (a server at the top boost tier): the cap of a video download. */
    public static final long LARGEST_UPLOAD_BYTES = net.dv8tion.jda.api.entities.Guild.BoostTier.TIER_3.getMaxFileSize();

    private static final Logger log = LoggerFactory.getLogger(DiscordBot.class);
    private static final int REMEMBERED_IDS = 10_000;
    /** Where JDA's gateway is unless Discord names another (a resume may name a host under discord.gg). */
    private static final URI DEFAULT_GATEWAY = URI.create("wss://gateway.discord.gg");
    /** Discord's IDENTIFY spacing (5 s per bucket) with a margin: the extra wait per shard after the first. */
    private static final Duration PER_EXTRA_SHARD = Duration.ofSeconds(6);

    /** What the bot needs in a channel; the README's invite link carries the same number (117760). */
    static final long INVITE_PERMISSIONS = Permission.getRaw(Permission.VIEW_CHANNEL, Permission.MESSAGE_SEND,
            Permission.MESSAGE_EMBED_LINKS, Permission.MESSAGE_ATTACH_FILES, Permission.MESSAGE_HISTORY);

    private final ShardManager shards;
    private final OkHttpClient http;
    private final ScheduledExecutorService timers;
    private final boolean messageContent;

    private DiscordBot(ShardManager shards, OkHttpClient http, ScheduledExecutorService timers, boolean messageContent) {
        this.shards = shards;
        this.http = http;
        this.timers = timers;
        this.messageContent = messageContent;
    }

    /**
     * Connects to Discord (or to {@code settings.restUrl()} / {@code gatewayUrl()}) with the shards of
     * {@code settings.shards()}, attaches to the engine as the platform {@code "discord"}, waits for every shard to be
     * ready and, when this instance runs shard 0, registers the global slash commands.
     *
     * <p>The privileged Message Content intent is requested only when the application's flags say the developer
     * portal allows it; without it the bot still reads slash commands, DMs and messages that mention it.
     *
     * <p>Discord lets a bot start one session per 5 seconds in each of its {@code max_concurrency} buckets, so an
     * instance with many shards takes a while: the wait grows by 6 seconds for each shard after the first.
     *
     * @throws IllegalStateException if Discord refuses the token or a shard cannot be made ready
     */
    public static DiscordBot start(DiscordSettings settings, ChatEngine engine) {
        return start(settings, engine, ProxySettings.none());
    }

    /**
     * As {@link #start(DiscordSettings, ChatEngine)}, with REST, the CDN (attachments) and the gateway's WebSocket
     * through {@code proxy}.
     */
    public static DiscordBot start(DiscordSettings settings, ChatEngine engine, ProxySettings proxy) {
        return start(settings, engine, Options.DEFAULT, proxy);
    }

    /** Knobs tests turn; production uses {@link #DEFAULT}. */
    record Options(Clock clock, Duration editInterval, Optional<Boolean> messageContent, Duration readyTimeout) {
        /**
         * The messages and edits one channel allows, shared by the channel's jobs: 5 per 5 {@code editInterval}s
         * (Discord's 5 per 5 s with the default one-second interval).
         */
        ChannelBudget.Limit channelLimit() {
            return new ChannelBudget.Limit(5, editInterval.multipliedBy(5));
        }

        static final Options DEFAULT = new Options(Clock.systemUTC(), Duration.ofSeconds(1), Optional.empty(), Duration.ofSeconds(60));

        Options {
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(editInterval, "editInterval");
            Objects.requireNonNull(messageContent, "messageContent");
            Objects.requireNonNull(readyTimeout, "readyTimeout");
        }
    }

    static DiscordBot start(DiscordSettings settings, ChatEngine engine, Options options) {
        return start(settings, engine, options, ProxySettings.none());
    }

    static DiscordBot start(DiscordSettings settings, ChatEngine engine, Options options, ProxySettings proxy) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(engine, "engine");
        DiscordSettings.Shards plan = settings.shards();
        String restBase = settings.restUrl().map(DiscordBot::withSlash).orElse(RestConfig.DEFAULT_BASE_URL);
        // REST, the CDN's attachments and the message content probe all use this client; fast fallback off: OkHttp
        // would open each new connection on a platform thread of its unbounded pool; HTTP/1.1 only before Java 24
        OkHttpClient http = Http2Support.apply(ProxyRouting.apply(new OkHttpClient.Builder(), proxy))
                .fastFallback(false).build();
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "discord-edit-timer");
            t.setDaemon(true);
            return t;
        });
        ShardManager shards = null;
        try {
            boolean messageContent = options.messageContent()
                    .orElseGet(() -> MessageContentProbe.enabled(http, restBase, settings.botToken().reveal()));
            ChannelBudget budget = new ChannelBudget(options.clock(), (task, delay) -> {
                try {
                    timers.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException closing) {
                    log.debug("edit dropped: the bot is closing");
                }
            }, options.channelLimit());
            DiscordPlatform platform = new DiscordPlatform(options.clock(), budget);
            Inbox inbox = engine.attach(platform);
            DiscordListener listener = new DiscordListener(inbox, platform, settings.allowDms(), messageContent,
                    new RecentIds(REMEMBERED_IDS), plan.ids(), options.clock());

            EnumSet<GatewayIntent> intents = EnumSet.of(GatewayIntent.GUILD_MESSAGES, GatewayIntent.DIRECT_MESSAGES);
            if (messageContent) {
                intents.add(GatewayIntent.MESSAGE_CONTENT);
            }
            DefaultShardManagerBuilder builder = DefaultShardManagerBuilder.createLight(settings.botToken().reveal(), intents)
                    .setHttpClient(http)
                    .setWebsocketFactory(GatewayProxy.factory(settings.gatewayUrl().orElse(DEFAULT_GATEWAY), proxy))
                    // the raw interaction carries attachment_size_limit, which JDA does not expose
                    .setEventPassthrough(true)
                    .addEventListeners(listener)
                    .setShardsTotal(plan.total())
                    .setShards(plan.ids());
            settings.restUrl().ifPresent(url -> builder.setRestConfig(new RestConfig().setBaseUrl(restBase)));
            settings.gatewayUrl().ifPresent(url -> builder
                    .setSessionController(new FixedGateway(url))
                    // another gateway (a proxy, a test server) is spoken to in plain JSON frames
                    .setCompression(Compression.NONE)
                    .setGatewayEncoding(GatewayEncoding.JSON));
            // logs in the first shard here (a refused token throws at once); the others start in the background
            shards = builder.build();
            platform.bind(shards);
            Duration readyTimeout = options.readyTimeout().plus(PER_EXTRA_SHARD.multipliedBy(plan.ids().size() - 1L));
            try {
                listener.ready().get(readyTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new IllegalStateException("Discord did not make shards " + plan + " ready within " + readyTimeout);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
            }
            JDA shardZero = shards.getShardById(0);
            if (shardZero != null) {
                try {
                    shardZero.updateCommands().addCommands(SlashCommands.all(settings.allowDms())).complete();
                } catch (RuntimeException e) {
                    // mentions and DMs still work; the commands from an earlier start may still be registered
                    log.error("registering the slash commands failed: {}", e.toString());
                }
            } else {
                log.info("slash commands are left to the instance that runs shard 0");
            }
            SelfUser self = shards.getShards().getFirst().getSelfUser();
            log.info("Discord bot ready as {} on shards {} in {} servers (message content intent {}); invite link: {}",
                    self.getName(), plan, shards.getGuildCache().size(), messageContent ? "on" : "off",
                    inviteUrl(self.getApplicationId()));
            return new DiscordBot(shards, http, timers, messageContent);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(shards, http, timers);
            throw new IllegalStateException("interrupted while connecting to Discord", e);
        } catch (RuntimeException e) {
            stop(shards, http, timers);
            // JDA's own messages (such as "The provided token is invalid!") never contain the token
            throw e instanceof IllegalStateException ise ? ise : new IllegalStateException("the Discord bot could not start: " + e.getMessage(), e);
        }
    }

    /** Whether the privileged Message Content intent was requested. */
    boolean messageContent() {
        return messageContent;
    }

    /** Disconnects every shard from Discord and waits up to about 15 seconds in all for JDA to stop. Idempotent. */
    @Override
    public void close() {
        stop(shards, http, timers);
    }

    private static void stop(ShardManager shards, OkHttpClient http, ScheduledExecutorService timers) {
        timers.shutdownNow();
        if (shards != null) {
            // the manager stops its shards on its own thread and offers no wait: wait for each shard instead
            List<JDA> running = shards.getShards();
            shards.shutdown();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            try {
                for (JDA shard : running) {
                    Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                    if (!shard.awaitShutdown(left)) {
                        shard.shutdownNow();
                    }
                }
                long hard = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                for (JDA shard : running) {
                    shard.awaitShutdown(Duration.ofNanos(Math.max(0, hard - System.nanoTime())));
                }
            } catch (InterruptedException e) {
                running.forEach(JDA::shutdownNow);
                Thread.currentThread().interrupt();
            }
        }
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** The link a server administrator opens to add the bot with its slash commands and the permissions it needs. */
    static String inviteUrl(String applicationId) {
        return "https://discord.com/oauth2/authorize?client_id=" + applicationId
                + "&scope=bot+applications.commands&permissions=" + INVITE_PERMISSIONS;
    }

    private static String withSlash(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? s : s + "/";
    }

    /**
     * Points JDA at another gateway address (JDA appends the encoding and version itself). The shard manager still
     * asks {@code GET gateway/bot} through the REST base for {@code max_concurrency}, how many shards may IDENTIFY at
     * once; a server without that route gets one at a time. Extends the controller the manager uses by default, which
     * runs the {@code max_concurrency} buckets in parallel.
     */
    private static final class FixedGateway extends ConcurrentSessionController {
        private final String gateway;

        FixedGateway(URI gateway) {
            this.gateway = gateway.toString();
        }

        @Override
        public String getGateway() {
            return gateway;
        }

        @Override
        public ShardedGateway getShardedGateway(JDA api) {
            try {
                ShardedGateway asked = super.getShardedGateway(api);
                return new ShardedGateway(gateway, asked.getShardTotal(), asked.getConcurrency());
            } catch (ErrorResponseException e) {
                // a refused token is an InvalidTokenException and passes through; this is "no such route" and the like
                log.debug("GET gateway/bot failed ({}); identifying one shard at a time", e.getMeaning());
                // the shard total given here is not used: the manager was built with its own
                return new ShardedGateway(gateway, 1, 1);
            }
        }
    }
}
