package dev.nemobot.discord;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.ChatEngine;
import dev.nemobot.core.chat.ChatPlatform;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.chat.Incoming;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * A stand-in engine: records what the adapter hands to the inbox and keeps the platform it was given; optionally
 * hands every message on to a real engine too.
 */
final class RecordingEngine implements ChatEngine {
    private final List<Incoming> received = new CopyOnWriteArrayList<>();
    private final ChatEngine next;
    private volatile ChatPlatform platform;

    RecordingEngine() {
        this(null);
    }

    /** Records, then passes each message to {@code next}'s inbox (null: records only). */
    RecordingEngine(ChatEngine next) {
        this.next = next;
    }

    @Override
    public Inbox attach(ChatPlatform platform) {
        this.platform = platform;
        Inbox onward = next == null ? null : next.attach(platform);
        return message -> {
            received.add(message);
            if (onward != null) {
                onward.accept(message);
            }
        };
    }

    ChatPlatform platform() {
        return platform;
    }

    List<Incoming> received() {
        return List.copyOf(received);
    }

    Incoming await(Predicate<Incoming> match, Duration timeout) {
        Awaitility.await().atMost(timeout)
                .untilAsserted(() -> assertThat(received.stream().anyMatch(match))
                        .as(() -> "an incoming message; got " + received).isTrue());
        return received.stream().filter(match).findFirst().orElseThrow();
    }
}
