package dev.nemobot.core.net;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the bot's OkHttp clients may speak HTTP/2 on this Java (every client: the NemoVideo API's, the Telegram Bot
 * API's, Discord's). OkHttp's HTTP/2 calls wait for their answer in {@code Object.wait()}
 * ({@code Http2Stream.waitForIo}), and before Java 24 (JEP 491) a virtual thread waiting so holds its carrier
 * thread: the scheduler adds carriers up to 256, and past that nothing else on a virtual thread runs until a wait
 * ends. A turn streaming its answer waits minutes, so on Java 21–23 the clients offer HTTP/1.1 only, whose waits are
 * socket reads that release the carrier. On Java 24 and later OkHttp's own choice stands: HTTP/2 where the server
 * offers it (over TLS), else HTTP/1.1.
 */
public final class Http2Support {
    private static final Logger log = LoggerFactory.getLogger(Http2Support.class);
    private static final AtomicBoolean told = new AtomicBoolean();

    private Http2Support() {
    }

    /** The protocols the clients offer on Java {@code javaFeature}, or null for OkHttp's own (HTTP/2 and 1.1). */
    public static List<Protocol> protocols(int javaFeature) {
        return javaFeature < 24 ? List.of(Protocol.HTTP_1_1) : null;
    }

    /** {@code builder}, offering HTTP/1.1 only before Java 24 (said once in the log). */
    public static OkHttpClient.Builder apply(OkHttpClient.Builder builder) {
        return apply(builder, Runtime.version().feature());
    }

    /** {@code builder} as on Java {@code javaFeature}. */
    public static OkHttpClient.Builder apply(OkHttpClient.Builder builder, int javaFeature) {
        Objects.requireNonNull(builder, "builder");
        List<Protocol> protocols = protocols(javaFeature);
        if (protocols == null) {
            return builder;
        }
        if (told.compareAndSet(false, true)) {
            log.info("Java {}: HTTP/1.1 only to the backend and the chat platforms; HTTP/2 needs Java 24 or newer "
                    + "(before it each waiting call would hold a carrier thread of the virtual threads)", javaFeature);
        }
        return builder.protocols(protocols);
    }
}
