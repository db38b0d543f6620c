package dev.nemobot.telegram;

import dev.nemobot.core.net.ProxyRefused;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
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
    private final OkHttpTelegramClient uploads;
    private final Tuning tuning;

    BotApi(OkHttpTelegramClient client, Tuning tuning) {
        this(client, client, tuning);
    }

    /** {@code uploads}: the client for {@link #sendVideo} (see {@link UploadGuard}). */
    BotApi(OkHttpTelegramClient client, OkHttpTelegramClient uploads, Tuning tuning) {
        this.client = client;
        this.uploads = uploads;
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

    /**
     * Uploads a video (multipart), waiting out flood limits (a 429 answer means it was not taken). A failure after the
     * body went out is an {@link BotApiException.Unavailable#afterSending()} one: the server may have the video.
     */
    Message sendVideo(SendVideo video) {
        return withFloodWait(video.getMethod(), () -> uploads.execute(video));
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
            // answered after the whole request arrived: the server may have acted on it before it failed
            return new BotApiException.Unavailable(method, "server error [" + r.getErrorCode() + "] "
                    + r.getApiResponse(), null, false, true);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Answers.NotBotApi n) {
                // the server was reached and answered, but not as the Bot API does (a proxy's error page, say)
                return new BotApiException.Unavailable(method, n.getMessage() + ", not a Bot API answer", null, true);
            }
        }
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof com.fasterxml.jackson.core.JacksonException j) {
            // Answers lets through only Bot API answers, and makes every error answer readable: one that TelegramBots
            // cannot read said "ok": true, with a result it cannot read. The call took effect.
            com.fasterxml.jackson.core.JsonLocation at = j.getLocation();
            return new BotApiException.Unconfirmed(method, j.getClass().getSimpleName()
                    + (at == null || at.getLineNr() < 0 ? "" : " at line " + at.getLineNr() + ", column "
                    + at.getColumnNr()), e);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UploadGuard.AfterSending sent) {
                return new BotApiException.Unavailable(method, sent.getMessage(), e, false, true);
            }
        }
        if (cause instanceof ProxyRefused refused) {
            return new BotApiException.Unavailable(method, refused.getMessage(), e); // names no URL: safe to show
        }
        return new BotApiException.Unavailable(method, cause.getClass().getSimpleName(), e);
    }

    /**
     * An OkHttp interceptor on the Bot API client (not on getUpdates, which {@link PollGuard} reads, nor on file
     * downloads): TelegramBots reads an answer that is not the Bot API's JSON badly (a body without {@code "ok"} ends
     * in a NullPointerException, and the HTTP status is never kept). Here an answer that is not a Bot API answer
     * fails the call with its HTTP status and what the server said ({@link NotBotApi}); an error answer without an
     * {@code error_code} or a {@code description} gets them (the HTTP status, and "no description"); a successful
     * answer goes through as it came. Server texts are cut short, stripped of control characters and of the bot
     * token (a proxy's page may quote the URL). Thread-safe.
     */
    static final class Answers implements Interceptor {
        private static final int MAX_TEXT = 200;
        private static final Pattern TITLE = Pattern.compile("<title[^>]*>(.*?)</title>",
                Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
        private static final Pattern H1 = Pattern.compile("<h1[^>]*>(.*?)</h1>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
        private static final Pattern TAG = Pattern.compile("<[^>]*>");
        private static final MediaType JSON = MediaType.get("application/json");

        private final ObjectMapper json = new ObjectMapper();

        /** The answer was not a Bot API answer: its message says "HTTP status: what the server said". */
        static final class NotBotApi extends IOException {
            NotBotApi(String message) {
                super(message);
            }
        }

        @Override
        public Response intercept(Chain chain) throws IOException {
            Request request = chain.request();
            List<String> segments = request.url().pathSegments();
            if (segments.size() != 2 || !segments.getFirst().startsWith("bot")) {
                return chain.proceed(request);
            }
            Response response = chain.proceed(request);
            String body;
            try (ResponseBody raw = response.body()) {
                body = raw.string();
            }
            int status = response.code();
            JsonNode node = botApiAnswer(json, body);
            if (node == null) {
                throw new NotBotApi("HTTP " + status + ": " + said(json, body, request));
            }
            if (!node.get("ok").asBoolean() && !(node.path("error_code").isInt()
                    && node.path("description").isTextual())) {
                ObjectNode fixed = (ObjectNode) node;
                if (!fixed.path("error_code").isInt()) {
                    fixed.put("error_code", status);
                }
                String description = clean(fieldText(node), request);
                fixed.put("description", description.isEmpty() ? "no description" : description);
                body = fixed.toString();
            }
            return response.newBuilder().body(ResponseBody.create(body, JSON)).build();
        }

        /** {@code body} read as a Bot API answer (a JSON object with a boolean "ok"), or null when it is not one. */
        static JsonNode botApiAnswer(ObjectMapper json, String body) {
            try {
                JsonNode node = json.readTree(body);
                return node != null && node.isObject() && node.path("ok").isBoolean() ? node : null;
            } catch (JacksonException e) {
                return null;
            }
        }

        /** What a server said in an answer that is not the usual one: short, one line, without the bot token. */
        static String said(ObjectMapper json, String body, Request request) {
            JsonNode node;
            try {
                node = json.readTree(body);
            } catch (JacksonException e) {
                node = null;
            }
            String text = node != null && node.isObject() ? fieldText(node) : "";
            if (text.isEmpty()) {
                Matcher m = TITLE.matcher(body);
                Matcher h1 = H1.matcher(body);
                text = m.find() ? m.group(1) : h1.find() ? h1.group(1)
                        : body.strip().lines().findFirst().orElse("");
                text = TAG.matcher(text).replaceAll(" ");
            }
            text = clean(text, request);
            if (text.isEmpty()) {
                return body.isEmpty() ? "an empty body" : "a body of " + body.length() + " characters";
            }
            return text;
        }

        /** The text of the first of the usual error fields a JSON answer has, or "". */
        private static String fieldText(JsonNode node) {
            for (String field : List.of("description", "message", "error", "detail", "title")) {
                JsonNode v = node.path(field);
                if (v.isTextual() && !v.asText().isBlank()) {
                    return v.asText();
                }
                if (v.path("message").isTextual()) {
                    return v.path("message").asText();
                }
            }
            return "";
        }

        /** One short line, without control characters or the bot token. */
        private static String clean(String text, Request request) {
            String token = token(request);
            if (!token.isEmpty()) {
                text = text.replace(token, "<token>");
            }
            text = text.replaceAll("\\p{Cntrl}", " ").replaceAll("\\s+", " ").strip();
            return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "…" : text;
        }

        private static String token(Request request) {
            for (String segment : request.url().pathSegments()) {
                if (segment.startsWith("bot") && segment.length() > 3) {
                    return segment.substring(3);
                }
            }
            return "";
        }
    }
}
