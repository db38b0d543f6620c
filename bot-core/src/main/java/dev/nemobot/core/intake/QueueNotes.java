package dev.nemobot.core.intake;

import dev.nemobot.core.conversation.LiveMessage;
import dev.nemobot.core.conversation.Replier;
import dev.nemobot.core.lane.LaneRunner;
import dev.nemobot.core.lane.ShortTasks;
import dev.nemobot.core.text.Messages;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One note per user about their messages waiting behind their running request ("I'm still working on your last
 * request. 2 more messages are queued…"), sent when the first one is queued and edited in place as more are queued
 * and as they start, until none waits ("Your queued messages have all been taken up."). Each update shows the
 * lane's count at that moment, so updates that run out of order still end on the truth. A note exists only while
 * the user has messages waiting (at most one per lane). Thread-safe; updates run on virtual threads of their own,
 * never on the lane's.
 */
final class QueueNotes {
    private final LaneRunner lanes;
    private final ShortTasks tasks;
    private final ConcurrentHashMap<String, Note> notes = new ConcurrentHashMap<>();

    QueueNotes(LaneRunner lanes, ShortTasks tasks) {
        this.lanes = lanes;
        this.tasks = tasks;
    }

    /** The user's note, edited in the conversation where their first waiting message was written. */
    private static final class Note {
        /** A lock rather than a monitor: platform calls block (no pinned virtual threads). */
        final ReentrantLock lock = new ReentrantLock();
        final Messages messages;
        final LiveMessage message;
        boolean closed;

        Note(Replier to) {
            this.messages = to.messages();
            this.message = to.live();
        }
    }

    /** A message of the user's was queued behind their running one (called on a virtual thread of its own). */
    void queued(Replier to) {
        String key = to.user().key();
        Note note = notes.computeIfAbsent(key, k -> new Note(to));
        show(key, note);
    }

    /** One of the user's messages starts: their note, if they have one, is brought up to date (never waits). */
    void started(String key) {
        Note note = notes.get(key);
        if (note != null) {
            tasks.spawn(() -> show(key, note));
        }
    }

    /** The user cancelled: what waited was dropped, and the note says it stopped. */
    void cancelled(String key) {
        Note note = notes.remove(key);
        if (note == null) {
            return;
        }
        note.lock.lock();
        try {
            if (!note.closed && note.message.started()) {
                note.message.finish(note.messages.stopped());
            }
            note.closed = true;
        } finally {
            note.lock.unlock();
        }
    }

    private void show(String key, Note note) {
        note.lock.lock();
        try {
            if (note.closed) {
                return;
            }
            int waiting = lanes.waiting(key);
            if (waiting > 0) {
                note.message.finish(note.messages.queueNote(waiting));
                return;
            }
            note.closed = true;
            notes.remove(key, note);
            if (note.message.started()) {
                note.message.finish(note.messages.queueNoteDone());
            }
        } finally {
            note.lock.unlock();
        }
    }
}
