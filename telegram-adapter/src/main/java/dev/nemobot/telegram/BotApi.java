package dev.nemobot.telegram;

import java.io.Serializable;
import java.time.Duration;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.meta.api.methods.botapimethods.BotApiMethod;
import org.telegram.telegrambots.meta.api.methods.send.SendVideo;
import org.telegram.telegrambots.meta.api.methods.updates.SetWebhook;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bot API calls through TelegramBots' client, with Telegram's flood limits waited out: a 429 answer's
 * {@code retry_after} is slept on the calling thread (the engine's virtual thread), as long as the total stays under
 * {@link Tuning#floodWaitCap()}. Every failure becomes a {@link BotApiException}. Thread-safe.
 */
final class BotApi {
    private static final Logger log = LoggerFactory.getLogger(BotApi.class);

    private final OkHttpTelegramClient client;
    private final Tuning tuning;

    BotApi(OkHttpTelegramClient client, Tuning tuning) {
        this.client = client;
        this.tuning = tuning;
    }

    /** Calls {@code method}, waiting out flood limits. */
    <T extends Serializable> T call(BotApiMethod<T> method) {
        return withFloodWait(method.getMethod(), () -> client.execute(method));
    }

    /** Calls {@code method} once: for cosmetic calls (chat actions) a flood limit is not worth waiting for. */
    <T extends Serializable> T callOnce(BotApiMethod<T> method) {
        try {
            return client.execute(method);
        } catch (TelegramApiException e) {
            throw translate(method.getMethod(), e);
        }
    }

    /** Uploads a video (multipart), waiting out flood limits. */
    Message sendVideo(SendVideo video) {
        return withFloodWait(video.getMethod(), () -> client.execute(video));
    }

    /** Registers a webhook (the client sends it as multipart, for an optional certificate), waiting out flood limits. */
    void setWebhook(SetWebhook hook) {
        withFloodWait(hook.getMethod(), () -> client.execute(hook));
    }

    private interface ApiCall<T> {
        T run() throws TelegramApiException;
    }

    private <T> T withFloodWait(String method, ApiCall<T> call) {
        Duration waited = Duration.ZERO;
        while (true) {
            try {
                return call.run();
            } catch (TelegramApiException e) {
                int retryAfter = retryAfter(e);
                if (retryAfter < 0) {
                    throw translate(method, e);
                }
                Duration wait = Duration.ofSeconds(Math.max(1, retryAfter));
                if (waited.plus(wait).compareTo(tuning.floodWaitCap()) > 0) {
                    throw new BotApiException.FloodWait(method, retryAfter);
                }
                log.info("telegram: flood limit on {}, waiting {} s", method, wait.toSeconds());
                sleep(method, wait);
                waited = waited.plus(wait);
            }
        }
    }

    void sleep(String method, Duration wait) {
        try {
            tuning.sleeper().sleep(wait);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new BotApiException.Unavailable(method, "interrupted while waiting", ie);
        }
    }

    /** Seconds to wait for a 429, or -1 when it is not a flood limit. */
    private static int retryAfter(TelegramApiException e) {
        if (e instanceof TelegramApiRequestException r && r.getErrorCode() != null && r.getErrorCode() == 429) {
            Integer after = r.getParameters() == null ? null : r.getParameters().getRetryAfter();
            return after == null ? 1 : after;
        }
        return -1;
    }

    static BotApiException translate(String method, TelegramApiException e) {
        if (e.getCause() instanceof InterruptedException) {
            // the client's blocking wait swallowed the interrupt: keep it for the engine's cancellation
            Thread.currentThread().interrupt();
        }
        if (e instanceof TelegramApiRequestException r && r.getErrorCode() != null && r.getErrorCode() >= 400
                && r.getErrorCode() < 500) {
            return new BotApiException.Refused(method, r.getErrorCode(), r.getApiResponse());
        }
        if (e instanceof TelegramApiRequestException r && r.getErrorCode() != null && r.getErrorCode() >= 500) {
            return new BotApiException.Unavailable(method, "server error " + r.getErrorCode(), null);
        }
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof com.fasterxml.jackson.core.JacksonException j) {
            // the server was reached and answered, but not as the Bot API does (a proxy's error page, say)
            com.fasterxml.jackson.core.JsonLocation at = j.getLocation();
            return new BotApiException.Unavailable(method, "the answer is not a Bot API answer ("
                    + j.getClass().getSimpleName()
                    + (at == null || at.getLineNr() < 0 ? "" : " at line " + at.getLineNr() + ", column "
                    + at.getColumnNr()) + ")", e, true);
        }
        return new BotApiException.Unavailable(method, cause.getClass().getSimpleName(), e);
    }
}
