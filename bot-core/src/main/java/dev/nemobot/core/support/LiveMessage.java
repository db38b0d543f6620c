package dev.nemobot.core.support;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.MessageRef;
import dev.nemobot.core.nemo.Cancellation;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * One message shown and then edited in place: streamed text or export progress. The first {@link #update} sends it;
 * later ones edit it, at most once per {@link EditGate} slot of the conversation (updates in between are coalesced
 * and shown by the next {@link #flush} or update). {@link #finish} waits for a slot and always shows the final text.
 * Thread-safe.
 */
public final class LiveMessage {
    private final Replier replier;
    private final EditGate gate;
    private final Pause pause;
    private final Clock clock;
    private MessageRef ref;
    private String shown;
    private String pending;

    LiveMessage(Replier replier, EditGate gate, Pause pause, Clock clock) {
        this.replier = replier;
        this.gate = gate;
        this.pause = pause;
        this.clock = clock;
    }

    /** Shows {@code text} now or at the next free slot; blank text is ignored. */
    public synchronized void update(String text) {
        if (text == null || text.isBlank() || text.equals(shown)) {
            pending = null;
            return;
        }
        if (ref == null) {
            ref = replier.say(text).orElse(null);
            shown = text;
            gate.tryAcquire(replier.conversation());
            return;
        }
        pending = text;
        flush();
    }

    /** Shows the latest update if the conversation's edit slot is free. */
    public synchronized void flush() {
        if (pending != null && ref != null && gate.tryAcquire(replier.conversation())) {
            replier.edit(ref, pending, List.of());
            shown = pending;
            pending = null;
        }
    }

    /** Shows the final {@code text} (sending it if nothing was shown yet), waiting for the edit slot. */
    public void finish(String text, Action... actions) {
        MessageRef target;
        synchronized (this) {
            pending = null;
            if (ref == null) {
                ref = replier.say(text, actions).orElse(null);
                shown = text;
                return;
            }
            if (text.equals(shown) && actions.length == 0) {
                return;
            }
            target = ref;
        }
        pause.sleep(gate.reserve(replier.conversation()), new Cancellation());
        synchronized (this) {
            replier.edit(target, text, List.of(actions));
            shown = text;
        }
    }

    public synchronized boolean started() {
        return ref != null;
    }

    public synchronized Optional<MessageRef> ref() {
        return Optional.ofNullable(ref);
    }

    Clock clock() {
        return clock;
    }
}
