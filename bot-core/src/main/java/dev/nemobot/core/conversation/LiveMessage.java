package dev.nemobot.core.conversation;

import dev.nemobot.core.work.Pause;
import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.MessageRef;
import dev.nemobot.core.work.Cancellation;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One message shown and then edited in place: streamed text or export progress. The first {@link #update} sends it;
 * later ones edit it as progress ({@code ChatPlatform#progress}: the platform shares its channel's rate limit among
 * the channel's messages), at most once per {@link EditGate} slot of this message (updates in between are coalesced
 * and shown by the next {@link #flush} or update). {@link #finish} waits for a slot and always shows the final text,
 * as a final state ({@code ChatPlatform#edit}).
 * Thread-safe; a ReentrantLock rather than a monitor, since platform calls block (no pinned virtual threads).
 */
public final class LiveMessage {
    private final Replier replier;
    private final EditGate gate;
    private final Pause pause;
    private final ReentrantLock lock = new ReentrantLock();
    private MessageRef ref;
    private String shown;
    private String pending;
    /** The buttons shown while the message is live (Cancel, Status under a progress message); gone at finish. */
    private List<Action> buttons = List.of();
    /** True while the message shows only an acknowledgement ("Working on it…"), which the next text replaces at once. */
    private boolean placeholder;
    /** Shown above every text ("3 images: 3 takes, in order. Take 2 of 3:"), or "" for none. */
    private String heading = "";

    LiveMessage(Replier replier, EditGate gate, Pause pause) {
        this.replier = replier;
        this.gate = gate;
        this.pause = pause;
    }

    /** Shows {@code actions} under the message while it is updated (not after {@link #finish}); returns this. */
    public LiveMessage withButtons(Action... actions) {
        lock.lock();
        try {
            buttons = List.of(actions);
            return this;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Shows {@code heading} above every text from now on (a batch's acknowledgement above the take running now), and
     * lets the next acknowledgement ({@link #placeholder}) or text replace what the message shows at once: a new
     * part of the work starts in the same message.
     */
    void heading(String heading) {
        lock.lock();
        try {
            this.heading = heading == null ? "" : heading;
            pending = null;
            shown = null;
            placeholder = ref != null;
        } finally {
            lock.unlock();
        }
    }

    /** {@code text} under the heading, if any. */
    private String headed(String text) {
        return heading.isEmpty() ? text : heading + "\n\n" + text;
    }

    /** Goes on with a message shown before (an export resumed after a restart): later updates edit it. */
    public void adopt(MessageRef existing) {
        lock.lock();
        try {
            if (ref == null) {
                ref = existing;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Shows an acknowledgement ("Uploading…", "Working on it…") at once, without taking the conversation's edit slot:
     * it is said the moment a request is accepted, and the first real text ({@link #update} or {@link #finish})
     * replaces it at once too, so it never delays the answer. Ignored once real text was shown.
     */
    void placeholder(String text) {
        lock.lock();
        try {
            if (text == null || text.isBlank() || text.equals(shown) || (ref != null && !placeholder)) {
                return;
            }
            if (ref == null) {
                ref = replier.say(headed(text), buttons.toArray(Action[]::new)).orElse(null);
            } else {
                replier.edit(ref, headed(text), buttons);
            }
            shown = text;
            placeholder = ref != null;
        } finally {
            lock.unlock();
        }
    }

    /** Shows {@code text} now or at the next free slot; blank text is ignored. */
    public void update(String text) {
        lock.lock();
        try {
            if (text == null || text.isBlank() || text.equals(shown)) {
                pending = null;
                return;
            }
            if (placeholder) {
                // the first text replaces the acknowledgement at once
                placeholder = false;
                replier.edit(ref, headed(text), buttons);
                shown = text;
                pending = null;
                gate.tryAcquire(this);
                return;
            }
            if (ref == null) {
                ref = replier.say(headed(text), buttons.toArray(Action[]::new)).orElse(null);
                shown = text;
                gate.tryAcquire(this);
                return;
            }
            pending = text;
            flushLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Shows the latest update if the conversation's edit slot is free. */
    void flush() {
        lock.lock();
        try {
            flushLocked();
        } finally {
            lock.unlock();
        }
    }

    private void flushLocked() {
        if (pending != null && ref != null && gate.tryAcquire(this)) {
            replier.progress(ref, headed(pending), buttons);
            shown = pending;
            pending = null;
        }
    }

    /** Shows the final {@code text} (sending it if nothing was shown yet), waiting for the edit slot. */
    public void finish(String text, Action... actions) {
        lock.lock();
        try {
            pending = null;
            if (ref == null) {
                ref = replier.say(headed(text), actions).orElse(null);
                shown = text;
                return;
            }
            if (placeholder) {
                placeholder = false;
                replier.edit(ref, headed(text), List.of(actions));
                shown = text;
                gate.tryAcquire(this);
                return;
            }
            if (text.equals(shown) && actions.length == 0 && buttons.isEmpty()) {
                return;
            }
            pause.sleep(gate.reserve(this), new Cancellation());
            replier.edit(ref, headed(text), List.of(actions));
            shown = text;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes this message the video it was about (see {@code ChatPlatform#finishWithVideo}), as a final state after a
     * wait for the edit slot: no update of this message made before is shown after it. Sends the
     * video as a new message when nothing was shown yet.
     *
     * @param folded   what this message says if the platform keeps it beside the video
     * @param resultId the delivered result the video's buttons act on
     * @return the message that carries the video
     * @throws dev.nemobot.core.chat.VideoRejectedException when the platform will not take it (this message is then
     *         as it was, or shows {@code folded}: {@link #finish} it with the link)
     */
    public MessageRef finishWithVideo(String folded, java.nio.file.Path mp4, String caption,
                                      java.util.Optional<String> resultId, Action... actions) {
        lock.lock();
        try {
            pending = null;
            if (ref == null) {
                return replier.sendVideo(mp4, caption, resultId, actions);
            }
            if (placeholder) {
                placeholder = false;
            } else {
                pause.sleep(gate.reserve(this), new Cancellation());
            }
            MessageRef video = replier.finishWithVideo(ref, folded, mp4, caption, resultId, actions);
            shown = caption;
            return video;
        } finally {
            lock.unlock();
        }
    }

    public boolean started() {
        lock.lock();
        try {
            return ref != null;
        } finally {
            lock.unlock();
        }
    }

    public Optional<MessageRef> ref() {
        lock.lock();
        try {
            return Optional.ofNullable(ref);
        } finally {
            lock.unlock();
        }
    }
}
