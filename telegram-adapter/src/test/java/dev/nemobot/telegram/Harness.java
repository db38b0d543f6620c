package dev.nemobot.telegram;

import dev.nemobot.config.Secret;
import dev.nemobot.config.TelegramSettings;
import dev.nemobot.core.chat.ChatEngine;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The real bot, started against a {@link FakeBotApi}, with short timings; closes both in the right order. */
final class Harness implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration EDIT_INTERVAL = Duration.ofMillis(200);

    final FakeBotApi api;
    final TelegramBot bot;
    private final List<Duration> sleeps = new ArrayList<>();

    private Harness(FakeBotApi api, ChatEngine engine, long uploadLimit) {
        this.api = api;
        TelegramSettings settings = new TelegramSettings(Secret.of(FakeBotApi.TOKEN), URI.create(api.url()), uploadLimit);
        this.bot = TelegramBot.start(settings, engine, tuning());
    }

    static Harness start(ChatEngine engine, long uploadLimit) {
        FakeBotApi api = new FakeBotApi();
        try {
            return new Harness(api, engine, uploadLimit);
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
    }

    /** Short timings; every wait the adapter makes is recorded (and really waited). */
    Tuning tuning() {
        return new Tuning(1, EDIT_INTERVAL, Duration.ofSeconds(5), 3, Duration.ofMillis(10), d -> {
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

    @Override
    public void close() {
        try {
            bot.close();
        } finally {
            api.close();
        }
    }
}
