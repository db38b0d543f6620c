package dev.nemobot.core.conversation;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.MDC;

/**
 * Who the log lines of a piece of work are about, in the logging context (SLF4J's MDC) of the thread doing it:
 * {@code platform} (e.g. "telegram") and {@code user}, a short keyed hash of the user's key. The user's id itself
 * never reaches a log line; the hash is keyed with a random per-process key, so it cannot be reversed by hashing
 * every possible id, and it is stable for the life of the process, so one user's lines can be followed. A text log
 * shows them as {@code [platform=telegram, user=3f9a1c2e07]}, a JSON log under {@code mdc}.
 *
 * <p>Open it where the work starts on its thread, close it where it ends (try-with-resources): the values the thread
 * had before are put back. Not to be shared between threads.
 */
public final class LogContext implements AutoCloseable {
    static final String PLATFORM = "platform";
    static final String USER = "user";
    private static final String HMAC = "HmacSHA256";
    private static final SecretKeySpec KEY;
    /**
     * The provider of the HMAC, looked up once: {@code Mac.getInstance(name)} walks the provider list on every call,
     * and {@code init} chooses a provider again (most of a pseudonym's CPU time; issue 24).
     */
    private static final Provider PROVIDER;

    static {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        KEY = new SecretKeySpec(k, HMAC);
        try {
            PROVIDER = Mac.getInstance(HMAC).getProvider();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private final String previousPlatform;
    private final String previousUser;

    private LogContext(String platform, String userKey) {
        this.previousPlatform = MDC.get(PLATFORM);
        this.previousUser = MDC.get(USER);
        MDC.put(PLATFORM, platform);
        MDC.put(USER, pseudonym(userKey));
    }

    /** Puts {@code platform} and the pseudonym of {@code userKey} in this thread's logging context. */
    static LogContext of(String platform, String userKey) {
        return new LogContext(Objects.requireNonNull(platform, "platform"), Objects.requireNonNull(userKey, "userKey"));
    }

    /** The context of whoever {@code to} talks to. */
    public static LogContext of(Replier to) {
        return of(to.platform().name(), to.user().key());
    }

    /** Ten hex digits of HMAC-SHA256({@code userKey}) under this process's key. */
    static String pseudonym(String userKey) {
        try {
            Mac mac = Mac.getInstance(HMAC, PROVIDER);
            mac.init(KEY);
            byte[] h = mac.doFinal(userKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 5);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public void close() {
        restore(PLATFORM, previousPlatform);
        restore(USER, previousUser);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
