package dev.nemobot.core.intake;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.nemobot.config.AccessSettings;
import dev.nemobot.config.LimitSettings;
import dev.nemobot.core.chat.kit.ClockTicker;
import dev.nemobot.core.chat.Incoming;
import dev.nemobot.core.chat.Lang;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, before any work, whether a message is served: the allow and deny lists, the per-user message rate (a
 * token bucket refilled at {@code messagesPerMinute} a minute) and the text cap. A refused message gets one polite
 * answer saying when to try again; a batch of images (a {@link Route.Batch}) counts one message per image, and
 * when it does not fit whole it is refused saying how many would; a user who keeps sending while refused is
 * answered at most once a minute.
 * State is bounded (one small entry per active user, forgotten after a quiet hour on the injected clock). Thread-safe.
 */
final class Gatekeeper {
    /** The verdict on one message. */
    public sealed interface Verdict {
        /** Serve it. */
        record Admit() implements Verdict {
        }

        /** Refuse it with {@code text} (empty: refuse silently, the user was told a moment ago). */
        record Refuse(String reason, Optional<String> text) implements Verdict {
        }
    }

    /** The reason of a refusal by the allow and deny lists. */
    public static final String ACCESS = "access";
    private static final Verdict ADMIT = new Verdict.Admit();
    private static final Duration NOTICE_EVERY = Duration.ofMinutes(1);

    private final AccessSettings access;
    private final LimitSettings limits;
    private final Clock clock;
    private final Cache<String, Bucket> buckets;

    public Gatekeeper(AccessSettings access, LimitSettings limits, Clock clock) {
        this.access = access;
        this.limits = limits;
        this.clock = clock;
        this.buckets = Caffeine.newBuilder().maximumSize(200_000).expireAfterAccess(Duration.ofHours(1))
                .ticker(ClockTicker.of(clock)).executor(Runnable::run).build();
    }

    /** One user's bucket; guarded by its own monitor (short, no I/O inside). */
    private static final class Bucket {
        double tokens;
        Instant refilledAt;
        Instant noticeAt = Instant.MIN;

        Bucket(double tokens, Instant now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }
    }

    /** Forgets the user's rate-limit count (their /forget). */
    public void forget(String userKey) {
        buckets.invalidate(userKey);
    }

    /** How many users' buckets are held now (expired ones dropped first); for tests. */
    long tracked() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    public Verdict check(Incoming m) {
        Lang lang = Lang.of(m.user(), m.text());
        String platform = m.user().platform();
        if (!allowed(access.allowUsers(), access.denyUsers(), platform, m.user().id())
                || !allowed(access.allowChats(), access.denyChats(), platform, m.conversation().id())
                || !guildAllowed(platform, m.conversation().guild())) {
            return notice(m.user().key(), ACCESS, Refusals.notAllowed(lang));
        }
        int takes = Router.takes(m);
        if (takes > Router.MAX_BATCH) {
            // refused before the rate counts it: nothing of the batch is kept
            return new Verdict.Refuse("batch_size", Optional.of(Refusals.batchTooMany(lang, takes, Router.MAX_BATCH)));
        }
        // the rate before the text cap: a refusal is an answer too, and counts like one
        Verdict rate = rate(m, lang, takes);
        if (rate != ADMIT) {
            return rate;
        }
        if (m.text().length() > limits.maxTextChars()) {
            return new Verdict.Refuse("too_long", Optional.of(Refusals.tooLong(lang, limits.maxTextChars())));
        }
        return ADMIT;
    }

    /** The rate counts each of a batch's {@code takes}; a batch that does not fit whole is refused as one message. */
    private Verdict rate(Incoming m, Lang lang, int takes) {
        int perMinute = limits.messagesPerMinute();
        if (perMinute == 0) {
            return ADMIT;
        }
        Instant now = clock.instant();
        Bucket b = buckets.get(m.user().key(), k -> new Bucket(perMinute, now));
        Duration wait;
        synchronized (b) {
            double perNano = perMinute / 60e9;
            long elapsed = Math.max(0, Duration.between(b.refilledAt, now).toNanos());
            b.tokens = Math.min(perMinute, b.tokens + elapsed * perNano);
            b.refilledAt = now;
            if (b.tokens >= takes) {
                b.tokens -= takes;
                return ADMIT;
            }
            if (takes > 1 && b.tokens >= 1) {
                // the refusal counts like one message; it says how many of the batch would start now
                b.tokens -= 1;
                int fit = (int) Math.floor(b.tokens);
                // how long until as many as the batch (or the whole minute's allowance) can start
                Duration all = Duration.ofNanos((long) Math.ceil((Math.min(takes, perMinute) - b.tokens) / perNano));
                return new Verdict.Refuse("batch_rate",
                        Optional.of(Refusals.batchRate(lang, takes, fit, perMinute, all)));
            }
            wait = Duration.ofNanos((long) Math.ceil((1 - b.tokens) / perNano));
            if (now.isBefore(b.noticeAt)) {
                return new Verdict.Refuse("rate", Optional.empty());
            }
            b.noticeAt = now.plus(NOTICE_EVERY);
        }
        return new Verdict.Refuse("rate", Optional.of(Refusals.slowDown(lang, perMinute, wait)));
    }

    private Verdict notice(String userKey, String reason, String text) {
        Instant now = clock.instant();
        Bucket b = buckets.get(userKey, k -> new Bucket(0, now));
        synchronized (b) {
            if (now.isBefore(b.noticeAt)) {
                return new Verdict.Refuse(reason, Optional.empty());
            }
            b.noticeAt = now.plus(Duration.ofHours(1));
        }
        return new Verdict.Refuse(reason, Optional.of(text));
    }

    private static boolean allowed(Set<String> allow, Set<String> deny, String platform, String id) {
        String bare = id.toLowerCase(Locale.ROOT);
        String qualified = platform.toLowerCase(Locale.ROOT) + ":" + bare;
        if (deny.contains(bare) || deny.contains(qualified)) {
            return false;
        }
        return allow.isEmpty() || allow.contains(bare) || allow.contains(qualified);
    }

    private boolean guildAllowed(String platform, String guild) {
        if (guild.isEmpty()) {
            return access.allowGuilds().isEmpty();
        }
        return allowed(access.allowGuilds(), access.denyGuilds(), platform, guild);
    }
}
