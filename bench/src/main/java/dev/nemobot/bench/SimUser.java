package dev.nemobot.bench;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Attachment;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.chat.Incoming;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToLongFunction;

/**
 * One simulated person: sends an image, waits for the acknowledgement, sends a prompt, waits for the answer with
 * its Export button, sends "export" and waits for the video. Each step's figures are taken on the engine's thread
 * at the moment the awaited reply reaches the platform. Platform callbacks complete one future per step; the next
 * step is sent from a short-lived virtual thread, so a user waiting for the engine holds no thread of its own (a
 * parked thread per user, with its stack, was a tenth of the engine JVM's live heap per conversation: issue 24,
 * docs/benchmark.md).
 */
final class SimUser {
    enum Step { UPLOAD, PROMPT, EXPORT }

    private final int index;
    private final ChatUser user;
    private final Conversation conversation;
    private final byte[] image;
    private final ToLongFunction<String> renderNanos;
    private volatile Step step;
    private volatile long stepStart;
    private volatile CompletableFuture<Void> waiting = new CompletableFuture<>();
    private volatile boolean acked;

    /** Engine time (reply reached the platform minus the sent time minus backend time on the engine's thread). */
    final long[] addedNanos = new long[Step.values().length];
    final long[] wallNanos = new long[Step.values().length];
    /** The export acknowledgement ("Rendering…"): added time before it. */
    volatile long exportAckAddedNanos = -1;
    volatile long deliveryDelayNanos = -1;
    volatile String renderId;
    volatile long startNanos;
    /** When the video arrived, or the user failed. */
    volatile long endNanos;
    volatile String failure;
    private volatile String lastText = "";
    private static final int LAST_TEXT_KEPT = 160;

    SimUser(int index, byte[] image, ToLongFunction<String> renderNanos) {
        this.index = index;
        this.user = new ChatUser(BenchPlatform.NAME, "u" + index, "User " + index, Locale.ENGLISH);
        this.conversation = new Conversation(BenchPlatform.NAME, "dm-u" + index, false);
        this.image = image;
        this.renderNanos = renderNanos;
    }

    Conversation conversation() {
        return conversation;
    }

    /**
     * Starts the whole conversation on the calling thread (its first message) and returns at once; {@code done}
     * completes when the video arrived, a step failed or timed out. The later steps are sent from fresh virtual
     * threads started by {@code steps}.
     */
    CompletableFuture<Void> start(Inbox inbox, Duration stepTimeout, Executor steps) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        startNanos = System.nanoTime();
        Step[] order = Step.values();
        step(0, order, inbox, stepTimeout, steps, done);
        return done;
    }

    /**
     * The user's {@code i}th message, made when it is sent: a user holds none of them while the engine works (at
     * N=50 000 three messages each were some 20 MB of the engine JVM's heap).
     */
    private Incoming message(int i) {
        return switch (i) {
            case 0 -> new Incoming("m" + index + "-1", user, conversation, "", List.of(new Attachment("photo.png",
                    "image/png", image.length, () -> new ByteArrayInputStream(image))));
            case 1 -> new Incoming("m" + index + "-2", user, conversation,
                    "animate this image into a 5-second video with smooth motion", List.of());
            default -> new Incoming("m" + index + "-3", user, conversation, "export", List.of());
        };
    }

    private void step(int i, Step[] order, Inbox inbox, Duration timeout, Executor steps,
                      CompletableFuture<Void> done) {
        Step s = order[i];
        CompletableFuture<Void> f = new CompletableFuture<>();
        waiting = f;
        step = s;
        stepStart = System.nanoTime();
        try {
            inbox.accept(message(i));
        } catch (RuntimeException e) {
            failure = e.getMessage();
            endNanos = System.nanoTime();
            done.complete(null);
            return;
        }
        f.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenCompleteAsync((ok, error) -> {
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
                failure = cause instanceof TimeoutException
                        ? "timed out in step " + step + "; last saw: " + lastText.replace('\n', ' ')
                        : cause.getMessage();
                endNanos = System.nanoTime(); // under way until they gave up
                done.complete(null);
            } else if (i + 1 < order.length) {
                step(i + 1, order, inbox, timeout, steps, done);
            } else {
                endNanos = System.nanoTime();
                done.complete(null);
            }
        }, steps);
    }

    /** Called on the engine's thread. */
    void onText(String text, List<Action> actions) {
        // what the user last saw, for a failure's reason: its start only (the engine's answers are long, and a user
        // keeps this until the end of the run)
        lastText = text.length() <= LAST_TEXT_KEPT ? text : text.substring(0, LAST_TEXT_KEPT) + "…";
        Step s = step;
        if (s == null) {
            return;
        }
        switch (s) {
            case UPLOAD -> {
                // "Uploading…" (with Cancel) comes at once; the step ends with what came of the upload: "Uploaded"
                // with the options button, or why not (a person told so would not go on with the prompt)
                if (actions.contains(Action.OPTIONS)) {
                    finish(s);
                } else if (!actions.contains(Action.CANCEL)) {
                    waiting.completeExceptionally(
                            new IllegalStateException("upload failed: " + lastText.replace('\n', ' ')));
                }
            }
            case PROMPT -> {
                if (actions.contains(Action.EXPORT)) {
                    finish(s);
                }
            }
            case EXPORT -> {
                if (!acked) {
                    acked = true;
                    exportAckAddedNanos = added();
                }
                if (actions.contains(Action.EXPORT)) {
                    // the export ended with a retry button: it failed or timed out
                    waiting.completeExceptionally(new IllegalStateException("export failed: " + text));
                } else if (text.contains("http")) {
                    waiting.completeExceptionally(new IllegalStateException("export ended with a link, not a video"));
                }
            }
        }
    }

    /** Called on the export's thread, which submitted the render. */
    void onVideo(long size) {
        BackendTally.ThreadTally t = BackendTally.tally();
        long now = System.nanoTime();
        if (t.renderId != null) {
            renderId = t.renderId;
            deliveryDelayNanos = now - (t.submittedNanos + renderNanos.applyAsLong(t.renderId));
        }
        if (size <= 0) {
            waiting.completeExceptionally(new IllegalStateException("empty video"));
            return;
        }
        finish(Step.EXPORT);
    }

    private long added() {
        long wall = System.nanoTime() - stepStart;
        return wall - BackendTally.tally().backendNanos;
    }

    private void finish(Step s) {
        if (waiting.isDone()) {
            return;
        }
        wallNanos[s.ordinal()] = System.nanoTime() - stepStart;
        addedNanos[s.ordinal()] = added();
        waiting.complete(null);
    }
}
