package dev.nemobot.core.lane;

import dev.nemobot.core.work.Cancellation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One lane per user: at most one job runs, at most {@code capacity} wait (counted in places: a batch of images takes
 * one per take, see {@link Job#places}). A lane exists only while it has work
 * (removed when idle), so the map holds active users only. Every change happens inside
 * {@link ConcurrentHashMap#compute}, which makes admission, hand-over and removal atomic. Thread-safe.
 */
final class Lanes<J extends Lanes.Job> {
    /** A unit of work in a lane; its cancellation stops it. */
    public interface Job {
        Cancellation cancellation();

        /**
         * The places this job takes in its lane: 1, or a batch's takes still to run (each take counts as a message
         * of its own: the first may run, the others wait). Read inside the lane's {@code compute}: cheap, no I/O.
         */
        default int places() {
            return 1;
        }
    }

    public sealed interface Admission {
        record Started() implements Admission {
        }

        record Queued(int position) implements Admission {
        }

        /** Not admitted: only {@code room} places were free (a single message needs 1, a batch one per take). */
        record Rejected(int room) implements Admission {
        }
    }

    private static final class Lane<J> {
        J running;
        final ArrayDeque<J> waiting = new ArrayDeque<>();
    }

    private final ConcurrentHashMap<String, Lane<J>> lanes = new ConcurrentHashMap<>();
    private final int capacity;

    public Lanes(int capacity) {
        this.capacity = capacity;
    }

    public Admission offer(String key, J job) {
        Admission[] out = new Admission[1];
        lanes.compute(key, (k, lane) -> {
            if (lane == null) {
                lane = new Lane<>();
            }
            int room = lane.running == null ? capacity + 1 : capacity - waitingPlaces(lane);
            if (job.places() > room) {
                out[0] = new Admission.Rejected(Math.max(0, room));
            } else if (lane.running == null) {
                lane.running = job;
                out[0] = new Admission.Started();
            } else {
                lane.waiting.addLast(job);
                out[0] = new Admission.Queued(lane.waiting.size());
            }
            return lane;
        });
        return out[0];
    }

    /** The places taken behind the running job's own: the waiting jobs', and the running batch's takes still to come. */
    private static <J extends Job> int waitingPlaces(Lane<J> lane) {
        int n = lane.running == null ? 0 : Math.max(0, lane.running.places() - 1);
        for (J j : lane.waiting) {
            n += j.places();
        }
        return n;
    }

    /** Called when the running job ended: the next job (now running), or null when the lane is idle (removed). */
    public J next(String key) {
        List<J> out = new ArrayList<>(1);
        lanes.computeIfPresent(key, (k, lane) -> {
            lane.running = lane.waiting.pollFirst();
            if (lane.running == null) {
                return null;
            }
            out.add(lane.running);
            return lane;
        });
        return out.isEmpty() ? null : out.getFirst();
    }

    /** Lanes with a running job (users being served) now; a scan, for metrics. */
    public int running() {
        return lanes.size();
    }

    /** Jobs waiting in all lanes now; a scan, for metrics. */
    public int waiting() {
        int n = 0;
        for (Lane<J> lane : lanes.values()) {
            n += lane.waiting.size();
        }
        return n;
    }

    /** Jobs waiting in the lane {@code key} now. */
    public int waiting(String key) {
        int[] n = new int[1];
        lanes.computeIfPresent(key, (k, lane) -> {
            n[0] = lane.waiting.size();
            return lane;
        });
        return n[0];
    }

    public boolean busy(String key) {
        return lanes.containsKey(key);
    }

    /** Cancels the running job and drops the waiting ones. */
    public Cancelled cancel(String key) {
        List<J> running = new ArrayList<>(1);
        List<J> dropped = new ArrayList<>();
        lanes.computeIfPresent(key, (k, lane) -> {
            dropped.addAll(lane.waiting);
            lane.waiting.clear();
            if (lane.running != null) {
                running.add(lane.running);
            }
            return lane;
        });
        // cancel outside compute: cancellation hooks may do I/O
        running.forEach(j -> j.cancellation().cancel());
        return new Cancelled(!running.isEmpty(), List.copyOf(dropped));
    }

    /** Cancels everything (shutdown). */
    public void cancelAll() {
        for (String key : List.copyOf(lanes.keySet())) {
            cancel(key);
        }
    }

    public record Cancelled(boolean wasRunning, List<? extends Job> dropped) {
    }
}
