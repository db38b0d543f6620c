package dev.nemobot.telegram;

import dev.nemobot.config.Secret;
import dev.nemobot.config.TelegramSettings;
import dev.nemobot.core.chat.ChatEngine;
import dev.nemobot.core.testing.EngineFixture;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** The real bot, started against a {@link FakeBotApi}, with short timings; closes both in the right order. */
final class Harness implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration EDIT_INTERVAL = Duration.ofMillis(200);
    /** The public address a webhook-mode bot registers; the fake's deliveries go to {@link #webhookEndpoint()}. */
    static final URI PUBLIC_WEBHOOK = URI.create("https://bot.example.com/telegram/hook-7f3a");
    static final String WEBHOOK_SECRET = "webhook_Secret-for-tests_0123456789";

    final FakeBotApi api;
    final TelegramBot bot;
    /** False when the fake is shared with another bot (two instances): whoever made it closes it. */
    private boolean ownsApi = true;
    private final List<Duration> sleeps = new ArrayList<>();

    private Harness(FakeBotApi api, ChatEngine engine, long uploadLimit, Optional<TelegramSettings.Webhook> webhook) {
        this(api, engine, uploadLimit, webhook, Optional.empty(), WebhookServer.Limits.DEFAULT, EDIT_INTERVAL);
    }

    private Harness(FakeBotApi api, ChatEngine engine, long uploadLimit, Optional<TelegramSettings.Webhook> webhook,
                    Duration editInterval) {
        this(api, engine, uploadLimit, webhook, Optional.empty(), WebhookServer.Limits.DEFAULT, editInterval);
    }

    private Harness(FakeBotApi api, ChatEngine engine, long uploadLimit, Optional<TelegramSettings.Webhook> webhook,
                    Optional<java.nio.file.Path> localFilesDir, WebhookServer.Limits webhookLimits,
                    Duration editInterval) {
        this(api, engine, uploadLimit, webhook, localFilesDir, webhookLimits, editInterval,
                Tuning.DEFAULT_UPLOAD_TIMEOUT);
    }

    private Harness(FakeBotApi api, ChatEngine engine, long uploadLimit, Optional<TelegramSettings.Webhook> webhook,
                    Optional<java.nio.file.Path> localFilesDir, WebhookServer.Limits webhookLimits,
                    Duration editInterval, Duration uploadTimeout) {
        this.api = api;
        TelegramSettings settings = new TelegramSettings(Secret.of(FakeBotApi.TOKEN), URI.create(api.url()), uploadLimit,
                webhook, localFilesDir);
        this.bot = TelegramBot.start(settings, engine, tuning(editInterval).withWebhookLimits(webhookLimits)
                .withUploadTimeout(uploadTimeout));
    }

    /** A polling bot whose uploads wait {@code uploadTimeout} for the server's answer. */
    static Harness withUploadTimeout(ChatEngine engine, long uploadLimit, Duration uploadTimeout) {
        FakeBotApi api = new FakeBotApi();
        try {
            return new Harness(api, engine, uploadLimit, Optional.empty(), Optional.empty(),
                    WebhookServer.Limits.DEFAULT, EDIT_INTERVAL, uploadTimeout);
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
    }

    /** A polling bot whose (self-hosted, --local) server keeps its files in {@code localFilesDir}, when given. */
    static Harness selfHostedLocal(ChatEngine engine, long uploadLimit, Optional<java.nio.file.Path> localFilesDir) {
        FakeBotApi api = new FakeBotApi();
        try {
            return new Harness(api, engine, uploadLimit, Optional.empty(), localFilesDir, WebhookServer.Limits.DEFAULT,
                    EDIT_INTERVAL);
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
    }

    /** A polling bot. */
    static Harness start(ChatEngine engine, long uploadLimit) {
        return start(engine, uploadLimit, Optional.empty());
    }

    /**
     * A webhook bot listening on a free port of 127.0.0.1, registering {@link #PUBLIC_WEBHOOK} with
     * {@link #WEBHOOK_SECRET} when {@code register}; the fake delivers its updates to the bot's server.
     */
    static Harness webhook(ChatEngine engine, long uploadLimit, boolean register) {
        Harness h = start(engine, uploadLimit, Optional.of(new TelegramSettings.Webhook(PUBLIC_WEBHOOK,
                Secret.of(WEBHOOK_SECRET), "127.0.0.1", 0, register, OptionalInt.empty())));
        h.api.pushTo(h.webhookEndpoint());
        return h;
    }

    /** A webhook bot as {@link #webhook}, registering, its server bounded by {@code limits}. */
    static Harness webhook(ChatEngine engine, long uploadLimit, WebhookServer.Limits limits) {
        FakeBotApi api = new FakeBotApi();
        Harness h;
        try {
            h = new Harness(api, engine, uploadLimit, Optional.of(new TelegramSettings.Webhook(PUBLIC_WEBHOOK,
                    Secret.of(WEBHOOK_SECRET), "127.0.0.1", 0, true, OptionalInt.empty())), Optional.empty(), limits, EDIT_INTERVAL);
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
        h.api.pushTo(h.webhookEndpoint());
        return h;
    }

    /**
     * A webhook bot on {@code shared}, a fake that another bot uses too (two instances behind one bot token); the
     * fake delivers nothing by itself: the test posts each update to the instance(s) it chooses.
     */
    static Harness webhookOn(FakeBotApi shared, ChatEngine engine, long uploadLimit) {
        Harness h = new Harness(shared, engine, uploadLimit, Optional.of(new TelegramSettings.Webhook(PUBLIC_WEBHOOK,
                Secret.of(WEBHOOK_SECRET), "127.0.0.1", 0, true, OptionalInt.empty())));
        h.ownsApi = false;
        return h;
    }

    /** A polling bot against {@code shared}, which the harness leaves open (another bot, or the next, uses it). */
    static Harness pollingOn(FakeBotApi shared, ChatEngine engine, long uploadLimit) {
        Harness h = new Harness(shared, engine, uploadLimit, Optional.empty());
        h.ownsApi = false;
        return h;
    }

    /** A polling bot against {@code api} with its chats' budgets set by {@code editInterval} (see Tuning). */
    static Harness start(FakeBotApi api, ChatEngine engine, long uploadLimit, Duration editInterval) {
        try {
            return new Harness(api, engine, uploadLimit, Optional.empty(), editInterval);
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
    }

    /** A polling bot against {@code api}, which the harness then closes. */
    static Harness start(FakeBotApi api, ChatEngine engine, long uploadLimit) {
        try {
            return new Harness(api, engine, uploadLimit, Optional.empty());
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
    }

    private static Harness start(ChatEngine engine, long uploadLimit, Optional<TelegramSettings.Webhook> webhook) {
        FakeBotApi api = new FakeBotApi();
        try {
            return new Harness(api, engine, uploadLimit, webhook);
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
    }

    /** Where the bot's webhook server takes deliveries: its bound port and the public URL's path. */
    URI webhookEndpoint() {
        int port = bot.webhookAddress().orElseThrow().getPort();
        return URI.create("http://127.0.0.1:" + port + PUBLIC_WEBHOOK.getRawPath());
    }

    /** Short timings; every wait the adapter makes is recorded (and really waited). */
    Tuning tuning(Duration editInterval) {
        return new Tuning(1, editInterval, Duration.ofSeconds(5), 3, Duration.ofMillis(10), d -> {
            synchronized (sleeps) {
                sleeps.add(d);
            }
            Thread.sleep(d);
        });
    }

    List<Duration> sleeps() {
        synchronized (sleeps) {
            return List.copyOf(sleeps);
        }
    }

    /**
     * Stops a bot that runs on a real engine, in the right order: waits until the engine is idle, closes the bot, then
     * the engine's fixture. Either may be null (not started).
     */
    static void close(Harness h, EngineFixture fixture, Duration wait) {
        try {
            if (fixture != null) {
                fixture.engine().awaitIdle(wait);
            }
            if (h != null) {
                h.close();
            }
        } finally {
            if (fixture != null) {
                fixture.close();
            }
        }
    }

    @Override
    public void close() {
        try {
            bot.close();
        } finally {
            if (ownsApi) {
                api.close();
            }
        }
    }
}
