package dev.nemobot.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.testing.RecordingPlatform;
import dev.nemobot.simulator.NemoSimulator;
import dev.nemobot.simulator.RecordedRequest;
import java.util.List;
import java.util.Optional;

/** Assertions shared by the end-to-end tests. */
final class Checks {
    private Checks() {
    }

    /** No token and no raw JSON ever reached the user. */
    static void nothingLeaked(RecordingPlatform platform, NemoSimulator sim) {
        List<String> tokens = sim.requests().stream().map(r -> r.header("Authorization"))
                .flatMap(Optional::stream).map(h -> h.replaceFirst("^Bearer ", "")).distinct().toList();
        for (String text : platform.texts()) {
            assertThat(text).doesNotContain("nmv_usr_").doesNotContain("{\"").doesNotContain("\"code\"");
            for (String token : tokens) {
                assertThat(text).doesNotContain(token);
            }
        }
    }

    /** The new turns (not the reconnects) sent to /run_sse, as their bodies. */
    static List<String> turnsSent(NemoSimulator sim) {
        return sim.requests().stream()
                .filter(r -> r.path().equals("/run_sse") && r.header("Last-Event-ID").isEmpty())
                .map(RecordedRequest::bodyText).toList();
    }

    static long count(NemoSimulator sim, String method, String pathPrefix) {
        return sim.requests().stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).count();
    }

    static List<RecordedRequest> requests(NemoSimulator sim, String method, String pathPrefix) {
        return sim.requests().stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).toList();
    }

    static long occurrences(List<String> texts, String needle) {
        return texts.stream().mapToLong(t -> {
            long n = 0;
            for (int i = t.indexOf(needle); i >= 0; i = t.indexOf(needle, i + 1)) {
                n++;
            }
            return n;
        }).sum();
    }
}
