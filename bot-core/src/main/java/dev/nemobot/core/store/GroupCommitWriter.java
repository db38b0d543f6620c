package dev.nemobot.core.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's one writer thread: writes handed to it are applied in order, many to a transaction (group commit), so
 * many callers' writes cost one commit and none queues for SQLite's one writing connection on its own. Bookkeeping
 * writes (turn ends, handled messages) are written behind (the caller does not wait); other writes on SQLite join
 * the next transaction and the caller waits for its commit; on PostgreSQL those run at once on a pooled connection.
 * The writer also runs a periodic write (the lease renewal) every {@code every}. The backlog is bounded. Thread-safe.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int MAX_BATCH = 512;
    /** How long a batch nobody waits for waits for a waited-for write to share its commit with. */
    static final Duration COMPANY = Duration.ofMillis(20);
    /** Put in the queue by {@link #close()} so the writer, waiting for work, sees at once that it is to stop. */
    private static final Write WAKE = c -> {
    };

    /** A write applied on the writer's connection, inside its transaction. */
    interface Write {
        void run(Connection c) throws SQLException;
    }

    private final Database db;
    private final Duration every;
    private final Write periodic;
    private final BlockingQueue<Write> pending = new ArrayBlockingQueue<>(50_000);
    private final Thread writer;
    /** The writer thread's batch in hand (only that thread touches it). */
    private final List<Write> inHand = new ArrayList<>();
    private volatile boolean writerClosed;

    GroupCommitWriter(Database db, Duration every, Write periodic) {
        this.db = db;
        this.every = every;
        this.periodic = periodic;
        // a platform thread: SQLite's native calls would pin a virtual thread's carrier anyway
        this.writer = Thread.ofPlatform().name("nemobot-store-writer").daemon().unstarted(this::drainWrites);
    }

    void start() {
        writer.start();
    }

    /**
     * Hands a bookkeeping write to the writer thread, which applies them in order, many to a transaction: callers
     * never queue on the connection for these, and a crash loses at most the last few tens of milliseconds of them
     * (they wait up to {@link #COMPANY} to share a waited-for write's commit). When the
     * queue is full the caller waits (bounded backlog).
     */
    void writeBehind(Write w) {
        if (writerClosed) {
            db.sql("write", c -> {
                w.run(c);
                return null;
            });
            return;
        }
        try {
            pending.put(w);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while recording", e);
        }
        if (writerClosed && pending.remove(w)) {
            // queued after the writer (or close) took its last: nobody else will apply it (a flush marker has
            // nothing left to wait for)
            if (w instanceof Flush f) {
                f.applied.countDown();
                return;
            }
            db.sql("write", c -> {
                w.run(c);
                return null;
            });
        }
    }

    /**
     * Hands a bookkeeping write to the writer thread without ever waiting: false (nothing queued) when the backlog is
     * full or the writer stopped.
     */
    boolean offer(Write w) {
        return !writerClosed && pending.offer(w);
    }

    /** Waits until every write queued so far is applied (reads of the written-behind tables call it first). */
    void flush() {
        if (writerClosed || Thread.currentThread() == writer) {
            return;
        }
        Flush done = new Flush();
        writeBehind(done);
        try {
            // untimed (a timed wait costs a virtual thread a timer each time): the writer, close() or the writer's
            // end releases every marker queued (see drainWrites)
            done.applied.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A write the caller waits for. On PostgreSQL it runs at once on a pooled connection; on SQLite it joins the
     * writer thread's next transaction (group commit): many callers' writes cost one commit, and none queues for
     * the one connection on its own.
     */
    <T> T write(String what, Database.Sql<T> body) {
        if (db.dialect() == Database.Dialect.POSTGRES || writerClosed || Thread.currentThread() == writer) {
            return db.sql(what, body);
        }
        SyncWrite<T> w = new SyncWrite<>(body);
        try {
            pending.put(w);
            if (writerClosed && pending.remove(w)) {
                // queued after the writer (or close) took its last: nobody else will apply it
                return db.sql(what, body);
            }
            // untimed (a timed wait costs a virtual thread a timer each time, ~12 a conversation): the writer
            // completes every write it takes, close() what is left, and the writer's end all it had not taken
            return w.result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while writing to the store", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re && !(cause instanceof StoreException)) {
                throw re;
            }
            throw new StoreException("Store failed to " + what + ": " + cause.getMessage(), cause);
        }
    }

    private void drainWrites() {
        try {
            drainWritesUntilClosed();
            if (!writerClosed) {
                // interrupted: what is queued is applied here, later writes run on their callers' threads
                List<Write> rest = stopTaking();
                if (!rest.isEmpty()) {
                    applyBatch(rest);
                }
            }
        } catch (RuntimeException | Error e) {
            // not expected (each batch's failures are its writes'): no caller may wait forever for what is queued
            log.error("store: the writer stopped", e);
            List<Write> rest = stopTaking();
            StoreException stopped = new StoreException("the store's writer stopped: " + e, e);
            for (Write w : rest) {
                failed(w, stopped);
                if (w instanceof Flush f) {
                    f.applied.countDown();
                }
            }
        }
    }

    /** Closes the queue to the writer (later writes run on their callers' threads): what it held and what is queued. */
    private List<Write> stopTaking() {
        writerClosed = true;
        List<Write> rest = new ArrayList<>(inHand);
        inHand.clear();
        pending.drainTo(rest);
        rest.removeIf(w -> w == WAKE);
        return rest;
    }

    private void drainWritesUntilClosed() {
        List<Write> batch = inHand;
        // the periodic write is paced in real time (the lease's values come from the clock)
        long period = every.toMillis();
        long nextPeriodic = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(period);
        while (!writerClosed || !pending.isEmpty()) {
            if (System.nanoTime() - nextPeriodic >= 0) {
                nextPeriodic = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(period);
                batch.add(periodic);
            }
            try {
                Write first = pending.poll(Math.min(200, period), TimeUnit.MILLISECONDS);
                if (first != null && first != WAKE) {
                    batch.add(first);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (batch.isEmpty()) {
                continue;
            }
            pending.drainTo(batch, MAX_BATCH - batch.size());
            batch.remove(WAKE);
            if (batch.isEmpty()) {
                continue;
            }
            if (!waitedFor(batch)) {
                try {
                    keepCompany(batch);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    applyBatch(batch);
                    batch.clear();
                    return;
                }
            }
            applyBatch(batch);
            batch.clear();
        }
    }

    /** Whether a caller waits for one of {@code batch}'s writes (a write or a flush marker). */
    private static boolean waitedFor(List<Write> batch) {
        for (Write w : batch) {
            if (w instanceof SyncWrite<?> || w instanceof Flush) {
                return true;
            }
        }
        return false;
    }

    /**
     * A batch nobody waits for (writes behind, the lease renewal) waits up to {@link #COMPANY} for more writes
     * before it commits, so it shares the next waited-for write's commit rather than cost one of its own: at real
     * speed batches are small (a commit syncs the log, ~0.1 ms of CPU on this kind of machine), and a conversation's
     * written-behind turn ends would otherwise be a commit each. It commits at once when a waited-for write arrives,
     * when the batch is full or when the writer stops.
     */
    private void keepCompany(List<Write> batch) throws InterruptedException {
        long until = System.nanoTime() + COMPANY.toNanos();
        while (!writerClosed && batch.size() < MAX_BATCH) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Write next = pending.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            if (next != WAKE) {
                batch.add(next);
            }
            pending.drainTo(batch, MAX_BATCH - batch.size());
            batch.remove(WAKE);
            if (waitedFor(batch)) {
                return;
            }
        }
    }

    private void applyBatch(List<Write> batch) {
        if (onlyFlushes(batch)) {
            // nothing to write, and every write queued before these markers was in an earlier batch, committed (or
            // failed) already: no transaction (a read's flush on an idle writer opened and committed an empty one)
            for (Write w : batch) {
                ((Flush) w).applied.countDown();
            }
            return;
        }
        try (Connection pooled = db.connection()) {
            Connection c = db.cached(pooled);
            c.setAutoCommit(false);
            try {
                for (Write w : batch) {
                    w.run(c);
                }
                c.commit();
                batch.forEach(GroupCommitWriter::committed);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                if (batch.size() == 1) {
                    failed(batch.getFirst(), e);
                } else {
                    // one write spoilt the group: apply each alone, so only that one fails
                    for (Write w : batch) {
                        try {
                            w.run(c);
                            c.commit();
                            committed(w);
                        } catch (SQLException | RuntimeException one) {
                            c.rollback();
                            failed(w, one);
                        }
                    }
                }
            } catch (Error e) {
                // nothing of the batch is committed (turning auto-commit back on would commit it): the writer stops
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            log.warn("store: a batch of {} write(s) failed: {}", batch.size(), e.getMessage());
            batch.forEach(w -> failed(w, e));
        } finally {
            for (Write w : batch) {
                if (w instanceof Flush f) {
                    f.applied.countDown();
                }
            }
        }
    }

    private static boolean onlyFlushes(List<Write> batch) {
        for (Write w : batch) {
            if (!(w instanceof Flush)) {
                return false;
            }
        }
        return true;
    }

    private static void committed(Write w) {
        if (w instanceof SyncWrite<?> sw) {
            complete(sw);
        }
    }

    private static <T> void complete(SyncWrite<T> sw) {
        sw.result.complete(sw.value);
    }

    private static void failed(Write w, Exception e) {
        if (w instanceof SyncWrite<?> sw) {
            sw.result.completeExceptionally(e);
        } else if (!(w instanceof Flush)) {
            log.warn("store: a bookkeeping write was lost: {}", e.getMessage());
        }
    }

    /** Stops the writer: what was queued is still applied; later writes run at once on the caller's thread. */
    @Override
    public void close() {
        writerClosed = true;
        // without it, close waited up to 200 ms for the writer's idle poll to end (a tenth of a second or two on
        // every engine stop; nothing queued behind it is lost: what was queued is still applied)
        pending.offer(WAKE);
        try {
            writer.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Write> rest = new ArrayList<>();
        pending.drainTo(rest); // written while the writer was stopping
        rest.remove(WAKE);
        if (!rest.isEmpty()) {
            applyBatch(rest);
        }
    }

    /** A write whose caller waits: completed once its transaction commits (or with its own failure). */
    private static final class SyncWrite<T> implements Write {
        final Database.Sql<T> body;
        final CompletableFuture<T> result = new CompletableFuture<>();
        T value;

        SyncWrite(Database.Sql<T> body) {
            this.body = body;
        }

        @Override
        public void run(Connection c) throws SQLException {
            value = body.run(c);
        }
    }

    /** A marker in the write queue: released once every write before it is committed. */
    private static final class Flush implements Write {
        final CountDownLatch applied = new CountDownLatch(1);

        @Override
        public void run(Connection c) {
        }
    }
}
