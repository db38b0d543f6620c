package dev.nemobot.telegram;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nemobot.config.ProxySettings;
import dev.nemobot.config.TelegramSettings;
import dev.nemobot.core.chat.ChatEngine;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.chat.Lang;
import dev.nemobot.core.net.Http2Support;
import dev.nemobot.core.net.ProxyRouting;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.longpolling.BotSession;
import org.telegram.telegrambots.longpolling.TelegramBotsLongPollingApplication;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.api.methods.GetMe;
import org.telegram.telegrambots.meta.api.methods.commands.SetMyCommands;
import org.telegram.telegrambots.meta.api.methods.updates.GetUpdates;
import org.telegram.telegrambots.meta.api.methods.updates.SetWebhook;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;

/**
 * The Telegram bot: updates arrive by long polling through TelegramBots or, with {@link TelegramSettings#webhook()},
 * as Telegram's webhook deliveries to the bot's own HTTP server; both go through one intake to the engine. Replies go
 * through the engine's {@link dev.nemobot.core.chat.ChatPlatform} port named "telegram".
 *
 * <p>{@link #start} checks the token ({@code getMe}), registers the command menu ({@code setMyCommands}, English and
 * Chinese), and returns once updates can arrive: polling runs (after {@code deleteWebhook}, which TelegramBots calls),
 * or the webhook server listens and, unless told not to, {@code setWebhook} has registered it. Several instances may
 * serve one webhook behind a load balancer: each registers the same URL and secret (idempotent), and none deletes the
 * webhook when it stops, since the others still serve it. The caller owns the bot and must {@link #close()} it: close
 * it after the engine, so that replies still in flight can go out. Thread-safe.
 *
 * <p>The bot token and the webhook secret are never logged or shown. Note that TelegramBots' own
 * {@code BotSession#toString} prints the token: this class never exposes that object.
 */
public final class TelegramBot implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TelegramBot.class);
    /** The kinds of update the intake handles: Telegram need not send others. */
    static final List<String> ALLOWED_UPDATES = List.of("message", "callback_query");

    private final Receiver receiver;
    private final ExecutorService sideTasks;
    private final OkHttpClient http;
    private final String username;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Albums albums;
    private final ScheduledExecutorService albumTimer;

    private TelegramBot(Receiver receiver, ExecutorService sideTasks, OkHttpClient http, String username,
                        Albums albums, ScheduledExecutorService albumTimer) {
        this.receiver = receiver;
        this.sideTasks = sideTasks;
        this.http = http;
        this.username = username;
        this.albums = albums;
        this.albumTimer = albumTimer;
    }

    /** How updates arrive; closing stops them at once. */
    private sealed interface Receiver {
        void stop();

        /** Takes no more updates (a webhook answers 503, so Telegram re-delivers elsewhere); stop() follows. */
        void drain();

        record Polling(TelegramBotsLongPollingApplication polling, ScheduledExecutorService pollThread,
                       PollGuard guard) implements Receiver {
            @Override
            public void stop() {
                // the held poll is cancelled next: that is no failure to report
                guard.stopping();
                try {
                    polling.close();
                } catch (Exception e) {
                    log.warn("telegram: stopping the poller failed: {}", e.getMessage());
                }
                pollThread.shutdownNow();
            }

            @Override
            public void drain() {
                stop();
            }
        }

        record Webhook(WebhookServer server) implements Receiver {
            @Override
            public void stop() {
                server.close();
            }

            @Override
            public void drain() {
                server.drain();
            }
        }
    }

    /**
     * Starts the bot against {@code settings.apiUrl()} and attaches it to {@code engine}.
     *
     * @throws IllegalArgumentException if {@code apiUrl} has a path (TelegramBots can only use scheme, host and port)
     * @throws IllegalStateException    if Telegram refuses the token or the webhook, cannot be reached, or the webhook
     *                                  address cannot be bound; nothing is left running
     */
    public static TelegramBot start(TelegramSettings settings, ChatEngine engine) {
        return start(settings, engine, ProxySettings.none());
    }

    /** As {@link #start(TelegramSettings, ChatEngine)}, with the Bot API and file downloads through {@code proxy}. */
    public static TelegramBot start(TelegramSettings settings, ChatEngine engine, ProxySettings proxy) {
        return start(settings, engine, Tuning.defaults(), proxy);
    }

    static TelegramBot start(TelegramSettings settings, ChatEngine engine, Tuning tuning) {
        return start(settings, engine, tuning, ProxySettings.none());
    }

    static TelegramBot start(TelegramSettings settings, ChatEngine engine, Tuning tuning, ProxySettings proxy) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(engine, "engine");
        URI api = settings.apiUrl();
        String path = api.getPath() == null ? "" : api.getPath();
        if (!path.isEmpty() && !path.equals("/")) {
            throw new IllegalArgumentException("TELEGRAM_API_URL must be scheme://host[:port] without a path, was " + api);
        }
        String scheme = api.getScheme() == null ? "https" : api.getScheme().toLowerCase(java.util.Locale.ROOT);
        int port = api.getPort() > 0 ? api.getPort() : scheme.equals("http") ? 80 : 443;
        TelegramUrl telegramUrl = new TelegramUrl(scheme, api.getHost(), port, false);
        HttpUrl base = new HttpUrl.Builder().scheme(scheme).host(api.getHost()).port(port).build();

        // asynchronous calls (none today) on virtual threads, not on OkHttp's unbounded pool of platform threads
        Dispatcher dispatcher = new Dispatcher(Executors.newVirtualThreadPerTaskExecutor());
        dispatcher.setMaxRequests(128);
        dispatcher.setMaxRequestsPerHost(64);
        // every call (the poller's, the files' too) uses this client or one built from it; HTTP/1.1 only before
        // Java 24 (Http2Support)
        OkHttpClient http = Http2Support.apply(ProxyRouting.apply(new OkHttpClient.Builder(), proxy))
                .dispatcher(dispatcher)
                // replies go out from thousands of virtual threads: OkHttp's fast fallback would open each new
                // connection on a platform thread of its unbounded pool ("OkHttp connect"); off, a call connects on
                // its own thread
                .fastFallback(false)
                .connectTimeout(Duration.ofSeconds(20))
                .readTimeout(Duration.ofSeconds(tuning.pollTimeoutSeconds() + 30L))
                .writeTimeout(Duration.ofSeconds(120))
                .build();
        String token = settings.botToken().reveal();
        // the Bot API calls' own client (same connections and dispatcher): answers that are not the Bot API's are
        // failed with their HTTP status and text (TelegramBots would end some in a NullPointerException)
        OkHttpClient apiHttp = http.newBuilder().addInterceptor(new BotApi.Answers()).build();
        OkHttpTelegramClient client = new OkHttpTelegramClient(apiHttp, token, telegramUrl);
        BotApi botApi = new BotApi(client,
                new OkHttpTelegramClient(uploadHttp(apiHttp, tuning.uploadTimeout()), token, telegramUrl), tuning);
        ExecutorService sideTasks = Executors.newVirtualThreadPerTaskExecutor();
        // albums are put together off the receiving threads: this one thread hands each on when its parts stopped coming
        ScheduledExecutorService albumTimer = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("telegram-albums").daemon(true).unstarted(r));
        Receiver receiver = null;
        try {
            User me = whoAmI(botApi, api);
            registerCommands(botApi);
            PollBackOff backOff = new PollBackOff();
            PollGuard guard = new PollGuard(http, new PollBackOff(), Duration.ofSeconds(tuning.pollTimeoutSeconds()),
                    Tuning.Sleeper.REAL, System::nanoTime);
            TelegramPlatform platform = new TelegramPlatform(botApi, settings.uploadLimitBytes(), tuning,
                    settings.webhook().isPresent() ? () -> true : guard::receiving);
            Inbox inbox = engine.attach(platform);
            TelegramFiles files = new TelegramFiles(botApi, http, base, settings.botToken(), !settings.publicApi(),
                    settings.localFilesDir());
            UpdateTranslator translator = new UpdateTranslator(me.getId(), me.getUserName(), files);
            Albums albums = new Albums(tuning.albums(), java.time.Clock.systemUTC(), (delay, task) ->
                    albumTimer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS), inbox::accept);
            UpdateConsumer consumer = new UpdateConsumer(translator, inbox, botApi, sideTasks, albums);
            if (settings.webhook().isPresent()) {
                TelegramSettings.Webhook hook = settings.webhook().get();
                WebhookServer server = listen(hook, consumer, tuning.webhookLimits());
                receiver = new Receiver.Webhook(server);
                if (hook.register()) {
                    setWebhook(botApi, hook);
                }
                log.info("telegram: @{} receives updates by webhook on {} (public host {}{})", me.getUserName(),
                        server.address(), hook.url().getHost(), hook.register() ? ", registered" : "");
            } else {
                ScheduledExecutorService pollThread = Executors.newSingleThreadScheduledExecutor(
                        r -> Thread.ofPlatform().name("telegram-poll").daemon(true).unstarted(r));
                // the poller's own client: the same connections and dispatcher, with getUpdates' failures, logging and
                // pacing in PollGuard (TelegramBots would log each failure as an ERROR with a stack trace)
                // (a dispatcher of its own, so that the stop's cancelAll leaves the poller's call to PollGuard)
                OkHttpClient pollHttp = http.newBuilder().dispatcher(new Dispatcher()).addInterceptor(guard).build();
                TelegramBotsLongPollingApplication polling = new TelegramBotsLongPollingApplication(
                        ObjectMapper::new, () -> pollHttp, () -> pollThread, () -> backOff);
                receiver = new Receiver.Polling(polling, pollThread, guard);
                // registerBot calls deleteWebhook first: a webhook left from an earlier run would refuse getUpdates
                BotSession session = polling.registerBot(token, () -> telegramUrl, last -> GetUpdates.builder()
                        .offset(last + 1).limit(100).timeout(tuning.pollTimeoutSeconds())
                        .allowedUpdates(ALLOWED_UPDATES).build(), consumer);
                // update ids that start over: PollGuard moves the poller's last id back (only this counter is kept:
                // the session's toString prints the token); an answer below the offset before this line is paced
                guard.rewindWith(session.getLastReceivedUpdate()::set);
                log.info("telegram: @{} is polling {}", me.getUserName(), base);
            }
            return new TelegramBot(receiver, sideTasks, http, me.getUserName(), albums, albumTimer);
        } catch (TelegramApiException e) {
            albumTimer.shutdownNow();
            shutdown(receiver, sideTasks, http);
            throw new IllegalStateException("Telegram: polling could not start: " + e.getMessage());
        } catch (RuntimeException e) {
            albumTimer.shutdownNow();
            shutdown(receiver, sideTasks, http);
            throw e;
        }
    }

    private static WebhookServer listen(TelegramSettings.Webhook hook, UpdateConsumer consumer,
                                        WebhookServer.Limits limits) {
        try {
            return WebhookServer.start(hook.listenHost(), hook.listenPort(), hook.path(), hook.secret(),
                    consumer::accept, limits, System::nanoTime);
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalStateException("Telegram: " + e.getMessage());
        }
    }

    /**
     * Registers the webhook. Any instance may, as often as it starts: the same URL, secret and update kinds each
     * time. Pending updates are kept (they are what the other instances, or this one, will be sent).
     */
    private static void setWebhook(BotApi api, TelegramSettings.Webhook hook) {
        SetWebhook.SetWebhookBuilder<?, ?> b = SetWebhook.builder()
                .url(hook.url().toString())
                .secretToken(hook.secret().reveal())
                .allowedUpdates(ALLOWED_UPDATES)
                .dropPendingUpdates(false);
        hook.maxConnections().ifPresent(b::maxConnections);
        try {
            api.setWebhook(b.build());
        } catch (BotApiException.Refused e) {
            throw new IllegalStateException("Telegram refused TELEGRAM_WEBHOOK_URL (setWebhook): " + e.getMessage());
        } catch (BotApiException e) {
            throw new IllegalStateException("Telegram: the webhook could not be registered: " + e.getMessage());
        }
    }

    /**
     * The client videos go up with, built from the Bot API calls' one. A server answers sendVideo only once it has
     * passed the video on (a self-hosted one re-uploads it whole), so the answer may take {@code answerTimeout}; a
     * failure after the body went out is never retried ({@link UploadGuard}), by OkHttp neither; a fresh connection
     * each time, so that a stale pooled one cannot pass for such a failure.
     */
    static OkHttpClient uploadHttp(OkHttpClient apiHttp, Duration answerTimeout) {
        return apiHttp.newBuilder()
                .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
                .retryOnConnectionFailure(false)
                .readTimeout(answerTimeout)
                .addInterceptor(new UploadGuard())
                .build();
    }

    private static User whoAmI(BotApi api, URI apiUrl) {
        try {
            return api.call(new GetMe());
        } catch (BotApiException.Refused e) {
            throw new IllegalStateException(e.code() == 401 || e.code() == 404
                    ? "Telegram refused the bot token: check TELEGRAM_BOT_TOKEN (BotFather gives it)"
                    : "Telegram refused getMe: " + e.getMessage());
        } catch (BotApiException.Unconfirmed e) {
            throw new IllegalStateException("Telegram's Bot API at " + apiUrl + " answered, but unreadably: "
                    + e.getMessage() + " (is TELEGRAM_API_URL a Bot API server?)");
        } catch (BotApiException.Unavailable e) {
            throw new IllegalStateException(e.answered()
                    ? "Telegram's Bot API at " + apiUrl + " answered, but unreadably: " + e.getMessage()
                    + " (is TELEGRAM_API_URL a Bot API server?)"
                    : "Telegram's Bot API at " + apiUrl + " is not reachable: " + e.getMessage());
        } catch (BotApiException e) {
            throw new IllegalStateException("Telegram's Bot API at " + apiUrl + " is not reachable: " + e.getMessage());
        }
    }

    /**
     * The command menu: English for everyone, then one per other language the bot speaks, for the users whose
     * Telegram is set to it. A failure here costs only the menu, so it is logged and start goes on.
     */
    private static void registerCommands(BotApi api) {
        try {
            api.call(SetMyCommands.builder().commands(TelegramTexts.commands(Lang.EN)).build());
            for (Lang lang : Lang.values()) {
                // Telegram chooses a menu by a two-letter code: Traditional Chinese users see the "zh" one
                if (lang != Lang.EN && lang.tag().equals(lang.language())) {
                    api.call(SetMyCommands.builder().commands(TelegramTexts.commands(lang)).languageCode(lang.language())
                            .build());
                }
            }
        } catch (BotApiException e) {
            log.warn("telegram: the command menu was not registered: {}", e.getMessage());
        }
    }

    /** The bot's username, as Telegram reported it at start. */
    public String username() {
        return username;
    }

    /**
     * The address the webhook server listens on, with the port actually bound (useful when
     * {@code TELEGRAM_WEBHOOK_LISTEN} asked for port 0); empty when the bot polls.
     */
    public Optional<InetSocketAddress> webhookAddress() {
        return receiver instanceof Receiver.Webhook w ? Optional.of(w.server().address()) : Optional.empty();
    }

    /**
     * Takes no more updates, at the start of a shutdown, before the engine stops: polling ends, and the webhook server
     * answers every further delivery 503, so that Telegram re-delivers it (to another instance behind the proxy, or to
     * this one after its restart) instead of it being answered 200 and dropped by a stopping engine. Replies still go
     * out until {@link #close()}. Idempotent.
     */
    public void stopReceiving() {
        if (!closed.get()) {
            receiver.drain();
            albums.flushAll(); // albums still being put together go to the engine now, before it stops
        }
    }

    /**
     * Stops receiving at once (polling ends; the webhook server stops listening, without deleting the webhook that
     * other instances may still serve) and releases threads and connections. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            albumTimer.shutdownNow();
            shutdown(receiver, sideTasks, http);
            log.info("telegram: stopped");
        }
    }

    private static void shutdown(Receiver receiver, ExecutorService sideTasks, OkHttpClient http) {
        if (receiver != null) {
            receiver.stop();
        }
        // the poller's long poll is a synchronous call: cancelling it ends the wait at once
        http.dispatcher().cancelAll();
        sideTasks.shutdown();
        try {
            boolean pollStopped = !(receiver instanceof Receiver.Polling p)
                    || p.pollThread().awaitTermination(5, TimeUnit.SECONDS);
            if (!pollStopped || !sideTasks.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("telegram: some threads did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
