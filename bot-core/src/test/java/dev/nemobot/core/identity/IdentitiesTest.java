package dev.nemobot.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nemobot.config.Secret;
import dev.nemobot.core.work.Cancellation;
import dev.nemobot.core.backend.Credits;
import dev.nemobot.core.backend.Draft;
import dev.nemobot.core.backend.NemoBackend;
import dev.nemobot.core.backend.NemoException;
import dev.nemobot.core.backend.RenderJob;
import dev.nemobot.core.backend.SessionInfo;
import dev.nemobot.core.backend.SessionState;
import dev.nemobot.core.backend.TokenGrant;
import dev.nemobot.core.backend.TurnEnd;
import dev.nemobot.core.backend.TurnListener;
import dev.nemobot.core.backend.UploadResult;
import dev.nemobot.core.store.Store;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentitiesTest {
    @TempDir
    Path dir;

    /** Issues tokens and sessions, recording the client ids and languages asked for. */
    static final class FakeBackend implements NemoBackend {
        final List<String> clientIds = new CopyOnWriteArrayList<>();
        final List<String> languages = new CopyOnWriteArrayList<>();
        final AtomicInteger n = new AtomicInteger();
        volatile boolean refuseTokens;

        @Override
        public TokenGrant anonymousToken(String clientId) {
            clientIds.add(clientId);
            if (refuseTokens) {
                throw new NemoException.RateLimited(429, "too many", Optional.empty());
            }
            return new TokenGrant(Secret.of("nmv_usr_" + n.incrementAndGet()), 100, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).plus(Duration.ofDays(7)));
        }

        @Override
        public SessionInfo createSession(Secret token, String language) {
            languages.add(language);
            int i = n.incrementAndGet();
            return new SessionInfo("task_" + i, "sess_" + i, Optional.of("bind_" + i));
        }

        @Override
        public UploadResult upload(Secret t, String s, String f, String c, Path file) {
            throw new UnsupportedOperationException();
        }

        @Override
        public UploadResult upload(Secret t, String s, String f, String c, InputStream in, long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public UploadResult uploadUrl(Secret t, String s, URI url) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Credits credits(Secret token) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SessionState state(Secret token, String sessionId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TurnEnd runTurn(Secret t, String s, String text, TurnListener l, Cancellation c) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RenderJob submitRender(Secret t, String s, String id, Draft draft) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RenderJob renderStatus(Secret token, String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long download(Secret token, RenderJob job, Path target, long maxBytes) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void manyMessagesAtOnceAskForOneTokenAndOneSession() throws Exception {
        FakeBackend backend = new FakeBackend();
        try (Store store = Store.sqlite(dir.resolve("s.db"));
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Identities ids = new Identities(backend, store.identities(), Optional.empty(), Clock.systemUTC());
            List<Future<Identity>> all = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                all.add(pool.submit(() -> ids.get("telegram:1", "zh")));
            }
            Identity first = all.getFirst().get();
            for (Future<Identity> f : all) {
                assertThat(f.get()).isEqualTo(first);
            }
            assertThat(backend.clientIds).hasSize(1);
            assertThat(backend.languages).containsExactly("zh");
        }
    }

    @Test
    void aNewSessionHoldsNoClipsUntilItsStateIsReadAndForgettingItDropsTheCount() {
        FakeBackend backend = new FakeBackend();
        try (Store store = Store.sqlite(dir.resolve("s.db"))) {
            Identities ids = new Identities(backend, store.identities(), Optional.empty(), Clock.systemUTC());
            String sid = ids.get("telegram:1", "en").sessionId();
            assertThat(ids.clipsSeen(sid)).hasValue(0);
            ids.sawClips(sid, 2);
            assertThat(ids.clipsSeen(sid)).hasValue(2);
            assertThat(ids.clipsSeen("another")).as("never read here").isEmpty();
            ids.forgetSession(sid);
            assertThat(ids.clipsSeen(sid)).isEmpty();
        }
    }

    @Test
    void renewalKeepsTheClientIdAndHappensOnceForConcurrentFailures() {
        FakeBackend backend = new FakeBackend();
        try (Store store = Store.sqlite(dir.resolve("s.db"))) {
            Identities ids = new Identities(backend, store.identities(), Optional.empty(), Clock.systemUTC());
            Identity stale = ids.get("discord:9", "en");
            NemoException.TokenExpired expired = new NemoException.TokenExpired(200, "expired");
            Identity renewed = ids.renewToken(stale, expired);
            Identity again = ids.renewToken(stale, expired);
            assertThat(renewed.token()).isNotEqualTo(stale.token());
            assertThat(again).isEqualTo(renewed);
            assertThat(backend.clientIds).hasSize(2).containsOnly(stale.clientId());
            assertThat(renewed.session()).isEqualTo(stale.session());
        }
    }

    @Test
    void aRestartReusesTheStoredTokenAndSession() {
        FakeBackend backend = new FakeBackend();
        Identity before;
        try (Store store = Store.sqlite(dir.resolve("s.db"))) {
            before = new Identities(backend, store.identities(), Optional.empty(), Clock.systemUTC()).get("telegram:1", "en");
        }
        try (Store store = Store.sqlite(dir.resolve("s.db"))) {
            Identity after = new Identities(backend, store.identities(), Optional.empty(), Clock.systemUTC()).get("telegram:1", "en");
            assertThat(after).isEqualTo(before);
        }
        assertThat(backend.clientIds).hasSize(1);
    }

    @Test
    void theOperatorTokenIsSharedAndNoAnonymousTokenIsFetched() {
        FakeBackend backend = new FakeBackend();
        try (Store store = Store.sqlite(dir.resolve("s.db"))) {
            Secret operator = Secret.of("nmv_operator");
            Identities ids = new Identities(backend, store.identities(), Optional.of(operator), Clock.systemUTC());
            Identity a = ids.get("telegram:1", "en");
            Identity b = ids.get("telegram:2", "en");
            assertThat(a.token()).isEqualTo(operator).isEqualTo(b.token());
            assertThat(a.sessionId()).isNotEqualTo(b.sessionId());
            assertThat(a.operatorToken()).isTrue();
            assertThat(backend.clientIds).isEmpty();
            assertThatThrownBy(() -> ids.renewToken(a, new NemoException.TokenExpired(200, "bad")))
                    .isInstanceOf(NemoException.TokenExpired.class);
        }
    }

    @Test
    void aRefusedTokenMeansTheSignUpsAreUsedUp() {
        FakeBackend backend = new FakeBackend();
        backend.refuseTokens = true;
        try (Store store = Store.sqlite(dir.resolve("s.db"))) {
            Identities ids = new Identities(backend, store.identities(), Optional.empty(), Clock.systemUTC());
            assertThatThrownBy(() -> ids.get("telegram:1", "en")).isInstanceOf(SignupsExhaustedException.class);
            assertThat(store.identities().find("telegram:1")).as("the client id is kept for the next try").isPresent();
        }
    }

    @Test
    void theIdentityNeverPrintsItsToken() {
        FakeBackend backend = new FakeBackend();
        try (Store store = Store.sqlite(dir.resolve("s.db"))) {
            Identity id = new Identities(backend, store.identities(), Optional.empty(), Clock.systemUTC()).get("t:1", "en");
            assertThat(id.toString()).doesNotContain(id.token().reveal());
        }
    }
}
