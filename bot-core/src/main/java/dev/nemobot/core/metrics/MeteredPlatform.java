package dev.nemobot.core.metrics;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Activity;
import dev.nemobot.core.chat.ChatPlatform;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Choice;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.MessageRef;
import dev.nemobot.core.chat.SentUnconfirmedException;
import dev.nemobot.core.chat.ReplyTo;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Counts each platform call by kind and outcome; otherwise passes everything through. Thread-safe. */
final class MeteredPlatform implements ChatPlatform {
    private final ChatPlatform inner;
    private final EngineMetrics metrics;

    MeteredPlatform(ChatPlatform inner, EngineMetrics metrics) {
        this.inner = inner;
        this.metrics = metrics;
    }

    @Override
    public boolean reaches(Conversation conversation) {
        return inner.reaches(conversation);
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public boolean connected() {
        return inner.connected();
    }

    @Override
    public long uploadLimitBytes(Conversation conversation) {
        return inner.uploadLimitBytes(conversation);
    }

    @Override
    public void showActivity(Conversation conversation, Activity activity) {
        boolean ok = false;
        try {
            inner.showActivity(conversation, activity);
            ok = true;
        } finally {
            metrics.platformCall(inner.name(), "activity", ok);
        }
    }

    @Override
    public MessageRef send(ReplyTo to, ChatUser recipient, String text, List<Action> actions) {
        return send(to, recipient, text, actions, Optional.empty());
    }

    @Override
    public MessageRef send(ReplyTo to, ChatUser recipient, String text, List<Action> actions,
                           Optional<String> resultId) {
        boolean ok = false;
        try {
            MessageRef ref = inner.send(to, recipient, text, actions, resultId);
            ok = true;
            return ref;
        } catch (SentUnconfirmedException e) {
            ok = true; // sent, its answer unread
            throw e;
        } finally {
            metrics.platformCall(inner.name(), "text", ok);
        }
    }

    @Override
    public MessageRef sendChoices(ReplyTo to, ChatUser recipient, String text, List<List<Choice>> rows) {
        boolean ok = false;
        try {
            MessageRef ref = inner.sendChoices(to, recipient, text, rows);
            ok = true;
            return ref;
        } finally {
            metrics.platformCall(inner.name(), "text", ok);
        }
    }

    @Override
    public boolean answersPrivately(ReplyTo to) {
        return inner.answersPrivately(to);
    }

    @Override
    public boolean privateCommands() {
        return inner.privateCommands();
    }

    @Override
    public void unanswered(ReplyTo to) {
        inner.unanswered(to);
    }

    @Override
    public void edit(MessageRef message, String text, List<Action> actions) {
        boolean ok = false;
        try {
            inner.edit(message, text, actions);
            ok = true;
        } finally {
            metrics.platformCall(inner.name(), "edit", ok);
        }
    }

    /** A progress state returns before the platform shows it (or drops it for a newer one): counted when handed on. */
    @Override
    public void progress(MessageRef message, String text, List<Action> actions) {
        boolean ok = false;
        try {
            inner.progress(message, text, actions);
            ok = true;
        } finally {
            metrics.platformCall(inner.name(), "progress", ok);
        }
    }

    @Override
    public MessageRef sendVideo(ReplyTo to, ChatUser recipient, Path mp4, String caption,
                                List<Action> actions) {
        return sendVideo(to, recipient, mp4, caption, actions, Optional.empty());
    }

    @Override
    public MessageRef sendVideo(ReplyTo to, ChatUser recipient, Path mp4, String caption,
                                List<Action> actions, Optional<String> resultId) {
        return video(() -> inner.sendVideo(to, recipient, mp4, caption, actions, resultId));
    }

    /** The progress message made the video: counted as a video. */
    @Override
    public MessageRef finishWithVideo(MessageRef progress, String folded, ReplyTo to, ChatUser recipient, Path mp4,
                                      String caption, List<Action> actions, Optional<String> resultId) {
        return video(() -> inner.finishWithVideo(progress, folded, to, recipient, mp4, caption, actions, resultId));
    }

    private MessageRef video(java.util.function.Supplier<MessageRef> send) {
        boolean ok = false;
        try {
            MessageRef ref = send.get();
            ok = true;
            return ref;
        } catch (SentUnconfirmedException e) {
            ok = true; // sent, its answer unread
            throw e;
        } finally {
            metrics.platformCall(inner.name(), "video", ok);
        }
    }
}
