package dev.nemobot.bench;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Activity;
import dev.nemobot.core.chat.ChatPlatform;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.MessageRef;
import dev.nemobot.core.chat.ReplyTo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * An in-memory chat platform: hands what the engine sends to the simulated user of the conversation
 * ({@link SimUser#onText}, {@link SimUser#onVideo}) and keeps no history. Thread-safe.
 */
final class BenchPlatform implements ChatPlatform {
    static final String NAME = "bench";

    private final ConcurrentHashMap<String, SimUser> users = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    final LongAdder sends = new LongAdder();
    final LongAdder edits = new LongAdder();
    final LongAdder videos = new LongAdder();
    final LongAdder activities = new LongAdder();

    void register(SimUser user) {
        users.put(user.conversation().id(), user);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long uploadLimitBytes(Conversation conversation) {
        return 50L * 1000 * 1000;
    }

    @Override
    public void showActivity(Conversation conversation, Activity activity) {
        activities.increment();
    }

    @Override
    public MessageRef send(ReplyTo to, ChatUser recipient, String text, List<Action> actions,
                           Optional<String> resultId) {
        sends.increment();
        Conversation conversation = to.conversation();
        SimUser u = users.get(conversation.id());
        if (u != null) {
            u.onText(text, actions);
        }
        return new MessageRef(conversation, Long.toString(ids.incrementAndGet()));
    }

    @Override
    public void edit(MessageRef message, String text, List<Action> actions) {
        edits.increment();
        SimUser u = users.get(message.conversation().id());
        if (u != null) {
            u.onText(text, actions);
        }
    }

    @Override
    public MessageRef sendVideo(ReplyTo to, ChatUser recipient, Path mp4, String caption,
                                List<Action> actions, Optional<String> resultId) {
        videos.increment();
        Conversation conversation = to.conversation();
        long size;
        try {
            size = Files.size(mp4);
        } catch (java.io.IOException e) {
            size = -1;
        }
        SimUser u = users.get(conversation.id());
        if (u != null) {
            u.onVideo(size);
        }
        return new MessageRef(conversation, Long.toString(ids.incrementAndGet()));
    }
}
