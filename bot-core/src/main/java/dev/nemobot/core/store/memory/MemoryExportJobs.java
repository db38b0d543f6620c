package dev.nemobot.core.store.memory;

import dev.nemobot.core.store.ExportJobs;
import dev.nemobot.core.store.PendingExport;
import dev.nemobot.core.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link ExportJobs} in memory, for one instance: the states, ownership and delivery rules of the shared table, with
 * no other instance to take jobs over (a released job is taken by the next claim). Finished jobs are kept a week
 * (forgotten when room is needed); past {@code maxJobs} unfinished ones a new job is refused
 * ({@link StoreException}). Thread-safe.
 */
final class MemoryExportJobs implements ExportJobs {
    private static final Duration KEEP_FINISHED = Duration.ofDays(7);

    private enum State { RENDERING, DELIVERING, DELIVERED, ENDED }

    private static final class Row {
        final PendingExport export;
        String owner;
        State state = State.RENDERING;
        Instant finishedAt;

        Row(PendingExport export, String owner) {
            this.export = export;
            this.owner = owner;
        }

        boolean unfinished() {
            return state == State.RENDERING || state == State.DELIVERING;
        }
    }

    private final String instance;
    private final Clock clock;
    private final int maxJobs;
    private final Map<String, Row> rows = new HashMap<>();

    public MemoryExportJobs(String instance, Clock clock, int maxJobs) {
        this.instance = instance;
        this.clock = clock;
        this.maxJobs = maxJobs;
    }

    @Override
    public synchronized void save(PendingExport export) {
        Row row = rows.get(export.renderId());
        if (row == null) {
            if (rows.size() >= maxJobs) {
                pruneFinished();
            }
            if (rows.size() >= maxJobs) {
                throw new StoreException("Store failed to save export: the in-memory store is full (" + maxJobs
                        + " jobs)", null);
            }
            rows.put(export.renderId(), new Row(export, instance));
            return;
        }
        // as the table's upsert: the job's data stays, it is this instance's and rendering again
        row.owner = instance;
        row.state = State.RENDERING;
        row.finishedAt = null;
    }

    /** Forgets the jobs finished over a week ago. */
    public synchronized void pruneFinished() {
        Instant before = clock.instant().minus(KEEP_FINISHED);
        rows.values().removeIf(r -> r.finishedAt != null && r.finishedAt.isBefore(before));
    }

    /** Forgets every job, running or finished, of {@code platform}'s user {@code userId}; how many there were. */
    synchronized int removeUser(String platform, String userId) {
        int before = rows.size();
        rows.values().removeIf(r -> r.export.user().platform().equals(platform) && r.export.user().id().equals(userId));
        return before - rows.size();
    }

    @Override
    public synchronized void remove(String renderId) {
        rows.remove(renderId);
    }

    @Override
    public synchronized boolean startDelivery(String renderId) {
        Row row = rows.get(renderId);
        if (row == null || !instance.equals(row.owner) || !row.unfinished()) {
            return false;
        }
        row.state = State.DELIVERING;
        return true;
    }

    @Override
    public synchronized void finish(String renderId, boolean delivered) {
        Row row = rows.get(renderId);
        if (row != null && (row.owner == null || instance.equals(row.owner))) {
            row.state = delivered ? State.DELIVERED : State.ENDED;
            row.finishedAt = clock.instant();
            row.owner = null;
        }
    }

    @Override
    public synchronized Optional<String> state(String renderId) {
        return Optional.ofNullable(rows.get(renderId)).map(r -> r.state.name().toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public synchronized boolean runningElsewhere(String sessionId) {
        return false; // no other instance
    }

    @Override
    public synchronized List<PendingExport> claim(String platform, boolean includeOwn, int max) {
        List<Row> free = rows.values().stream()
                .filter(r -> r.unfinished() && r.export.conversation().platform().equals(platform))
                .filter(r -> r.owner == null || includeOwn && instance.equals(r.owner))
                .sorted(Comparator.comparing(r -> r.export.submittedAt()))
                .limit(max)
                .toList();
        List<PendingExport> out = new ArrayList<>(free.size());
        for (Row r : free) {
            r.owner = instance;
            out.add(r.export);
        }
        return out;
    }

    @Override
    public synchronized void release(String renderId) {
        Row row = rows.get(renderId);
        if (row != null && instance.equals(row.owner)) {
            row.owner = null;
        }
    }

    @Override
    public synchronized List<PendingExport> pending(String platform) {
        return rows.values().stream()
                .filter(r -> r.unfinished() && r.export.conversation().platform().equals(platform))
                .map(r -> r.export)
                .sorted(Comparator.comparing(PendingExport::submittedAt))
                .toList();
    }
}
