package dev.nemobot.core.testing;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Activity;
import dev.nemobot.core.chat.ChatPlatform;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Choice;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.MessageRef;
import dev.nemobot.core.chat.ReplyTo;
import dev.nemobot.core.chat.VideoRejectedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * An in-memory {@link ChatPlatform} that records everything the engine sends, for tests. Thread-safe. Videos are
 * copied to a temporary file (the engine deletes its own copy after delivery), so tests can inspect them.
 * {@link #rejectVideos(boolean)} makes {@code sendVideo} throw {@link VideoRejectedException}, as a platform does
 * when an upload fails for good.
 */
public final class RecordingPlatform implements ChatPlatform {
    private final String name;
    private final long uploadLimitBytes;
    private final List<Sent> sent = new ArrayList<>();
    private final Map<String, String> current = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile boolean rejectVideos;
    private volatile boolean reachesNothing;
    private volatile boolean connected = true;
    private volatile boolean privateInGroups;
    private final AtomicInteger refusedReach = new AtomicInteger();
    /** The files the engine asked to send (where it wrote them), in order. */
    private final List<Path> videoSources = new java.util.concurrent.CopyOnWriteArrayList<>();

    public RecordingPlatform(String name, long uploadLimitBytes) {
        this.name = Objects.requireNonNull(name, "name");
        if (uploadLimitBytes < 0) {
            throw new IllegalArgumentException("uploadLimitBytes must be >= 0, was " + uploadLimitBytes);
        }
        this.uploadLimitBytes = uploadLimitBytes;
    }

    /**
     * The same chat platform seen by a new process (a restart, another instance): the messages sent so far still
     * exist and can be edited, nothing has been recorded yet.
     */
    public RecordingPlatform restarted() {
        RecordingPlatform next = new RecordingPlatform(name, uploadLimitBytes);
        next.current.putAll(current);
        next.ids.set(ids.get() + 1000);
        return next;
    }

    /** What the engine did, in order. */
    public sealed interface Sent {
        /** A new text message. */
        record Text(Conversation conversation, ChatUser recipient, MessageRef ref, String text, List<Action> actions,
                    ReplyTo replyTo, Optional<String> resultId) implements Sent {
            /** What pressing {@code action} under this message sends, as a platform's button does. */
            public String press(Action action) {
                return action.command(resultId);
            }
        }

        /** An edit of a message sent before. */
        record Edit(MessageRef ref, String text, List<Action> actions) implements Sent {
        }

        /**
         * A video sent as a file; {@code file} is the test's own copy. {@code replaced}: the progress message it was
         * made from, as a platform that edits a message into a video does ({@link ChatPlatform#finishWithVideo}).
         */
        record Video(Conversation conversation, ChatUser recipient, Path file, long size, String caption,
                     List<Action> actions, ReplyTo replyTo, Optional<String> resultId, Optional<MessageRef> replaced)
                implements Sent {
            /** What pressing {@code action} under this video sends, as a platform's button does. */
            public String press(Action action) {
                return action.command(resultId);
            }
        }

        /**
         * A list with buttons of their own labels and arguments ({@link ChatPlatform#sendChoices}), or such a list
         * turned in place by a press ({@code replaced}: the message it was on).
         */
        record Choices(Conversation conversation, ChatUser recipient, MessageRef ref, String text,
                       List<List<Choice>> rows, ReplyTo replyTo, Optional<MessageRef> replaced) implements Sent {
            /** Every button, row by row. */
            public List<Choice> buttons() {
                return rows.stream().flatMap(List::stream).toList();
            }

            /** The button labelled {@code label}. */
            public Choice button(String label) {
                return buttons().stream().filter(c -> c.label().equals(label)).findFirst()
                        .orElseThrow(() -> new AssertionError("no button " + label + " in " + buttons()));
            }
        }

        /** A working indicator. */
        record ActivityShown(Conversation conversation, Activity activity) implements Sent {
        }

        /** The text a recipient sees in this entry, "" for an activity. */
        default String shownText() {
            return switch (this) {
                case Text t -> t.text();
                case Edit e -> e.text();
                case Video v -> v.caption();
                case Choices c -> c.text();
                case ActivityShown a -> "";
            };
        }
    }

    public void rejectVideos(boolean reject) {
        this.rejectVideos = reject;
    }

    /** Makes this instance unable to send to any conversation (as a Discord instance without the server's shard). */
    public void reachNothing(boolean none) {
        this.reachesNothing = none;
    }

    /** What {@link #connected()} says: false as for a platform whose gateway or update stream is down. */
    public void connected(boolean up) {
        this.connected = up;
    }

    @Override
    public boolean connected() {
        return connected;
    }

    @Override
    public boolean reaches(Conversation conversation) {
        if (reachesNothing) {
            refusedReach.incrementAndGet();
        }
        return !reachesNothing;
    }

    /** How often the engine asked to reach a conversation and was told no. */
    public int refusedReach() {
        return refusedReach.get();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long uploadLimitBytes(Conversation conversation) {
        return uploadLimitBytes;
    }

    @Override
    public void showActivity(Conversation conversation, Activity activity) {
        record(new Sent.ActivityShown(conversation, activity));
    }

    @Override
    public MessageRef send(ReplyTo to, ChatUser recipient, String text, List<Action> actions,
                           Optional<String> resultId) {
        Conversation conversation = to.conversation();
        MessageRef ref = new MessageRef(conversation, "m" + ids.incrementAndGet());
        current.put(ref.id(), text);
        record(new Sent.Text(conversation, recipient, ref, text, List.copyOf(actions), to, resultId));
        return ref;
    }

    @Override
    public MessageRef sendChoices(ReplyTo to, ChatUser recipient, String text, List<List<Choice>> rows) {
        MessageRef ref = new MessageRef(to.conversation(), "m" + ids.incrementAndGet());
        current.put(ref.id(), text);
        record(new Sent.Choices(to.conversation(), recipient, ref, text, List.copyOf(rows), to, Optional.empty()));
        return ref;
    }

    /** Whether answers in a group are private (as a Discord command's); a direct conversation's always are. */
    public void privateInGroups(boolean answers) {
        this.privateInGroups = answers;
    }

    @Override
    public boolean answersPrivately(ReplyTo to) {
        return privateInGroups || !to.conversation().group();
    }

    /**
     * A press on a button of {@code list}, as a platform hands it to the engine: it turns that list in place when the
     * engine asks, recording a {@link Sent.Choices} that replaced it, and remembers what the presser was told.
     */
    public RecordingPress pressOn(Sent.Choices list) {
        return new RecordingPress(list);
    }

    /** See {@link #pressOn}. Thread-safe. */
    public final class RecordingPress implements dev.nemobot.core.chat.ButtonPress {
        private final Sent.Choices list;
        private final List<String> answers = new java.util.concurrent.CopyOnWriteArrayList<>();

        RecordingPress(Sent.Choices list) {
            this.list = list;
        }

        @Override
        public boolean answer(String text) {
            answers.add(text);
            return true;
        }

        @Override
        public void taken(String note) {
            answers.add(note);
        }

        @Override
        public boolean replace(String text, List<List<Choice>> rows) {
            current.put(list.ref().id(), text);
            record(new Sent.Choices(list.conversation(), list.recipient(), list.ref(), text, List.copyOf(rows),
                    list.replyTo(), Optional.of(list.ref())));
            return true;
        }

        /** What the presser was told privately ("" for a press ended without a word). */
        public List<String> answers() {
            return List.copyOf(answers);
        }
    }

    @Override
    public void edit(MessageRef message, String text, List<Action> actions) {
        String before = current.put(message.id(), text);
        if (before == null) {
            throw new IllegalStateException("edit of a message never sent: " + message);
        }
        if (!before.equals(text) || !actions.isEmpty()) {
            record(new Sent.Edit(message, text, List.copyOf(actions)));
        }
    }

    @Override
    public MessageRef sendVideo(ReplyTo to, ChatUser recipient, Path mp4, String caption,
                                List<Action> actions, Optional<String> resultId) {
        return video(to, recipient, mp4, caption, actions, resultId, Optional.empty());
    }

    /**
     * The progress message becomes the video (as on Discord): it is recorded as a {@link Sent.Video} that replaced
     * it, and the message shows the caption from then on.
     */
    @Override
    public MessageRef finishWithVideo(MessageRef progress, String folded, ReplyTo to, ChatUser recipient, Path mp4,
                                      String caption, List<Action> actions, Optional<String> resultId) {
        if (!current.containsKey(progress.id())) {
            throw new IllegalStateException("a video made of a message never sent: " + progress);
        }
        return video(to, recipient, mp4, caption, actions, resultId, Optional.of(progress));
    }

    private MessageRef video(ReplyTo to, ChatUser recipient, Path mp4, String caption, List<Action> actions,
                             Optional<String> resultId, Optional<MessageRef> replaced) {
        videoSources.add(mp4.toAbsolutePath().normalize());
        if (rejectVideos) {
            throw new VideoRejectedException("rejected by the test", null);
        }
        try {
            Path copy = Files.createTempFile("recorded-", ".mp4");
            Files.copy(mp4, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            copy.toFile().deleteOnExit();
            long size = Files.size(copy);
            if (size > uploadLimitBytes) {
                throw new AssertionError("engine sent a video of " + size + " bytes over the limit " + uploadLimitBytes);
            }
            MessageRef ref = replaced.orElseGet(() -> new MessageRef(to.conversation(), "m" + ids.incrementAndGet()));
            current.put(ref.id(), caption);
            record(new Sent.Video(to.conversation(), recipient, copy, size, caption, List.copyOf(actions), to,
                    resultId, replaced));
            return ref;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the engine had written each video it asked to send. */
    public List<Path> videoSources() {
        return List.copyOf(videoSources);
    }

    /** Every send, edit, video and activity so far, in order (a copy). */
    public List<Sent> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    /** The texts (sent, edited, video captions) so far, in order. */
    public List<String> texts() {
        return sent().stream().filter(s -> !(s instanceof Sent.ActivityShown)).map(Sent::shownText).toList();
    }

    /** The current text of every message, in the order sent: what a person scrolling the chat sees. */
    public List<String> visibleMessages() {
        // a video made of a progress message stands where that message was
        return sent().stream().map(s -> switch (s) {
            case Sent.Text t -> Optional.of(current.getOrDefault(t.ref().id(), t.text()));
            case Sent.Choices c when c.replaced().isEmpty() -> Optional.of(current.getOrDefault(c.ref().id(), c.text()));
            case Sent.Video v when v.replaced().isPresent() -> Optional.<String>empty();
            case Sent.Video v -> Optional.of(v.caption());
            default -> Optional.<String>empty();
        }).flatMap(Optional::stream).toList();
    }

    /** The first text (sent, edited or a caption) matching {@code p}, waiting up to {@code timeout}. */
    public Sent awaitText(Predicate<String> p, Duration timeout) {
        return await(s -> !(s instanceof Sent.ActivityShown) && p.test(s.shownText()), timeout, "a text matching the condition");
    }

    /** The first video sent, waiting up to {@code timeout}. */
    public Sent.Video awaitVideo(Duration timeout) {
        return (Sent.Video) await(s -> s instanceof Sent.Video, timeout, "a video");
    }

    /** The first entry matching {@code p}, waiting up to {@code timeout}. */
    public Sent await(Predicate<Sent> p, Duration timeout, String what) {
        Sent[] found = new Sent[1];
        try {
            Awaitility.await(what).atMost(timeout).until(() -> {
                for (Sent s : sent()) {
                    if (p.test(s)) {
                        found[0] = s;
                        return true;
                    }
                }
                return false;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; the platform saw: " + texts(), e);
        }
        return found[0];
    }

    public void clear() {
        synchronized (sent) {
            sent.clear();
        }
    }

    private void record(Sent s) {
        synchronized (sent) {
            sent.add(s);
        }
    }
}
