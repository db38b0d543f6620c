package dev.nemobot.core.chat.kit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The messages and edits a platform lets a bot make in one channel (Discord: about 5 per 5 s; a Telegram group: 20 a
 * minute), shared by every job in that channel. What each message of the channel wants shown waits here:
 * <ul>
 *   <li>newest state wins: a message keeps one pending state, a newer one replaces it (the older is never sent);</li>
 *   <li>final states first: a {@link Kind#FINAL} state (a result, an error, "Video ready", a new message) goes before
 *       every pending {@link Kind#PROGRESS} edit;</li>
 *   <li>fair rotation: among states of one kind, the message that has waited longest goes next (a message whose
 *       pending state is replaced keeps its place), so every rendering job gets its percentage shown;</li>
 *   <li>per-message order: a message's next state starts only once its previous one has completed, so no edit lands
 *       after a later state of the same message (each state carries a sequence number per message).</li>
 * </ul>
 * {@link #submit} never blocks: operations run on the thread that frees their slot (the submitter, the
 * {@link Scheduler}'s thread, or the thread completing an earlier operation), so they must only start their request
 * (JDA's {@code submit()}, a virtual thread) and return its completion. Bounded: at most {@code maxPending} waiting
 * states per channel (the oldest progress state gives way) and {@code maxChannels} channels (idle ones are
 * forgotten). Thread-safe; the clock and the scheduler are injected so tests decide when time moves.
 */
public final class ChannelBudget {
    /** Runs a task after a delay; production uses a {@code ScheduledExecutorService}. */
    @FunctionalInterface
    public interface Scheduler {
        void schedule(Runnable task, Duration delay);
    }

    /** What a state is: an intermediate one a later state makes moot, or one that must be shown. */
    public enum Kind { FINAL, PROGRESS }

    /** {@code permits} operations in any {@code window}. */
    public record Limit(int permits, Duration window) {
        public Limit {
            if (permits < 1) {
                throw new IllegalArgumentException("permits must be at least 1, was " + permits);
            }
            Objects.requireNonNull(window, "window");
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("window must be positive, was " + window);
            }
        }

        /** Discord: 5 messages or edits per 5 s in a channel. */
        public static final Limit DISCORD_CHANNEL = new Limit(5, Duration.ofSeconds(5));
        /** Telegram: 20 messages a minute in a group. */
        public static final Limit TELEGRAM_GROUP = new Limit(20, Duration.ofMinutes(1));
        /** Telegram: about one message a second in a private chat. */
        public static final Limit TELEGRAM_PRIVATE = new Limit(1, Duration.ofSeconds(1));
    }

    private final Clock clock;
    private final Scheduler scheduler;
    private final Function<String, Limit> limits;
    private final int maxPending;
    private final int maxChannels;
    private final Map<String, Channel> channels = new HashMap<>();
    /** Orders states by when their message started waiting. */
    private long ticket;

    /**
     * @param limits     the limit of a channel, by its key (e.g. a group or a private chat)
     * @param maxPending the most states waiting in one channel
     * @param maxChannels the most channels tracked at once
     */
    public ChannelBudget(Clock clock, Scheduler scheduler, Function<String, Limit> limits, int maxPending,
                         int maxChannels) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.limits = Objects.requireNonNull(limits, "limits");
        if (maxPending < 1 || maxChannels < 1) {
            throw new IllegalArgumentException("maxPending and maxChannels must be positive");
        }
        this.maxPending = maxPending;
        this.maxChannels = maxChannels;
    }

    /** The same {@code limit} in every channel, with production bounds. */
    public ChannelBudget(Clock clock, Scheduler scheduler, Limit limit) {
        this(clock, scheduler, c -> limit, 1_000, 50_000);
    }

    private static final class Channel {
        final Limit limit;
        /**
         * The operations of the current window (at most {@code limit.permits}): when each started, then when it
         * completed, since its request may reach the platform any time in between.
         */
        final List<Slot> used = new ArrayList<>();
        final Map<String, Message> messages = new LinkedHashMap<>();
        int pending;
        boolean wakeScheduled;

        Channel(Limit limit) {
            this.limit = limit;
        }

        boolean idle() {
            return pending == 0 && messages.values().stream().noneMatch(m -> m.inFlight);
        }
    }

    private static final class Slot {
        Instant at;

        Slot(Instant at) {
            this.at = at;
        }
    }

    private static final class Message {
        long seq;
        boolean inFlight;
        State state;
    }

    private record State(long seq, Kind kind, long waitingSince, Supplier<? extends CompletionStage<?>> op,
                         CompletableFuture<Boolean> done) {
    }

    /**
     * Shows a state of {@code message} in {@code channel} when the channel's budget allows it.
     *
     * @param op starts the request and returns its completion; it must not block
     * @return completes with true once {@code op}'s request completed, false when a newer state of the same message
     *         replaced this one first (or it gave way to keep the queue bounded), exceptionally when the request failed
     *         or the budget is full
     */
    public CompletableFuture<Boolean> submit(String channel, String message, Kind kind,
                                             Supplier<? extends CompletionStage<?>> op) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(op, "op");
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        List<CompletableFuture<Boolean>> dropped = new ArrayList<>(1);
        synchronized (this) {
            Channel c = channels.get(channel);
            if (c == null) {
                if (channels.size() >= maxChannels) {
                    channels.values().removeIf(this::forgettable);
                }
                if (channels.size() >= maxChannels) {
                    done.completeExceptionally(new RejectedExecutionException("too many channels waiting for their budget"));
                    return done;
                }
                c = new Channel(limits.apply(channel));
                channels.put(channel, c);
            }
            Message m = c.messages.computeIfAbsent(message, k -> new Message());
            if (m.state != null) {
                // the newer state replaces the waiting one and keeps its place in the rotation
                dropped.add(m.state.done());
                m.state = new State(++m.seq, kind, m.state.waitingSince(), op, done);
            } else {
                if (c.pending >= maxPending && !giveWay(c, dropped)) {
                    if (!m.inFlight) {
                        c.messages.remove(message);
                    }
                    done.completeExceptionally(new RejectedExecutionException("too many states waiting in one channel"));
                    return done;
                }
                m.state = new State(++m.seq, kind, ++ticket, op, done);
                c.pending++;
            }
        }
        dropped.forEach(f -> f.complete(false));
        pump(channel);
        return done;
    }

    /**
     * Sends a new message when the channel's budget allows it: a final state of its own, ahead of waiting progress.
     *
     * @param op starts the send and returns its result; it must not block
     * @return the send's result, or a failure (the send's, or a {@link RejectedExecutionException} when the budget is
     *         full)
     */
    public <T> CompletableFuture<T> send(String channel, Supplier<? extends CompletableFuture<T>> op) {
        String key;
        synchronized (this) {
            key = "send#" + (++ticket);
        }
        return send(channel, key, op);
    }

    /**
     * Sends a new message as the next final state of {@code message} (a video that takes the place of a progress
     * message): the progress state of {@code message} waiting in the channel is dropped, and the send starts only
     * once the state of {@code message} in flight has completed, so no progress of {@code message} lands after it.
     *
     * @return as {@link #send(String, Supplier)}
     */
    public <T> CompletableFuture<T> send(String channel, String message, Supplier<? extends CompletableFuture<T>> op) {
        CompletableFuture<T> result = new CompletableFuture<>();
        submit(channel, message, Kind.FINAL, () -> {
            CompletableFuture<T> sent = op.get();
            sent.whenComplete((v, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(v);
                }
            });
            return sent;
        }).whenComplete((ran, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else if (!ran) {
                result.completeExceptionally(new RejectedExecutionException("the send gave way"));
            }
        });
        return result;
    }

    /** Drops the progress state that has waited longest to make room; false when every waiting state is final. */
    private boolean giveWay(Channel c, List<CompletableFuture<Boolean>> dropped) {
        Message oldest = null;
        for (Message m : c.messages.values()) {
            if (m.state != null && m.state.kind() == Kind.PROGRESS
                    && (oldest == null || m.state.waitingSince() < oldest.state.waitingSince())) {
                oldest = m;
            }
        }
        if (oldest == null) {
            return false;
        }
        dropped.add(oldest.state.done());
        oldest.state = null;
        c.pending--;
        return true;
    }

    private boolean forgettable(Channel c) {
        if (!c.idle()) {
            return false;
        }
        Instant now = clock.instant();
        return c.used.stream().allMatch(u -> !now.isBefore(u.at.plus(c.limit.window())));
    }

    /** Starts every state the channel's budget allows now, and wakes up again when the next slot opens. */
    private void pump(String channel) {
        List<State> start = new ArrayList<>();
        Duration wake = null;
        synchronized (this) {
            Channel c = channels.get(channel);
            if (c == null) {
                return;
            }
            Instant now = clock.instant();
            while (c.pending > 0) {
                c.used.removeIf(u -> !now.isBefore(u.at.plus(c.limit.window())));
                if (c.used.size() >= c.limit.permits()) {
                    if (!c.wakeScheduled) {
                        c.wakeScheduled = true;
                        Instant first = c.used.stream().map(u -> u.at).min(Instant::compareTo).orElseThrow();
                        wake = Duration.between(now, first.plus(c.limit.window()));
                    }
                    break;
                }
                Map.Entry<String, Message> next = next(c);
                if (next == null) {
                    break; // every waiting message has a state in flight: its completion pumps again
                }
                Message m = next.getValue();
                State s = m.state;
                m.state = null;
                m.inFlight = true;
                c.pending--;
                Slot slot = new Slot(now);
                c.used.add(slot);
                start.add(s);
                final String key = next.getKey();
                s.done().whenComplete((r, e) -> finished(channel, key, slot));
            }
            if (c.idle() && c.used.isEmpty() && !c.wakeScheduled) {
                channels.remove(channel);
            }
        }
        for (State s : start) {
            run(s);
        }
        if (wake != null) {
            scheduler.schedule(() -> {
                synchronized (this) {
                    Channel c = channels.get(channel);
                    if (c != null) {
                        c.wakeScheduled = false;
                    }
                }
                pump(channel);
            }, wake);
        }
    }

    /** The final state that waited longest, else the progress state that waited longest, of messages not in flight. */
    private static Map.Entry<String, Message> next(Channel c) {
        Map.Entry<String, Message> best = null;
        for (Iterator<Map.Entry<String, Message>> it = c.messages.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Message> e = it.next();
            Message m = e.getValue();
            if (m.state == null || m.inFlight) {
                continue;
            }
            if (best == null || better(m.state, best.getValue().state)) {
                best = e;
            }
        }
        return best;
    }

    private static boolean better(State a, State b) {
        if (a.kind() != b.kind()) {
            return a.kind() == Kind.FINAL;
        }
        return a.waitingSince() < b.waitingSince();
    }

    private void run(State s) {
        CompletionStage<?> request;
        try {
            request = s.op().get();
        } catch (RuntimeException e) {
            s.done().completeExceptionally(e);
            return;
        }
        request.whenComplete((r, e) -> {
            if (e != null) {
                s.done().completeExceptionally(e);
            } else {
                s.done().complete(true);
            }
        });
    }

    private void finished(String channel, String message, Slot slot) {
        synchronized (this) {
            Channel c = channels.get(channel);
            if (c == null) {
                return;
            }
            Instant now = clock.instant();
            if (now.isAfter(slot.at)) {
                slot.at = now; // the window counts from when the request surely reached the platform
            }
            Message m = c.messages.get(message);
            if (m != null) {
                m.inFlight = false;
                if (m.state == null) {
                    c.messages.remove(message);
                }
            }
        }
        pump(channel);
    }

    /** The number of states waiting in {@code channel} (for tests and metrics). */
    public synchronized int waiting(String channel) {
        Channel c = channels.get(channel);
        return c == null ? 0 : c.pending;
    }
}
