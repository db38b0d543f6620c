package dev.nemobot.app;

import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.config.LimitSettings;
import dev.nemobot.config.NemoSettings;
import dev.nemobot.config.Settings;
import dev.nemobot.core.backend.NemoClient;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.metrics.EngineMetrics;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.RecordingPlatform;
import dev.nemobot.simulator.SimulatorConfig;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The alert rules ({@code deploy/prometheus/rules.yml}) and the dashboard ({@code deploy/grafana/nemobot.json}) use
 * only metrics the bot exports: every name in them is a sample in a real engine's scrape, on a registry made as
 * {@link Main} makes it (Prometheus, with the JVM's memory and thread meters), after a conversation that makes every
 * meter the engine registers only when it first counts (a video, a backend error, refusals, a daily budget spent).
 * A renamed meter, or a typo in a rule, fails here rather than leaving an alert that can never fire.
 */
class DeployMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
    /** Prometheus's own series, not the bot's. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");
    private static final Pattern NAME = Pattern.compile("\\b((?:nemobot|jvm|process|up)[a-z0-9_]*)\\b(?=\\s*[{\\[)]|\\s*$)",
            Pattern.MULTILINE);

    @Test
    void everyMetricTheRulesAndTheDashboardUseIsInTheScrape() throws Exception {
        Set<String> used = new TreeSet<>();
        used.addAll(names(Files.readString(DEPLOY.resolve("prometheus/rules.yml")), true));
        used.addAll(names(Files.readString(DEPLOY.resolve("grafana/nemobot.json")), false));
        assertThat(used).as("names found in the files (the extraction works)")
                .contains("nemobot_platform_connected", "nemobot_backend_errors_total", "nemobot_turns_waiting",
                        "nemobot_budget_spent_credits_total", "jvm_memory_used_bytes", "up");

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry); // as Main binds them
        new JvmThreadMetrics().bindTo(registry);
        ChatUser ann = user("telegram", "1", Locale.ENGLISH);
        try (EngineFixture f = EngineFixture.start(SimulatorConfig.fast(), DeployMetricsTest::operatorWithBudget,
                b -> b.metrics(EngineMetrics.on(registry)))) {
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            Inbox in = f.engine().attach(p);
            in.accept(file(ann, "animate this image into a 5-second video with smooth motion", png("photo.png")));
            p.awaitVideo(WAIT);
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            in.accept(text(ann, "x".repeat(5000))); // refused: too long
            in.accept(text(ann, "make a new video of it")); // refused: the budget (one generation) is spent
            p.awaitText(t -> t.contains("budget"), WAIT);
            f.simulator().faults().failNext("/api/credits", 503, 10);
            in.accept(text(ann, "/credits")); // a backend error
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();

            Set<String> exported = registry.scrape().lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                    .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
            Set<String> missing = new TreeSet<>(used);
            missing.removeAll(exported);
            missing.removeAll(PROMETHEUS_OWN);
            assertThat(missing).as("metric names used in deploy/ that the bot does not export (it exports %s)",
                    exported.stream().filter(n -> n.startsWith("nemobot_")).toList()).isEmpty();
        }
    }

    @Test
    void everyAlertHasARunbookEntryInOperationsMd() throws IOException {
        String rules = Files.readString(DEPLOY.resolve("prometheus/rules.yml"));
        String operations = Files.readString(DEPLOY.resolveSibling("docs").resolve("operations.md"));
        Matcher alert = Pattern.compile("(?m)^\\s*- alert: (\\w+)\\s*$").matcher(rules);
        Set<String> alerts = new TreeSet<>();
        while (alert.find()) {
            String name = alert.group(1);
            alerts.add(name);
            assertThat(rules).as("the runbook annotation of " + name)
                    .contains("runbook: \"docs/operations.md#" + name.toLowerCase(Locale.ROOT) + "\"");
            assertThat(operations).as("the runbook entry of " + name).contains("\n#### " + name + "\n");
        }
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(8);
    }

    /** An operator's token with a daily budget of one generation, so the budget counts and then refuses. */
    private static Settings operatorWithBudget(Settings s) {
        NemoSettings nemo;
        try (NemoClient c = NemoClient.builder(s.nemo()).build()) {
            nemo = s.nemo().withToken(c.anonymousToken("operator").token());
        }
        return s.withNemo(nemo).withLimits(LimitSettings.defaults().withDailyCredits(10).withCreditEstimates(10, 2));
    }

    /** The metric names in {@code text}: in rules, expressions only (not alert names or annotations). */
    static Set<String> names(String text, boolean rules) throws IOException {
        Set<String> out = new TreeSet<>();
        Pattern expr = rules ? Pattern.compile("(?ms)^\\s*expr:\\s*(\\|\\s*\\n(?:\\s{10,}.*\\n?)+|.*)$")
                : Pattern.compile("\"expr\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
        Matcher e = expr.matcher(text);
        while (e.find()) {
            Matcher n = NAME.matcher(e.group(1).replace("\\\"", "\""));
            while (n.find()) {
                out.add(n.group(1));
            }
        }
        return out;
    }
}
