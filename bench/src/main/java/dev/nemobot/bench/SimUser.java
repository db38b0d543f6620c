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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToLongFunction;

/**
 * One simulated person: sends an image, waits for the acknowledgement, sends a prompt, waits for the answer with
 * its Export button, sends "export" and waits for the video. Each step's figures are taken on the engine's thread
 * at the moment the awaited reply reaches the platform. Platform callbacks and the user's own thread meet through
 * one future per step.
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
    volatile long endNanos;
    volatile String failure;
    private volatile String lastText = "";

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

    /** The whole conversation; returns when the video arrived, a step failed or timed out. */
    void run(Inbox inbox, Duration stepTimeout) {
        startNanos = System.nanoTime();
        try {
            Attachment png = new Attachment("photo.png", "image/png", image.length,
                    () -> new ByteArrayInputStream(image));
            step(Step.UPLOAD, inbox, new Incoming("m" + index + "-1", user, conversation, "", List.of(png)),
                    stepTimeout);
            step(Step.PROMPT, inbox, new Incoming("m" + index + "-2", user, conversation,
                    "animate this image into a 5-second video with smooth motion", List.of()), stepTimeout);
            step(Step.EXPORT, inbox, new Incoming("m" + index + "-3", user, conversation, "export", List.of()),
                    stepTimeout);
            endNanos = System.nanoTime();
        } catch (TimeoutException e) {
            failure = "timed out in step " + step + "; last saw: " + lastText.replace('\n', ' ');
        } catch (ExecutionException e) {
            failure = e.getCause().getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        }
    }

    private void step(Step s, Inbox inbox, Incoming message, Duration timeout)
            throws TimeoutException, ExecutionException, InterruptedException {
        CompletableFuture<Void> f = new CompletableFuture<>();
        waiting = f;
        step = s;
        stepStart = System.nanoTime();
        inbox.accept(message);
        f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Called on the engine's thread. */
    void onText(String text, List<Action> actions) {
        lastText = text;
        Step s = step;
        if (s == null) {
            return;
        }
        switch (s) {
            case UPLOAD -> {
                // "Uploading…" (with Cancel) comes at once; the step ends with what came of the upload
                if (!actions.contains(Action.CANCEL)) {
                    finish(s);
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
