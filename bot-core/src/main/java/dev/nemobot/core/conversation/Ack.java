package dev.nemobot.core.conversation;

import dev.nemobot.core.chat.Action;

/**
 * The message that acknowledges a request at once ("Uploading…", "Working on it…") with a Cancel button, and
 * then becomes the first reply: the turn's streamed answer, or the first thing said after it. Used on the
 * request's own thread only.
 */
final class Ack {
    private final Replier to;
    private final LiveMessage live;
    private boolean consumed;

    Ack(Replier to) {
        this(to, to.live().withButtons(Action.CANCEL));
    }

    /** An acknowledgement in a message shown already: a batch's, for each of its takes in turn. */
    Ack(Replier to, LiveMessage live) {
        this.to = to;
        this.live = live;
    }

    LiveMessage live() {
        return live;
    }

    /** Shows {@code text} in the acknowledgement (sending it if not yet shown), unless something replaced it. */
    void show(String text) {
        if (!consumed) {
            live.placeholder(text);
        }
    }

    /** Says {@code text}: in place of the acknowledgement the first time, as a new message after that. */
    void say(String text, Action... actions) {
        if (!consumed && live.started()) {
            consumed = true;
            live.finish(text, actions);
        } else {
            to.say(text, actions);
        }
    }

    /** Marks the acknowledgement as replaced (by the turn's streamed answer). */
    void consume() {
        consumed = true;
    }

    boolean consumed() {
        return consumed;
    }

    /** An acknowledgement nothing replaced (the request was cancelled or failed) ends as {@code text}. */
    void close(String text) {
        if (!consumed && live.started()) {
            consumed = true;
            live.finish(text);
        }
    }
}
