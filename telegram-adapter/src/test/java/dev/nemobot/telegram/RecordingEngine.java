package dev.nemobot.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.ChatEngine;
import dev.nemobot.core.chat.ChatPlatform;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.chat.Incoming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/** A stand-in engine: keeps the platform it was given and records what arrives, noting the thread it arrived on. */
final class RecordingEngine implements ChatEngine {
    private final List<Incoming> received = new ArrayList<>();
    private final List<String> threads = new ArrayList<>();
    private volatile ChatPlatform platform;

    @Override
    public Inbox attach(ChatPlatform platform) {
        this.platform = platform;
        return message -> {
            synchronized (received) {
                received.add(message);
                threads.add(Thread.currentThread().getName());
            }
        };
    }

    ChatPlatform platform() {
        return platform;
    }

    List<Incoming> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    List<String> threads() {
        synchronized (received) {
            return List.copyOf(threads);
        }
    }

    Incoming await(Predicate<Incoming> p, Duration timeout) {
        Incoming[] found = new Incoming[1];
        Awaitility.await().atMost(timeout).untilAsserted(() -> {
            found[0] = received().stream().filter(p).findFirst().orElse(null);
            assertThat(found[0]).as(() -> "an incoming message matching the condition; got " + received()).isNotNull();
        });
        return found[0];
    }
}
