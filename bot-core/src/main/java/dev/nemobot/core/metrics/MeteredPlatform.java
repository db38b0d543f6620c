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
import java.util.function.Supplier;

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
        run("activity", () -> inner.showActivity(conversation, activity));
    }

    @Override
    public MessageRef send(ReplyTo to, ChatUser recipient, String text, List<Action> actions,
                           Optional<String> resultId) {
        return counted("text", () -> inner.send(to, recipient, text, actions, resultId));
    }

    @Override
    public MessageRef sendChoices(ReplyTo to, ChatUser recipient, String text, List<List<Choice>> rows) {
        return counted("text", () -> inner.sendChoices(to, recipient, text, rows));
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
        run("edit", () -> inner.edit(message, text, actions));
    }

    /** A progress state returns before the platform shows it (or drops it for a newer one): counted when handed on. */
    @Override
    public void progress(MessageRef message, String text, List<Action> actions) {
        run("progress", () -> inner.progress(message, text, actions));
    }

    @Override
    public MessageRef sendVideo(ReplyTo to, ChatUser recipient, Path mp4, String caption,
                                List<Action> actions, Optional<String> resultId) {
        return counted("video", () -> inner.sendVideo(to, recipient, mp4, caption, actions, resultId));
    }

    /** The progress message made the video: counted as a video. */
    @Override
    public MessageRef finishWithVideo(MessageRef progress, String folded, ReplyTo to, ChatUser recipient, Path mp4,
                                      String caption, List<Action> actions, Optional<String> resultId) {
        return counted("video",
                () -> inner.finishWithVideo(progress, folded, to, recipient, mp4, caption, actions, resultId));
    }

    /**
     * {@code call} on the platform, counted as a call of {@code kind} that succeeded when it returned, or when it sent
     * a message whose answer went unread ({@link SentUnconfirmedException}: it was sent), else failed.
     */
    private <T> T counted(String kind, Supplier<T> call) {
        boolean ok = false;
        try {
            T result = call.get();
            ok = true;
            return result;
        } catch (SentUnconfirmedException e) {
            ok = true; // sent, its answer unread
            throw e;
        } finally {
            metrics.platformCall(inner.name(), kind, ok);
        }
    }

    /** {@link #counted} for a call that returns nothing. */
    private void run(String kind, Runnable call) {
        counted(kind, () -> {
            call.run();
            return null;
        });
    }
}
