package dev.nemobot.core.backend;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/** A {@link TurnListener} that records what it was told; thread-safe so tests can watch it from outside. */
final class RecordingListener implements TurnListener {
    final List<AdkEvent> events = new CopyOnWriteArrayList<>();
    final List<Integer> reconnects = new CopyOnWriteArrayList<>();
    final AtomicInteger heartbeats = new AtomicInteger();
    final CountDownLatch firstEvent = new CountDownLatch(1);
    private final IntPredicate keepWaiting;

    RecordingListener() {
        this(n -> true);
    }

    /** @param keepWaiting given the heartbeat count so far, whether to go on */
    RecordingListener(IntPredicate keepWaiting) {
        this.keepWaiting = keepWaiting;
    }

    @Override
    public void onEvent(AdkEvent event) {
        events.add(event);
        firstEvent.countDown();
    }

    @Override
    public boolean onHeartbeat() {
        return keepWaiting.test(heartbeats.incrementAndGet());
    }

    @Override
    public void onReconnecting(int attempt) {
        reconnects.add(attempt);
    }

    String finalText() {
        return events.stream().filter(e -> !e.partial()).map(AdkEvent::text).reduce("", String::concat);
    }
}
