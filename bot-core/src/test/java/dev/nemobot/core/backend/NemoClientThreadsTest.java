package dev.nemobot.core.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.config.NemoSettings;
import dev.nemobot.config.Secret;
import dev.nemobot.simulator.NemoSimulator;
import dev.nemobot.simulator.SimulatorConfig;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * The platform threads the client costs: many calls at once, each on its own virtual thread (as the engine makes
 * them) and each needing a new connection, against the simulator. OkHttp's fast fallback would connect each on a
 * platform thread of its task runner, whose pool has no bound; the client connects on the caller's thread.
 */
class NemoClientThreadsTest {
    static final int CALLS = 200;

    @Test
    void manyCallsAtOnceConnectOnTheirOwnVirtualThreadsNotOnPlatformThreads() throws Exception {
        AtomicInteger connects = new AtomicInteger();
        Set<String> platformThreads = ConcurrentHashMap.newKeySet();
        // the listener rides on a shared client: NemoClient builds its clients from it
        OkHttpClient shared = new OkHttpClient.Builder().eventListener(new EventListener() {
            @Override
            public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
                connects.incrementAndGet();
                if (!Thread.currentThread().isVirtual()) {
                    platformThreads.add(Thread.currentThread().getName() + " #" + Thread.currentThread().threadId());
                }
            }
        }).build();
        try (NemoSimulator sim = NemoSimulator.start(SimulatorConfig.fast());
             NemoClient client = NemoClient.create(NemoSettings.at(sim.baseUrl()), shared)) {
            Secret token = client.anonymousToken(UUID.randomUUID().toString()).token();
            shared.connectionPool().evictAll();
            connects.set(0);
            platformThreads.clear(); // the token was asked for on the test's own (platform) thread
            // every call at once: none finds an idle connection, each opens its own
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            AtomicInteger answered = new AtomicInteger();
            for (int i = 0; i < CALLS; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        go.await();
                        client.credits(token);
                        answered.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertThat(answered.get()).isEqualTo(CALLS);
            assertThat(connects.get()).as("connections opened").isPositive();
            assertThat(platformThreads).as("platform threads that connected, of %d connections", connects.get())
                    .isEmpty();
        } finally {
            shared.connectionPool().evictAll();
            shared.dispatcher().executorService().shutdown();
        }
    }
}
