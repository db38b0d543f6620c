package dev.nemobot.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A process's CPU time by native thread, from Linux's {@code /proc/<pid>/task/<tid>/stat}: where the engine JVM's
 * CPU goes besides the code a profiler samples (the collector's threads, the JIT compilers, the carrier threads of
 * the virtual threads, OkHttp's readers). Empty where there is no /proc.
 */
final class ThreadCpu {
    /** Clock ticks a second of /proc's utime and stime: 100 on every Linux this runs on (USER_HZ). */
    private static final double TICKS_PER_SECOND = 100.0;

    private ThreadCpu() {
    }

    /** A thread's kind (its name with digits and '#' dropped) and its CPU ticks so far, by thread id. */
    record Sample(String kind, long ticks) {
    }

    static Map<Integer, Sample> snapshot(Path tasks) {
        Map<Integer, Sample> out = new HashMap<>();
        try (Stream<Path> dirs = Files.list(tasks)) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                try {
                    String stat = Files.readString(d.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String[] f = stat.substring(close + 2).split(" ");
                    // after the name: state(0) ppid ... utime is field 14 of the whole line, i.e. index 11 here
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    String kind = stat.substring(open + 1, close).replaceAll("[0-9#]+", "").strip();
                    out.put(Integer.parseInt(d.getFileName().toString()), new Sample(kind, ticks));
                } catch (IOException | RuntimeException e) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return Map.of();
        }
        return out;
    }

    /** The CPU nanoseconds each kind of thread used between two snapshots. */
    static Map<String, Long> between(Map<Integer, Sample> before, Map<Integer, Sample> after) {
        Map<String, Long> by = new TreeMap<>();
        after.forEach((tid, s) -> {
            Sample b = before.get(tid);
            long used = s.ticks() - (b != null && b.kind().equals(s.kind()) ? b.ticks() : 0);
            by.merge(s.kind().isEmpty() ? "?" : s.kind(), Math.max(0, used) * (long) (1e9 / TICKS_PER_SECOND),
                    Long::sum);
        });
        return by;
    }

    /** The JIT compilers' share ("C1 CompilerThread0", "C2 CompilerThread1"): a cost of the JVM's start, not of
     *  the conversations, which a longer-running process spreads over ever more of them. */
    static long compilers(Map<String, Long> byKind) {
        return byKind.entrySet().stream().filter(e -> e.getKey().contains("CompilerThre"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** The largest kinds first: "ForkJoinPool-- 72.7 s, nemobot-store-w 26.2 s, ..." (names as Linux keeps them,
     *  15 characters, digits dropped). */
    static String describe(Map<String, Long> byKind, int most) {
        return byKind.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(most)
                .map(e -> String.format(Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue() / 1e9))
                .collect(Collectors.joining(", "));
    }
}
