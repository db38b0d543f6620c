package dev.nemobot.telegram;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nemobot.config.TelegramSettings;
import dev.nemobot.core.chat.ChatEngine;
import dev.nemobot.core.chat.Inbox;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.longpolling.TelegramBotsLongPollingApplication;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.api.methods.GetMe;
import org.telegram.telegrambots.meta.api.methods.commands.SetMyCommands;
import org.telegram.telegrambots.meta.api.methods.updates.GetUpdates;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;

/**
 * The Telegram bot: long polling through TelegramBots, messages handed to the engine, replies through the engine's
 * {@link dev.nemobot.core.chat.ChatPlatform} port named "telegram".
 *
 * <p>{@link #start} checks the token ({@code getMe}), registers the command menu ({@code setMyCommands}, English and
 * Chinese), and returns once polling runs. The caller owns the bot and must {@link #close()} it: close it after the
 * engine, so that replies still in flight can go out. Thread-safe.
 *
 * <p>The bot token is never logged or shown. Note that TelegramBots' own {@code BotSession#toString} prints it: this
 * class never exposes that object.
 */
public final class TelegramBot implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TelegramBot.class);
    private static final List<String> ALLOWED_UPDATES = List.of("message", "callback_query");

    private final TelegramBotsLongPollingApplication polling;
    private final ScheduledExecutorService pollThread;
    private final ExecutorService sideTasks;
    private final OkHttpClient http;
    private final String username;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TelegramBot(TelegramBotsLongPollingApplication polling, ScheduledExecutorService pollThread,
                        ExecutorService sideTasks, OkHttpClient http, String username) {
        this.polling = polling;
        this.pollThread = pollThread;
        this.sideTasks = sideTasks;
        this.http = http;
        this.username = username;
    }

    /**
     * Starts the bot against {@code settings.apiUrl()} and attaches it to {@code engine}.
     *
     * @throws IllegalArgumentException if {@code apiUrl} has a path (TelegramBots can only use scheme, host and port)
     * @throws IllegalStateException    if Telegram refuses the token or cannot be reached; nothing is left running
     */
    public static TelegramBot start(TelegramSettings settings, ChatEngine engine) {
        return start(settings, engine, Tuning.defaults());
    }

    static TelegramBot start(TelegramSettings settings, ChatEngine engine, Tuning tuning) {
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

        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(128);
        dispatcher.setMaxRequestsPerHost(64);
        OkHttpClient http = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectTimeout(Duration.ofSeconds(20))
                .readTimeout(Duration.ofSeconds(tuning.pollTimeoutSeconds() + 30L))
                .writeTimeout(Duration.ofSeconds(120))
                .build();
        String token = settings.botToken().reveal();
        OkHttpTelegramClient client = new OkHttpTelegramClient(http, token, telegramUrl);
        BotApi botApi = new BotApi(client, tuning);
        ScheduledExecutorService pollThread = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("telegram-poll").daemon(true).unstarted(r));
        ExecutorService sideTasks = Executors.newVirtualThreadPerTaskExecutor();
        TelegramBotsLongPollingApplication polling = new TelegramBotsLongPollingApplication(
                ObjectMapper::new, () -> http, () -> pollThread, PollBackOff::new);
        try {
            User me = whoAmI(botApi, api);
            registerCommands(botApi);
            TelegramPlatform platform = new TelegramPlatform(botApi, settings.uploadLimitBytes(), tuning);
            Inbox inbox = engine.attach(platform);
            TelegramFiles files = new TelegramFiles(botApi, http, base, settings.botToken(), !settings.publicApi());
            UpdateTranslator translator = new UpdateTranslator(me.getId(), me.getUserName(), files);
            UpdateConsumer consumer = new UpdateConsumer(translator, inbox, botApi, sideTasks);
            polling.registerBot(token, () -> telegramUrl, last -> GetUpdates.builder()
                    .offset(last + 1).limit(100).timeout(tuning.pollTimeoutSeconds())
                    .allowedUpdates(ALLOWED_UPDATES).build(), consumer);
            log.info("telegram: @{} is polling {}", me.getUserName(), base);
            return new TelegramBot(polling, pollThread, sideTasks, http, me.getUserName());
        } catch (TelegramApiException e) {
            shutdown(polling, pollThread, sideTasks, http);
            throw new IllegalStateException("Telegram: polling could not start: " + e.getMessage());
        } catch (RuntimeException e) {
            shutdown(polling, pollThread, sideTasks, http);
            throw e;
        }
    }

    private static User whoAmI(BotApi api, URI apiUrl) {
        try {
            return api.call(new GetMe());
        } catch (BotApiException.Refused e) {
            throw new IllegalStateException(e.code() == 401 || e.code() == 404
                    ? "Telegram refused the bot token: check TELEGRAM_BOT_TOKEN (BotFather gives it)"
                    : "Telegram refused getMe: " + e.getMessage());
        } catch (BotApiException e) {
            throw new IllegalStateException("Telegram's Bot API at " + apiUrl + " is not reachable: " + e.getMessage());
        }
    }

    /** The command menu; a failure here costs only the menu, so it is logged and start goes on. */
    private static void registerCommands(BotApi api) {
        try {
            api.call(SetMyCommands.builder().commands(Texts.commands(false)).build());
            api.call(SetMyCommands.builder().commands(Texts.commands(true)).languageCode("zh").build());
        } catch (BotApiException e) {
            log.warn("telegram: the command menu was not registered: {}", e.getMessage());
        }
    }

    /** The bot's username, as Telegram reported it at start. */
    public String username() {
        return username;
    }

    /** Stops polling at once and releases threads and connections. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            shutdown(polling, pollThread, sideTasks, http);
            log.info("telegram: stopped");
        }
    }

    private static void shutdown(TelegramBotsLongPollingApplication polling, ScheduledExecutorService pollThread,
                                 ExecutorService sideTasks, OkHttpClient http) {
        try {
            polling.close();
        } catch (Exception e) {
            log.warn("telegram: stopping the poller failed: {}", e.getMessage());
        }
        pollThread.shutdownNow();
        // the poller's long poll is a synchronous call: cancelling it ends the wait at once
        http.dispatcher().cancelAll();
        sideTasks.shutdown();
        try {
            if (!pollThread.awaitTermination(5, TimeUnit.SECONDS) || !sideTasks.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("telegram: some threads did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
