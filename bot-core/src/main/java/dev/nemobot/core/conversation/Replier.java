package dev.nemobot.core.conversation;

import dev.nemobot.core.backend.Pause;
import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Activity;
import dev.nemobot.core.chat.ChatPlatform;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.MessageRef;
import dev.nemobot.core.chat.Lang;
import dev.nemobot.core.chat.EditGate;
import dev.nemobot.core.chat.SentUnconfirmedException;
import dev.nemobot.core.text.Messages;
import dev.nemobot.core.text.SafeText;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks to one user in one conversation through their platform. Every text goes out through
 * {@link SafeText#outbound} (no control characters, nothing shaped like a token), whoever wrote it. A platform
 * failure to send text is logged and
 * swallowed: losing a reply must not lose the work (videos are the exception: {@link #sendVideo} lets the
 * platform's {@code VideoRejectedException} through so the caller sends the link). Thread-safe.
 */
public final class Replier {
    private static final Logger log = LoggerFactory.getLogger(Replier.class);

    private final ChatPlatform platform;
    private final Conversation conversation;
    private final ChatUser user;
    private final Lang lang;
    private final Pause pause;
    private final EditGate gate;

    public Replier(ChatPlatform platform, Conversation conversation, ChatUser user, Lang lang, EditGate gate,
                   Pause pause) {
        this.platform = platform;
        this.conversation = conversation;
        this.user = user;
        this.lang = lang;
        this.gate = gate;
        this.pause = pause;
    }

    public ChatPlatform platform() {
        return platform;
    }

    public Conversation conversation() {
        return conversation;
    }

    public ChatUser user() {
        return user;
    }

    public Lang lang() {
        return lang;
    }

    public Messages messages() {
        return Messages.of(lang);
    }

    /**
     * Sends a message; empty if the platform failed (logged), or sent it without a readable answer (logged at INFO:
     * the user has it, but it cannot be edited).
     */
    public Optional<MessageRef> say(String text, Action... actions) {
        return say(text, Optional.empty(), actions);
    }

    /** {@link #say(String, Action...)} under delivered result {@code resultId}, which its buttons carry. */
    public Optional<MessageRef> say(String text, Optional<String> resultId, Action... actions) {
        String clean = SafeText.outbound(text);
        if (clean.isEmpty()) {
            return Optional.empty(); // nothing visible was left: a platform refuses empty messages
        }
        try {
            return Optional.of(resultId.isPresent()
                    ? platform.send(conversation, user, clean, List.of(actions), resultId)
                    : platform.send(conversation, user, clean, List.of(actions)));
        } catch (SentUnconfirmedException e) {
            // delivered: not a failure, though it cannot be edited later
            log.info("{}: a reply was sent, but the platform's answer could not be read: {}", platform.name(),
                    e.getMessage());
            return Optional.empty();
        } catch (RuntimeException e) {
            log.warn("{}: sending a reply failed: {}", platform.name(), e.toString());
            return Optional.empty();
        }
    }

    void edit(MessageRef ref, String text, List<Action> actions) {
        String clean = SafeText.outbound(text);
        if (clean.isEmpty()) {
            return;
        }
        try {
            platform.edit(ref, clean, actions);
        } catch (RuntimeException e) {
            log.warn("{}: editing a reply failed: {}", platform.name(), e.toString());
        }
    }

    public void activity(Activity a) {
        try {
            platform.showActivity(conversation, a);
        } catch (RuntimeException e) {
            log.debug("{}: activity failed: {}", platform.name(), e.toString());
        }
    }

    /** @throws dev.nemobot.core.chat.VideoRejectedException when the platform will not take it */
    public MessageRef sendVideo(Path mp4, String caption, Action... actions) {
        return platform.sendVideo(conversation, user, mp4, SafeText.outbound(caption), List.of(actions));
    }

    /** {@link #sendVideo(Path, String, Action...)} of delivered result {@code resultId}, which its buttons carry. */
    public MessageRef sendVideo(Path mp4, String caption, Optional<String> resultId, Action... actions) {
        return resultId.isPresent()
                ? platform.sendVideo(conversation, user, mp4, SafeText.outbound(caption), List.of(actions), resultId)
                : platform.sendVideo(conversation, user, mp4, SafeText.outbound(caption), List.of(actions));
    }

    public long uploadLimitBytes() {
        return platform.uploadLimitBytes(conversation);
    }

    /** A new message that will be edited in place (streamed text, progress). */
    public LiveMessage live() {
        return new LiveMessage(this, gate, pause);
    }

    /** A replier for the same user and platform in another conversation. */
    public boolean sameConversation(Replier other) {
        return other.conversation.equals(conversation) && other.platform == platform;
    }
}
