package dev.nemobot.discord;

import dev.nemobot.config.DiscordSettings;
import dev.nemobot.core.chat.ChatEngine;
import dev.nemobot.core.chat.Inbox;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
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
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.api.utils.SessionControllerAdapter;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Discord bot: a JDA connection whose events go to the engine's inbox, and the engine's replies back to
 * Discord. {@link #start} returns once the gateway is ready and the slash commands are registered.
 *
 * <p>Thread-safe. The caller owns the instance and must {@link #close()} it; closing disconnects from Discord
 * and waits (bounded) for JDA to stop. The bot token never appears in a log line or an exception text.
 */
public final class DiscordBot implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DiscordBot.class);
    private static final int REMEMBERED_IDS = 10_000;

    /** What the bot needs in a channel; the README's invite link carries the same number (117760). */
    static final long INVITE_PERMISSIONS = Permission.getRaw(Permission.VIEW_CHANNEL, Permission.MESSAGE_SEND,
            Permission.MESSAGE_EMBED_LINKS, Permission.MESSAGE_ATTACH_FILES, Permission.MESSAGE_HISTORY);

    private final JDA jda;
    private final OkHttpClient http;
    private final ScheduledExecutorService timers;
    private final boolean messageContent;

    private DiscordBot(JDA jda, OkHttpClient http, ScheduledExecutorService timers, boolean messageContent) {
        this.jda = jda;
        this.http = http;
        this.timers = timers;
        this.messageContent = messageContent;
    }

    /**
     * Connects to Discord (or to {@code settings.restUrl()} / {@code gatewayUrl()}), attaches to the engine as the
     * platform {@code "discord"}, registers the global slash commands and waits for the gateway to be ready.
     *
     * <p>The privileged Message Content intent is requested only when the application's flags say the developer
     * portal allows it; without it the bot still reads slash commands, DMs and messages that mention it.
     *
     * @throws IllegalStateException if Discord refuses the token or the connection cannot be made ready
     */
    public static DiscordBot start(DiscordSettings settings, ChatEngine engine) {
        return start(settings, engine, Options.DEFAULT);
    }

    /** Knobs tests turn; production uses {@link #DEFAULT}. */
    record Options(Clock clock, Duration editInterval, Optional<Boolean> messageContent, Duration readyTimeout) {
        static final Options DEFAULT = new Options(Clock.systemUTC(), Duration.ofSeconds(1), Optional.empty(), Duration.ofSeconds(60));

        Options {
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(editInterval, "editInterval");
            Objects.requireNonNull(messageContent, "messageContent");
            Objects.requireNonNull(readyTimeout, "readyTimeout");
        }
    }

    static DiscordBot start(DiscordSettings settings, ChatEngine engine, Options options) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(engine, "engine");
        String restBase = settings.restUrl().map(DiscordBot::withSlash).orElse(RestConfig.DEFAULT_BASE_URL);
        OkHttpClient http = new OkHttpClient.Builder().build();
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "discord-edit-timer");
            t.setDaemon(true);
            return t;
        });
        JDA jda = null;
        try {
            boolean messageContent = options.messageContent()
                    .orElseGet(() -> MessageContentProbe.enabled(http, restBase, settings.botToken().reveal()));
            EditThrottle throttle = new EditThrottle(options.clock(), options.editInterval(), (task, delay) -> {
                try {
                    timers.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException closing) {
                    log.debug("edit dropped: the bot is closing");
                }
            });
            DiscordPlatform platform = new DiscordPlatform(options.clock(), throttle);
            Inbox inbox = engine.attach(platform);
            DiscordListener listener = new DiscordListener(inbox, platform, settings.allowDms(), messageContent,
                    new RecentIds(REMEMBERED_IDS));

            EnumSet<GatewayIntent> intents = EnumSet.of(GatewayIntent.GUILD_MESSAGES, GatewayIntent.DIRECT_MESSAGES);
            if (messageContent) {
                intents.add(GatewayIntent.MESSAGE_CONTENT);
            }
            JDABuilder builder = JDABuilder.createLight(settings.botToken().reveal(), intents)
                    .setHttpClient(http)
                    // the raw interaction carries attachment_size_limit, which JDA does not expose
                    .setEventPassthrough(true)
                    .addEventListeners(listener);
            settings.restUrl().ifPresent(url -> builder.setRestConfig(new RestConfig().setBaseUrl(restBase)));
            settings.gatewayUrl().ifPresent(url -> builder
                    .setSessionController(new FixedGateway(url))
                    // another gateway (a proxy, a test server) is spoken to in plain JSON frames
                    .setCompression(Compression.NONE)
                    .setGatewayEncoding(GatewayEncoding.JSON));
            jda = builder.build();
            platform.bind(jda);
            try {
                listener.ready().get(options.readyTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new IllegalStateException("Discord did not become ready within " + options.readyTimeout());
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
            }
            try {
                jda.updateCommands().addCommands(SlashCommands.all(settings.allowDms())).complete();
            } catch (RuntimeException e) {
                // mentions and DMs still work; the commands from an earlier start may still be registered
                log.error("registering the slash commands failed: {}", e.toString());
            }
            log.info("Discord bot ready as {} in {} servers (message content intent {}); invite link: {}",
                    jda.getSelfUser().getName(), jda.getGuilds().size(), messageContent ? "on" : "off",
                    inviteUrl(jda.getSelfUser().getApplicationId()));
            return new DiscordBot(jda, http, timers, messageContent);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(jda, http, timers);
            throw new IllegalStateException("interrupted while connecting to Discord", e);
        } catch (RuntimeException e) {
            stop(jda, http, timers);
            // JDA's own messages (such as "The provided token is invalid!") never contain the token
            throw e instanceof IllegalStateException ise ? ise : new IllegalStateException("the Discord bot could not start: " + e.getMessage(), e);
        }
    }

    /** Whether the privileged Message Content intent was requested. */
    boolean messageContent() {
        return messageContent;
    }

    /** Disconnects from Discord and waits up to about 15 seconds for JDA to stop. Idempotent. */
    @Override
    public void close() {
        stop(jda, http, timers);
    }

    private static void stop(JDA jda, OkHttpClient http, ScheduledExecutorService timers) {
        timers.shutdownNow();
        if (jda != null) {
            try {
                jda.shutdown();
                if (!jda.awaitShutdown(Duration.ofSeconds(10))) {
                    jda.shutdownNow();
                    jda.awaitShutdown(Duration.ofSeconds(5));
                }
            } catch (InterruptedException e) {
                jda.shutdownNow();
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

    /** Points JDA at another gateway address; JDA appends the encoding and version itself. */
    private static final class FixedGateway extends SessionControllerAdapter {
        private final String gateway;

        FixedGateway(URI gateway) {
            this.gateway = gateway.toString();
        }

        @Override
        public String getGateway() {
            return gateway;
        }
    }
}
