package dev.nemobot.core.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.nemobot.config.Secret;
import dev.nemobot.core.backend.NemoBackend;
import dev.nemobot.core.backend.NemoException;
import dev.nemobot.core.backend.SessionInfo;
import dev.nemobot.core.backend.TokenGrant;
import dev.nemobot.core.chat.kit.ClockTicker;
import dev.nemobot.core.store.IdentityRecords;
import dev.nemobot.core.store.StoreException;
import dev.nemobot.core.store.StoredIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-user client id, token and session: a bounded Caffeine cache (entries expire with their token) in front of the
 * durable {@link IdentityRecords}. With an operator token every user shares it and still gets their own session.
 * Creating or renewing happens under a per-user lock (striped, bounded), so two messages at once never ask for two
 * tokens (the backend allows one per client id per 7 days). Thread-safe; calls block on the backend.
 */
public final class Identities {
    private static final Logger log = LoggerFactory.getLogger(Identities.class);
    /** A token this close to its end is renewed before use rather than failing mid-turn. */
    private static final Duration RENEW_MARGIN = Duration.ofMinutes(20);
    private static final Duration OPERATOR_CACHE_LIFE = Duration.ofHours(12);

    private final NemoBackend backend;
    private final IdentityRecords store;
    private final Optional<Secret> operatorToken;
    private final Clock clock;
    /** The fewest identities kept in memory. */
    static final int DEFAULT_CACHED = 10_000;
    private final Cache<String, Identity> cache;
    private final SeenClips clips;
    private final ReentrantLock[] locks = new ReentrantLock[4096];

    public Identities(NemoBackend backend, IdentityRecords store, Optional<Secret> operatorToken, Clock clock) {
        this(backend, store, operatorToken, clock, DEFAULT_CACHED);
    }

    /**
     * @param cached how many users' identities are kept in memory: at least as many as have work under way, or each
     *               of their messages reads and unseals theirs from the store again
     */
    public Identities(NemoBackend backend, IdentityRecords store, Optional<Secret> operatorToken, Clock clock,
                      int cached) {
        this.backend = backend;
        this.store = store;
        this.operatorToken = operatorToken;
        this.clock = clock;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
        this.clips = new SeenClips(Math.max(DEFAULT_CACHED, cached));
        this.cache = Caffeine.newBuilder()
                .maximumSize(Math.max(DEFAULT_CACHED, cached))
                .ticker(ClockTicker.of(clock))
                // its upkeep on the caller's thread: handing it to the common pool cost more than doing it
                .executor(Runnable::run)
                .expireAfter(Expiry.<String, Identity>writing((k, id) -> lifeOf(id)))
                .build();
    }

    private Duration lifeOf(Identity id) {
        if (id.operatorToken()) {
            return OPERATOR_CACHE_LIFE;
        }
        Duration left = Duration.between(clock.instant(), id.tokenExpiresAt().minus(RENEW_MARGIN));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /**
     * Whether the store still holds the cached identity's client id and session: not when the user erased it with
     * /forget (on any instance sharing the store) or another instance gave them a new project. Then the cached one
     * is dropped and the store read afresh, so no instance carries on with what was erased. One primary-key read of
     * the session id alone (a new client id always comes with a new session, and nothing is unsealed); a store that
     * cannot answer leaves the cached identity in use (as before the check).
     */
    private boolean stillStored(Identity hit) {
        Optional<String> stored;
        try {
            stored = store.sessionIdOf(hit.userKey());
        } catch (StoreException e) {
            log.debug("could not check a cached identity against the store: {}", e.getMessage());
            return true;
        }
        boolean same = stored.isPresent() && stored.get().equals(hit.sessionId());
        if (!same) {
            cache.asMap().remove(hit.userKey(), hit);
        }
        return same;
    }

    /** True when every user shares the operator's NEMO_TOKEN. */
    public boolean operatorMode() {
        return operatorToken.isPresent();
    }

    /**
     * The user's identity, creating what is missing (client id, token, session in {@code language}).
     *
     * @throws SignupsExhaustedException when the backend refuses a new anonymous token
     * @throws NemoException             when the backend fails otherwise
     */
    Identity get(String userKey, String language) {
        Identity hit = cache.getIfPresent(userKey);
        if (hit != null && stillStored(hit)) {
            return hit;
        }
        ReentrantLock lock = lockOf(userKey);
        lock.lock();
        try {
            hit = cache.getIfPresent(userKey);
            if (hit != null) {
                return hit;
            }
            StoredIdentity stored = store.find(userKey).orElse(null);
            if (stored == null) {
                // the client id is made durable before it is ever sent, so a crash never burns a token
                stored = new StoredIdentity(userKey, UUID.randomUUID().toString(), Optional.empty(), Optional.empty(),
                        Optional.empty());
                store.save(stored);
            }
            Secret token;
            Instant expires;
            if (operatorToken.isPresent()) {
                token = operatorToken.get();
                expires = Instant.MAX;
            } else if (stored.token().isPresent()
                    && stored.tokenExpiresAt().get().isAfter(clock.instant().plus(RENEW_MARGIN))) {
                token = stored.token().get();
                expires = stored.tokenExpiresAt().get();
            } else {
                TokenGrant grant;
                try {
                    grant = newToken(stored.clientId());
                } catch (SignupsExhaustedException refused) {
                    if (stored.token().isPresent()) {
                        throw refused;
                    }
                    // this client id never got a token, yet the backend will not give it one: the answer to an
                    // earlier request was lost (no answer in time) and the backend holds that token for 7 days. A
                    // fresh client id, durable before it is sent, is the only way in; refused again, it is the limit
                    stored = new StoredIdentity(userKey, UUID.randomUUID().toString(), Optional.empty(),
                            Optional.empty(), Optional.empty());
                    store.save(stored);
                    log.info("a new client id for a user whose first token request went unanswered");
                    grant = newToken(stored.clientId());
                }
                token = grant.token();
                expires = grant.expiresAt();
                stored = stored.withToken(token, expires);
                store.save(stored);
            }
            StoredIdentity.StoredSession session = stored.session().orElse(null);
            if (session == null) {
                session = toStored(backend.createSession(token, language), language);
                clips.saw(session.sessionId(), 0);
                stored = stored.withSession(session);
                store.save(stored);
                log.info("created a session for a user");
            }
            Identity id = toIdentity(stored, token, expires, session);
            cache.put(userKey, id);
            return id;
        } finally {
            lock.unlock();
        }
    }

    /**
     * After a 1001: a new token for the same client id, unless another thread already renewed it. The operator's
     * token cannot be renewed: the 1001 is rethrown.
     */
    Identity renewToken(Identity stale, NemoException.TokenExpired cause) {
        if (stale.operatorToken()) {
            throw cause;
        }
        ReentrantLock lock = lockOf(stale.userKey());
        lock.lock();
        try {
            Identity current = cache.getIfPresent(stale.userKey());
            if (current != null && !current.token().equals(stale.token())) {
                return current;
            }
            StoredIdentity stored = store.find(stale.userKey()).orElseThrow(() -> cause);
            TokenGrant grant = newToken(stored.clientId());
            stored = stored.withToken(grant.token(), grant.expiresAt());
            store.save(stored);
            Identity id = new Identity(stale.userKey(), stale.clientId(), grant.token(), grant.expiresAt(), false,
                    stale.session(), stale.language());
            cache.put(stale.userKey(), id);
            log.info("renewed an expired token");
            return id;
        } finally {
            lock.unlock();
        }
    }

    /** A fresh session (after /new or a 1002), in {@code language}. */
    Identity newSession(Identity current, String language) {
        ReentrantLock lock = lockOf(current.userKey());
        lock.lock();
        try {
            StoredIdentity.StoredSession session = toStored(backend.createSession(current.token(), language), language);
            clips.saw(session.sessionId(), 0);
            StoredIdentity stored = store.find(current.userKey()).orElseThrow().withSession(session);
            store.save(stored);
            Identity id = new Identity(current.userKey(), current.clientId(), current.token(), current.tokenExpiresAt(),
                    current.operatorToken(), toInfo(session), language);
            cache.put(current.userKey(), id);
            return id;
        } finally {
            lock.unlock();
        }
    }

    /** Notes that the session held {@code finished} finished clips when its state was read. */
    void sawClips(String sessionId, int finished) {
        clips.saw(sessionId, finished);
    }

    /** The finished clips the session held when this instance last read its state, if it did. */
    OptionalInt clipsSeen(String sessionId) {
        return clips.of(sessionId);
    }

    /** Forgets what this instance noted about the session (its clip count): after /forget. */
    public void forgetSession(String sessionId) {
        clips.forget(sessionId);
    }

    /** The user's current session id, if they have one; never creates anything. */
    public Optional<String> currentSessionId(String userKey) {
        Identity hit = cache.getIfPresent(userKey);
        if (hit != null) {
            return Optional.of(hit.sessionId());
        }
        return store.find(userKey).flatMap(StoredIdentity::session).map(StoredIdentity.StoredSession::sessionId);
    }

    /** Forgets the cached identity (the store keeps it). */
    public void invalidate(String userKey) {
        cache.invalidate(userKey);
    }

    private TokenGrant newToken(String clientId) {
        try {
            return backend.anonymousToken(clientId);
        } catch (NemoException.RateLimited e) {
            throw new SignupsExhaustedException(e);
        }
    }

    private ReentrantLock lockOf(String key) {
        return locks[Math.floorMod(key.hashCode(), locks.length)];
    }

    private static StoredIdentity.StoredSession toStored(SessionInfo s, String language) {
        return new StoredIdentity.StoredSession(s.taskId(), s.sessionId(), s.bindId(), language);
    }

    private static SessionInfo toInfo(StoredIdentity.StoredSession s) {
        return new SessionInfo(s.taskId(), s.sessionId(), s.bindId());
    }

    private static Identity toIdentity(StoredIdentity stored, Secret token, Instant expires,
                                       StoredIdentity.StoredSession session) {
        return new Identity(stored.userKey(), stored.clientId(), token, expires, expires.equals(Instant.MAX),
                toInfo(session), session.language());
    }
}
