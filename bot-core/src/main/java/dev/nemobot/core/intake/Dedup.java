package dev.nemobot.core.intake;

import dev.nemobot.core.chat.kit.RecentIds;
import dev.nemobot.core.store.HandledMessages;
import dev.nemobot.core.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each platform message handled once, though platforms redeliver: a memory of the ids handled here, checked on the
 * platform's thread (a fast path only), and the claim in the shared store, which decides (made on a virtual thread
 * before any work). What was handled before a restart stays handled. Thread-safe.
 */
final class Dedup {
    private static final Logger log = LoggerFactory.getLogger(Dedup.class);
    /**
     * How long the store keeps handled message ids, and how many the memory holds (platforms redeliver within
     * minutes).
     */
    static final Duration SEEN_FOR = Duration.ofHours(6);
    static final int SEEN_MAX = 20_000;

    private final HandledMessages store;
    private final Clock clock;
    private final RecentIds seen = new RecentIds(SEEN_MAX);

    /** Loads what the store holds as handled lately (and forgets what is older). */
    public Dedup(HandledMessages store, Clock clock) {
        this.store = store;
        this.clock = clock;
        // what was handled before a restart stays handled: platforms redeliver what they saw unconfirmed
        Instant now = clock.instant();
        store.forgetBefore(now.minus(SEEN_FOR));
        store.since(now.minus(SEEN_FOR), SEEN_MAX).forEach(e -> seen.firstTime(key(e.getKey(), e.getValue())));
    }

    private static String key(String platform, String messageId) {
        return platform + "\u0000" + messageId;
    }

    /** Whether the message was handled here already (memory only: never blocks). */
    boolean seen(String platform, String messageId) {
        return seen.seen(key(platform, messageId));
    }

    /** Remembers the message as handled here; false when it already was (memory only: never blocks). */
    boolean remember(String platform, String messageId) {
        return seen.firstTime(key(platform, messageId));
    }

    /**
     * Claims a message in the shared store, on a virtual thread before any work: true when this instance is the
     * first to take it; false when it was handled already (here before a restart, or by another instance the
     * platform delivered it to). A store that cannot answer lets the message through (the memory check still holds).
     */
    boolean claim(String platform, String messageId, String userKey) {
        try {
            if (store.claim(platform, messageId, userKey, clock.instant())) {
                return true;
            }
            log.info("{}: message {} was handled already (another instance, or before a restart); ignored", platform,
                    messageId);
            return false;
        } catch (StoreException e) {
            log.warn("{}: could not claim message {} in the store ({}); handling it here", platform, messageId,
                    e.getMessage());
            return true;
        }
    }

    /** Forgets the handled messages past their retention (the store keeps them {@link #SEEN_FOR}). */
    public void forgetHandled() {
        store.forgetBefore(clock.instant().minus(SEEN_FOR));
    }
}
