package dev.nemobot.discord;

import dev.nemobot.core.chat.ChatEngine;
import dev.nemobot.core.chat.ChatPlatform;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.chat.Incoming;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A stand-in engine: records what the adapter hands to the inbox and keeps the platform it was given. */
final class RecordingEngine implements ChatEngine {
    private final List<Incoming> received = new CopyOnWriteArrayList<>();
    private volatile ChatPlatform platform;

    @Override
    public Inbox attach(ChatPlatform platform) {
        this.platform = platform;
        return received::add;
    }

    ChatPlatform platform() {
        return platform;
    }

    List<Incoming> received() {
        return List.copyOf(received);
    }

    Incoming await(Predicate<Incoming> match, Duration timeout) {
        Poll.until(() -> received.stream().anyMatch(match), timeout, () -> "an incoming message; got " + received);
        return received.stream().filter(match).findFirst().orElseThrow();
    }
}
