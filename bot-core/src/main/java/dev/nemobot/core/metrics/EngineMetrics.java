package dev.nemobot.core.metrics;

import dev.nemobot.core.chat.ChatPlatform;
import dev.nemobot.core.backend.NemoBackend;
import dev.nemobot.core.backend.NemoException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The engine's meters, on a Micrometer registry given by the launcher (a Prometheus one behind
 * {@link MetricsServer}) or a private in-memory one. Names (Prometheus spelling in brackets):
 * <ul>
 * <li>{@code nemobot.turns.active} [nemobot_turns_active]: users whose message is being worked on</li>
 * <li>{@code nemobot.messages.queued} [nemobot_messages_queued]: messages waiting behind a running one</li>
 * <li>{@code nemobot.renders.inflight} [nemobot_renders_inflight]: exports being rendered or delivered</li>
 * <li>{@code nemobot.export.delivery} [nemobot_export_delivery_seconds]: from the status poll that saw the
 *     render completed to the video (or its link) handed to the platform</li>
 * <li>{@code nemobot.backend.calls} [nemobot_backend_calls_seconds]: every backend call by {@code call} and
 *     {@code outcome} (ok, or the error kind)</li>
 * <li>{@code nemobot.backend.errors} [nemobot_backend_errors_total]: failures by {@code call}, {@code error} kind
 *     and backend {@code code}</li>
 * <li>{@code nemobot.platform.sends} [nemobot_platform_sends_total]: platform calls by {@code platform},
 *     {@code kind} (text, edit, progress, video, activity) and {@code outcome}</li>
 * <li>{@code nemobot.refusals} [nemobot_refusals_total]: messages refused by a limit, by {@code reason}</li>
 * <li>{@code nemobot.platform.connected} [nemobot_platform_connected]: 1 while a {@code platform} delivers messages
 *     to this instance, 0 while it does not</li>
 * <li>{@code nemobot.turns.waiting} [nemobot_turns_waiting]: turns waiting for a slot under {@code BOT_MAX_TURNS};
 *     {@code nemobot.turns.limit} [nemobot_turns_limit]: that limit</li>
 * <li>{@code nemobot.budget.spent} [nemobot_budget_spent_credits_total]: credits counted against users' daily
 *     budgets</li>
 * </ul>
 * Tags never carry user ids, tokens or texts. Thread-safe.
 */
public final class EngineMetrics {
    private final MeterRegistry registry;
    private final Timer delivery;
    /** Meters by their tags, bounded by the few values each tag takes (calls, outcomes, platforms, kinds). */
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

    private EngineMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.delivery = Timer.builder("nemobot.export.delivery")
                .description("completed render seen -> video handed to the platform")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    /** Meters on {@code registry} (the caller owns and closes it). */
    public static EngineMetrics on(MeterRegistry registry) {
        return new EngineMetrics(registry);
    }

    /** Meters nobody reads (an in-memory registry of its own). */
    public static EngineMetrics inMemory() {
        return new EngineMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Registers a gauge read on every scrape. */
    public void gauge(String name, String description, Supplier<Number> value) {
        gauge(name, description, Tags.empty(), value);
    }

    /** The {@code nemobot.platform.connected} gauge of {@code platform}: 1 while {@code connected} says so. */
    public void platformConnected(String platform, BooleanSupplier connected) {
        gauge("nemobot.platform.connected", "1 while the platform delivers messages to this instance",
                Tags.of("platform", platform), () -> connected.getAsBoolean() ? 1 : 0);
    }

    private void gauge(String name, String description, Tags tags, Supplier<Number> value) {
        // strong: the supplier is a lambda nobody else holds, and Micrometer keeps gauge objects weakly by default
        Gauge.builder(name, value, v -> v.get().doubleValue()).description(description).tags(tags)
                .strongReference(true).register(registry);
    }

    /** The backend, with each call timed and each failure counted. */
    public NemoBackend meter(NemoBackend backend) {
        return meter(backend, null);
    }

    /** As {@link #meter(NemoBackend)}, {@code also} (when not null) told of each call too. */
    public NemoBackend meter(NemoBackend backend, MeteredBackend.Listener also) {
        return new MeteredBackend(backend, (call, startNanos, nanos, result, failure) -> {
            backendCall(call, nanos, failure);
            if (also != null) {
                also.called(call, startNanos, nanos, result, failure);
            }
        });
    }

    /** The platform, with each send counted. */
    public ChatPlatform meter(ChatPlatform platform) {
        return new MeteredPlatform(platform, this);
    }

    public void delivered(Duration sinceCompleted) {
        delivery.record(sinceCompleted);
    }

    public void refused(String reason) {
        Counter.builder("nemobot.refusals").tag("reason", reason).register(registry).increment();
    }

    /**
     * Credits counted against users' daily budgets ({@code BOT_DAILY_CREDITS}); with the budget and the number of
     * users, this is how close the shared token's day comes to its cap. Nothing counted: no meter.
     */
    public void budgetSpent(long credits) {
        if (credits > 0) {
            Counter.builder("nemobot.budget.spent").baseUnit("credits")
                    .description("credits counted against users' daily budgets").register(registry).increment(credits);
        }
    }

    void backendCall(String call, long nanos, RuntimeException failure) {
        String outcome = failure == null ? "ok" : kind(failure);
        // looked up here rather than registered each time: building a meter's id (sorting its tags) for every call
        // showed in the engine's profile at thousands of calls a second
        timers.computeIfAbsent(call + '\u0000' + outcome, k -> Timer.builder("nemobot.backend.calls")
                .tag("call", call).tag("outcome", outcome).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
        if (failure != null) {
            String code = failure instanceof NemoException n ? Integer.toString(n.code()) : "none";
            Counter.builder("nemobot.backend.errors").tag("call", call).tag("error", outcome).tag("code", code)
                    .register(registry).increment();
        }
    }

    void platformCall(String platform, String kind, boolean ok) {
        String outcome = ok ? "ok" : "failed";
        counters.computeIfAbsent(platform + '\u0000' + kind + '\u0000' + outcome, k -> Counter
                .builder("nemobot.platform.sends").tag("platform", platform).tag("kind", kind).tag("outcome", outcome)
                .register(registry)).increment();
    }

    private static String kind(RuntimeException e) {
        String name = e instanceof NemoException ? e.getClass().getSimpleName() : "internal";
        // TokenExpired -> token_expired
        return name.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
