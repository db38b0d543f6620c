package dev.nemobot.discord;

import java.io.IOException;
import net.dv8tion.jda.api.utils.data.DataObject;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks Discord whether the application has the privileged Message Content intent switched on in the developer
 * portal ({@code GET applications/@me}, flags GATEWAY_MESSAGE_CONTENT or its "limited" variant). Asking for the
 * intent without it makes Discord close the gateway (4014), so the bot only asks when the portal allows it.
 */
final class MessageContentProbe {
    static final long GATEWAY_MESSAGE_CONTENT = 1L << 18;
    static final long GATEWAY_MESSAGE_CONTENT_LIMITED = 1L << 19;

    private static final Logger log = LoggerFactory.getLogger(MessageContentProbe.class);

    private MessageContentProbe() {
    }

    /** True when the portal allows the intent; false when it does not or the question fails (the safe answer). */
    static boolean enabled(OkHttpClient http, String restBase, String botToken) {
        Request request = new Request.Builder()
                .url(restBase + "applications/@me")
                .header("Authorization", "Bot " + botToken)
                .get()
                .build();
        try (Response response = http.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                log.warn("could not read the application's flags (HTTP {}); the Message Content intent stays off", response.code());
                return false;
            }
            long flags = DataObject.fromJson(response.body().byteStream()).getLong("flags", 0);
            return (flags & (GATEWAY_MESSAGE_CONTENT | GATEWAY_MESSAGE_CONTENT_LIMITED)) != 0;
        } catch (IOException | RuntimeException e) {
            log.warn("could not read the application's flags ({}); the Message Content intent stays off", e.getClass().getSimpleName());
            return false;
        }
    }
}
