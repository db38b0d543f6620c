package dev.nemobot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.config.NemoSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark in miniature (20 users, time scale 1/50, simulator in this JVM): it runs, and nobody is lost. */
class BenchSmokeTest {
    @Test
    void twentyUsersEachGetTheirVideoWithTheRequestsTheContractNeeds() throws Exception {
        Options o = new Options(List.of(20), 50, 500, List.of(NemoSettings.PollMode.ADAPTIVE), true, 7, 0,
                dev.nemobot.config.LimitSettings.DEFAULT_MAX_TURNS);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<Run.Result> results = Bench.run(o, new PrintStream(buf, true, StandardCharsets.UTF_8));
        Bench.print(o, results, new PrintStream(buf, true, StandardCharsets.UTF_8));

        Run.Result r = results.getFirst();
        assertThat(r.failed()).as(buf.toString(StandardCharsets.UTF_8)).isZero();
        // token, session, upload, run_sse, state after the turn, state before the export, submit, download: 8,
        // plus the status polls
        assertThat(r.requestsPerConversation()).isEqualTo(8 + r.pollsPerConversation());
        assertThat(r.pollsPerConversation()).isBetween(1.0, 5.0);
        assertThat(r.deliveryDelay().count()).isEqualTo(20);
        // arriving within 1 s, each conversation ~3 s long: all under way together
        assertThat(r.peakConcurrent()).isEqualTo(20);
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("| 20 | adaptive |");
    }

    /**
     * Over HTTP/2 against a server that lets a connection carry 4 streams at once (real ones: 100-256): the engine's
     * own clients open more connections, what the server refused unprocessed is sent again (an upload from the chat's
     * file opened anew), and nobody is lost. Java 24+ only (the bot offers HTTP/2 there only).
     */
    @Test
    void overHttp2WithAFewStreamsAConnectionEveryUserGetsTheirVideo() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 24, "HTTP/2 on Java 24+ only");
        Options o = new Options(List.of(20), 50, 500, List.of(NemoSettings.PollMode.ADAPTIVE), true, 7, 0,
                dev.nemobot.config.LimitSettings.DEFAULT_MAX_TURNS, true,
                dev.nemobot.config.DatabaseSettings.SqliteSync.FULL, null, 4);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<Run.Result> results = Bench.run(o, new PrintStream(buf, true, StandardCharsets.UTF_8));

        Run.Result r = results.getFirst();
        String said = buf.toString(StandardCharsets.UTF_8);
        assertThat(r.failed()).as(said).isZero();
        assertThat(r.deliveryDelay().count()).isEqualTo(20);
        assertThat(r.peakConcurrent()).isEqualTo(20);
        // the two state reads every conversation makes (after the turn, before the export), none of a recovery; the
        // engine's uploads opened anew are counted, the client's own resends are not
        assertThat(r.requestBreakdown()).as("no recovery: a refused stream is simply sent again")
                .contains("state 2.00,").contains("run_sse 1.00,");
        assertThat(said).contains("at most 4 streams a connection");
    }

    @Test
    void optionsAreCheckedWithUsefulMessages() {
        assertThat(Options.parse(new String[] {"--users", "100,1_000", "--poll", "both"}).users())
                .containsExactly(100, 1000);
        assertThat(Options.parse(new String[] {}).warmup()).isEqualTo(200);
        assertThat(Options.parse(new String[] {"--warmup", "0"}).warmup()).isZero();
        assertThat(Options.parse(new String[] {"--rate", "steady", "--scale", "1"}).ramp(10_000))
                .as("half the shortest conversation").isEqualTo(java.time.Duration.ofMillis(74_500));
        assertThat(Options.parse(new String[] {"--rate", "250"}).ramp(1000)).isEqualTo(java.time.Duration.ofSeconds(4));
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> Options.parse(new String[] {"--rate", "-3"})))
                .hasMessageContaining("positive, or steady");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> Options.parse(new String[] {"--rate", "x"})))
                .hasMessageContaining("not a number");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> Options.parse(new String[] {"--users", "0"})))
                .hasMessageContaining("1..100000");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> Options.parse(new String[] {"--scale"})))
                .hasMessageContaining("needs a value");
        assertThat(Options.parse(new String[] {"--rate", "250"}).stepTimeout(1000))
                .as("20 minutes at time scale 1/10, plus the ramp").isEqualTo(java.time.Duration.ofSeconds(124));
        assertThat(Options.parse(new String[] {"--step-timeout", "180"}).stepTimeout(50_000))
                .isEqualTo(java.time.Duration.ofMinutes(3));
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> Options.parse(new String[] {"--step-timeout", "0"}))).hasMessageContaining("1..86400 seconds");
        assertThat(Options.parse(new String[] {}).maxStreams()).isEqualTo(Options.UNCAPPED_STREAMS);
        assertThat(Options.parse(new String[] {"--http", "2", "--max-streams", "128"}).maxStreams()).isEqualTo(128);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> Options.parse(new String[] {"--max-streams", "128"}))).hasMessageContaining("--http 2");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> Options.parse(new String[] {"--http", "2", "--max-streams", "0"})))
                .hasMessageContaining("1..100000");
    }
}
