package dev.nemobot.core.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PollScheduleTest {
    private static final Duration INTERVAL = Duration.ofSeconds(30);

    /** A render as nemo-simulator reports it: pending for the first fifth, then linear whole percentages. */
    private record Render(double seconds) {
        OptionalInt progressAt(double t) {
            if (t < seconds / 5) {
                return OptionalInt.of(0);
            }
            return OptionalInt.of((int) Math.max(1, Math.min(99, Math.floor(t * 100 / seconds))));
        }

        boolean doneAt(double t) {
            return t >= seconds;
        }
    }

    /** Polls until done: {polls, delay after completion in seconds}. */
    private static double[] follow(PollSchedule s, Render r) {
        double t = 0;
        OptionalInt progress = OptionalInt.of(0); // the submit answer: pending
        int polls = 0;
        while (true) {
            t += s.next(Duration.ofNanos((long) (t * 1e9)), progress).toNanos() / 1e9;
            polls++;
            if (r.doneAt(t)) {
                return new double[] {polls, t - r.seconds()};
            }
            progress = r.progressAt(t);
        }
    }

    private static double[][] spread(PollSchedule s) {
        double[][] out = new double[61][];
        for (int i = 0; i <= 60; i++) {
            out[i] = follow(s, new Render(30 + i));
        }
        return out;
    }

    private static double median(double[][] runs, int column) {
        double[] v = Arrays.stream(runs).mapToDouble(r -> r[column]).sorted().toArray();
        return v[v.length / 2];
    }

    private static double mean(double[][] runs, int column) {
        return Arrays.stream(runs).mapToDouble(r -> r[column]).average().orElseThrow();
    }

    @Test
    void adaptivePollingDeliversWithinAFifthOfTheFixedDelayWithFewerPolls() {
        double[][] fixed = spread(PollSchedule.fixed(INTERVAL));
        double[][] adaptive = spread(PollSchedule.adaptive(INTERVAL));

        assertThat(median(adaptive, 1)).isLessThanOrEqualTo(median(fixed, 1) / 5);
        assertThat(mean(adaptive, 0)).isLessThan(mean(fixed, 0));
        assertThat(Arrays.stream(adaptive).mapToDouble(r -> r[1]).max().orElseThrow()).isLessThan(5);
        System.out.printf("fixed: median delay %.1f s, %.2f polls; adaptive: median delay %.1f s, %.2f polls%n",
                median(fixed, 1), mean(fixed, 0), median(adaptive, 1), mean(adaptive, 0));
    }

    @Test
    void withoutAProgressFigureAdaptiveBacksOffToTheFixedInterval() {
        PollSchedule s = PollSchedule.adaptive(INTERVAL);
        assertThat(s.next(Duration.ZERO, OptionalInt.empty())).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.next(Duration.ofMillis(20), OptionalInt.of(0))).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.next(Duration.ofSeconds(15), OptionalInt.empty())).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.next(Duration.ofMinutes(5), OptionalInt.empty())).isEqualTo(INTERVAL);
    }

    @Test
    void aPredictionIsClampedBetweenAFifteenthAndTwiceTheInterval() {
        PollSchedule s = PollSchedule.adaptive(INTERVAL);
        assertThat(s.next(Duration.ofSeconds(60), OptionalInt.of(99))).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.next(Duration.ofSeconds(10), OptionalInt.of(1))).isEqualTo(INTERVAL.multipliedBy(2));
        // a quarter done after 15 s: 45 s to go, plus the 1 s margin, more than one interval
        assertThat(s.next(Duration.ofSeconds(15), OptionalInt.of(25))).isEqualTo(Duration.ofSeconds(46));
        // half done after 20 s: 20 s to go, plus the 1 s margin
        assertThat(s.next(Duration.ofSeconds(20), OptionalInt.of(50))).isEqualTo(Duration.ofSeconds(21));
    }

    @Test
    void fixedIsFixed() {
        PollSchedule s = PollSchedule.fixed(INTERVAL);
        assertThat(s.next(Duration.ZERO, OptionalInt.empty())).isEqualTo(INTERVAL);
        assertThat(s.next(Duration.ofSeconds(45), OptionalInt.of(99))).isEqualTo(INTERVAL);
    }

    @Test
    void theTimeLeftShownToTheUserIsTheLinearPrediction() {
        assertThat(PollSchedule.remaining(Duration.ofSeconds(20), OptionalInt.of(40))).contains(Duration.ofSeconds(30));
        assertThat(PollSchedule.remaining(Duration.ofSeconds(20), OptionalInt.of(50))).contains(Duration.ofSeconds(20));
        assertThat(PollSchedule.remaining(Duration.ofSeconds(20), OptionalInt.empty())).isEmpty();
        assertThat(PollSchedule.remaining(Duration.ofSeconds(20), OptionalInt.of(0))).isEmpty();
        assertThat(PollSchedule.remaining(Duration.ofSeconds(20), OptionalInt.of(100))).isEmpty();
        assertThat(PollSchedule.remaining(Duration.ZERO, OptionalInt.of(30))).isEmpty();
    }
}
