package dev.nemobot.core.store;

import java.util.List;
import java.util.Optional;

/**
 * Export (render) jobs from before they are submitted until they are delivered, held under this instance's lease so
 * that another instance takes over the jobs of one that stopped or died. Thread-safe; every call is short.
 *
 * @throws StoreException from every method when the storage fails
 */
public interface ExportJobs {

    /** Records a job (before it is submitted), held by this instance. */
    void save(PendingExport export);

    /** Forgets a job that was never submitted under this id. */
    void remove(String renderId);

    /**
     * Marks the job as being delivered by this instance: true when it still holds the job (no other instance took it
     * over) and nobody delivered it yet. Only then may the video be sent.
     */
    boolean startDelivery(String renderId);

    /** The job is over: delivered, or ended otherwise (failed, timed out, nothing to export). Kept a week. */
    void finish(String renderId, boolean delivered);

    /** {@code rendering}, {@code delivering}, {@code delivered} or {@code ended}; empty when unknown. */
    Optional<String> state(String renderId);

    /** True when another live instance is rendering or delivering an export of {@code sessionId}. */
    boolean runningElsewhere(String sessionId);

    /**
     * Takes over at most {@code max} unfinished jobs of {@code platform}'s conversations whose instance stopped or
     * died (another instance's lease has lapsed), oldest first; with {@code includeOwn} (at start) also those held in
     * this instance's name before a restart. Without it, this instance's own jobs are never taken: they are running
     * here. The jobs taken are this instance's from now on.
     */
    List<PendingExport> claim(String platform, boolean includeOwn, int max);

    /** Gives a claimed job back (this instance cannot deliver it): the next instance to look takes it. */
    void release(String renderId);

    /** Every unfinished job of {@code platform}'s conversations, whoever holds it (a read, for tests and tools). */
    List<PendingExport> pending(String platform);
}
