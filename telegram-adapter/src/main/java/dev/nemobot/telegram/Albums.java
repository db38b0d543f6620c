package dev.nemobot.telegram;

import dev.nemobot.core.chat.Attachment;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.Incoming;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts Telegram albums back together. An album comes as one update per photo, each with the same
 * {@code media_group_id} and the caption on one of them (any), in any order, in one poll or across several (or as
 * separate webhook deliveries); the engine takes it as one message with every photo, in the order sent (by message
 * id), the caption, and the answers quoting the captioned photo. The parts of an album are collected while they keep
 * coming: the album is handed on {@link Window#quiet} after its last part arrived, and at the latest
 * {@link Window#longest} after its first, by a task on the injected {@link Timer} (never on the thread that received
 * the update, which only adds the part and returns).
 *
 * <p>Bounded: at most {@link #MAX_PARTS} parts are kept per album (one more than an album may have, so that an
 * oversized one is refused whole by the engine), {@link #MAX_OPEN_PER_CHAT} albums open per chat and
 * {@link #MAX_OPEN} in all; a part past those bounds is handed on on its own. In a group an album is for the bot when
 * one of its parts is (its caption mentions the bot, or replies to it); else it is dropped. Thread-safe (its monitor,
 * held for no I/O).
 */
final class Albums {
    private static final Logger log = LoggerFactory.getLogger(Albums.class);
    /** Telegram's albums have at most 10 items; one more is kept so that the engine refuses an oversized one. */
    static final int MAX_PARTS = 11;
    static final int MAX_OPEN_PER_CHAT = 16;
    static final int MAX_OPEN = 2_000;

    /** How long an album's parts are waited for. */
    record Window(Duration quiet, Duration longest) {
        static final Window DEFAULT = new Window(Duration.ofMillis(1200), Duration.ofSeconds(5));

        Window {
            Objects.requireNonNull(quiet, "quiet");
            Objects.requireNonNull(longest, "longest");
            if (quiet.isNegative() || quiet.isZero() || longest.compareTo(quiet) < 0) {
                throw new IllegalArgumentException("an album window needs 0 < quiet <= longest, was " + quiet + ", "
                        + longest);
            }
        }
    }

    /** Runs a task later; production: a scheduled executor's one thread; tests: a hand-driven one. */
    @FunctionalInterface
    interface Timer {
        void schedule(Duration delay, Runnable task);
    }

    /**
     * One photo (or file) of an album, as translated from its update.
     *
     * @param addressed true when this part alone is for the bot (a private chat, or its caption mentions the bot)
     * @param refusal   what to tell the user instead (a photo over the download limit), when present
     */
    record Part(String chatId, String groupId, int messageId, ChatUser user, Conversation conversation, String text,
                List<Attachment> attachments, boolean addressed, Optional<String> refusal) {
        Part {
            attachments = List.copyOf(attachments);
            text = text == null ? "" : text;
        }

        /** This part on its own, as a message of its own. */
        Incoming alone() {
            String id = "message:" + chatId + ":" + messageId;
            Incoming m = refusal.isPresent() ? Incoming.refused(id, user, conversation, text, refusal.get())
                    : new Incoming(id, user, conversation, text, attachments);
            return m.answering(String.valueOf(messageId));
        }
    }

    private static final class Album {
        final String key;
        final String chatId;
        final Instant first;
        Instant last;
        final List<Part> parts = new ArrayList<>();

        Album(String key, String chatId, Instant first) {
            this.key = key;
            this.chatId = chatId;
            this.first = first;
            this.last = first;
        }
    }

    private final Window window;
    private final Clock clock;
    private final Timer timer;
    private final Consumer<Incoming> out;
    private final Map<String, Album> open = new LinkedHashMap<>();
    private final Map<String, Integer> openPerChat = new HashMap<>();

    /** @param out where a finished album goes (the engine's inbox: it returns at once) */
    Albums(Window window, Clock clock, Timer timer, Consumer<Incoming> out) {
        this.window = window;
        this.clock = clock;
        this.timer = timer;
        this.out = out;
    }

    /** Adds a part; returns at once. */
    void add(Part part) {
        String key = part.chatId() + ":" + part.user().id() + ":" + part.groupId();
        boolean alone = false;
        boolean schedule = false;
        synchronized (this) {
            Album a = open.get(key);
            if (a == null) {
                int inChat = openPerChat.getOrDefault(part.chatId(), 0);
                if (open.size() >= MAX_OPEN || inChat >= MAX_OPEN_PER_CHAT) {
                    alone = true;
                } else {
                    a = new Album(key, part.chatId(), clock.instant());
                    open.put(key, a);
                    openPerChat.merge(part.chatId(), 1, Integer::sum);
                    schedule = true;
                }
            }
            if (a != null) {
                a.last = clock.instant();
                if (a.parts.size() < MAX_PARTS && a.parts.stream().noneMatch(p -> p.messageId() == part.messageId())) {
                    a.parts.add(part);
                }
            }
        }
        if (alone) {
            log.warn("telegram: too many albums open at once; a photo is handled on its own");
            if (part.addressed()) {
                out.accept(part.alone());
            }
            return;
        }
        if (schedule) {
            timer.schedule(window.quiet(), () -> due(key));
        }
    }

    /** The album's time may be up: hands it on, or looks again when its parts are still coming. */
    private void due(String key) {
        Album done;
        Duration again;
        synchronized (this) {
            Album a = open.get(key);
            if (a == null) {
                return;
            }
            Instant now = clock.instant();
            Instant at = min(a.last.plus(window.quiet()), a.first.plus(window.longest()));
            if (now.isBefore(at)) {
                done = null;
                again = Duration.between(now, at);
            } else {
                done = remove(key);
                again = null;
            }
        }
        if (done != null) {
            handOn(done);
        } else {
            timer.schedule(again, () -> due(key));
        }
    }

    /** Hands on every album still open at once (the bot stops receiving). */
    void flushAll() {
        List<Album> all;
        synchronized (this) {
            all = new ArrayList<>(open.values());
            open.clear();
            openPerChat.clear();
        }
        all.forEach(this::handOn);
    }

    /** Albums open now. */
    synchronized int open() {
        return open.size();
    }

    private Album remove(String key) {
        Album a = open.remove(key);
        if (a != null) {
            openPerChat.computeIfPresent(a.chatId, (k, n) -> n <= 1 ? null : n - 1);
        }
        return a;
    }

    private void handOn(Album a) {
        List<Part> parts = new ArrayList<>(a.parts);
        parts.sort(Comparator.comparingInt(Part::messageId));
        if (parts.stream().noneMatch(Part::addressed)) {
            log.debug("telegram: an album not addressed to the bot skipped");
            return;
        }
        Part head = parts.stream().filter(p -> !p.text().isBlank()).findFirst().orElse(parts.getFirst());
        String id = "album:" + a.key;
        Optional<String> refusal = parts.stream().flatMap(p -> p.refusal().stream()).findFirst();
        Incoming m;
        if (refusal.isPresent()) {
            m = Incoming.refused(id, head.user(), head.conversation(), head.text(), refusal.get());
        } else {
            List<Attachment> files = new ArrayList<>();
            parts.forEach(p -> files.addAll(p.attachments()));
            m = new Incoming(id, head.user(), head.conversation(), head.text(), files);
        }
        // the answers quote the photo that carries the request
        out.accept(m.answering(String.valueOf(head.messageId())));
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
