package dev.nemobot.core.conversation;

import dev.nemobot.core.work.Pause;
import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Activity;
import dev.nemobot.core.chat.ButtonPress;
import dev.nemobot.core.chat.ChatPlatform;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Choice;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.MessageRef;
import dev.nemobot.core.chat.ReplyTo;
import dev.nemobot.core.chat.Lang;
import dev.nemobot.core.chat.SentUnconfirmedException;
import dev.nemobot.core.text.Messages;
import dev.nemobot.core.text.SafeText;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks to one user about one request through their platform: every answer goes to that request's {@link ReplyTo}
 * (its conversation and topic, quoting it or through its own interaction), whenever the work ends. Every text goes out through
 * {@link SafeText#outbound} (no control characters, nothing shaped like a token), whoever wrote it. A platform
 * failure to send text is logged and
 * swallowed: losing a reply must not lose the work (videos are the exception: {@link #sendVideo} lets the
 * platform's {@code VideoRejectedException} through so the caller sends the link). Thread-safe.
 */
public final class Replier {
    private static final Logger log = LoggerFactory.getLogger(Replier.class);

    private final ChatPlatform platform;
    private final ReplyTo to;
    private final ChatUser user;
    private final String prompt;
    private final Lang lang;
    private final Pause pause;
    private final EditGate gate;
    /** The button press this replier answers, or null for a typed message. */
    private final ButtonPress press;

    Replier(ChatPlatform platform, Conversation conversation, ChatUser user, Lang lang, EditGate gate,
            Pause pause) {
        this(platform, ReplyTo.conversation(conversation), user, "", lang, gate, pause);
    }

    /**
     * @param to     the request every answer goes to
     * @param prompt what the user asked for in their words ("" for a command): a short form of it goes with the result
     */
    Replier(ChatPlatform platform, ReplyTo to, ChatUser user, String prompt, Lang lang, EditGate gate,
            Pause pause) {
        this.platform = platform;
        this.to = to;
        this.user = user;
        this.prompt = prompt == null || prompt.startsWith("/") ? "" : prompt;
        this.lang = lang;
        this.gate = gate;
        this.pause = pause;
        this.press = null;
    }

    /** {@code base} answering the button press {@code press}. */
    private Replier(Replier base, ButtonPress press) {
        this.platform = base.platform;
        this.to = base.to;
        this.user = base.user;
        this.prompt = base.prompt;
        this.lang = base.lang;
        this.gate = base.gate;
        this.pause = base.pause;
        this.press = press;
    }

    /** True when this replier answers a button press (its notes about the press go to the presser only). */
    public boolean answersPress() {
        return press != null;
    }

    /** The same replier, answering the button press {@code press} (see {@link #sayPrivately}). */
    public Replier answering(ButtonPress press) {
        return new Replier(this, press);
    }

    public ChatPlatform platform() {
        return platform;
    }

    public Conversation conversation() {
        return to.conversation();
    }

    /** The request this replier answers. */
    public ReplyTo replyTo() {
        return to;
    }

    /** What the user asked for, in their words; "" when the request was a command or is not known. */
    public String prompt() {
        return prompt;
    }

    public ChatUser user() {
        return user;
    }

    Lang lang() {
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
            return Optional.of(platform.send(to, user, clean, List.of(actions), resultId));
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

    /**
     * A list whose buttons each have their own label and argument ({@link Choice}): when this answers a press of one
     * of them, the pressed message is turned to it in place ({@link ButtonPress#replace}); else a new message.
     */
    void showChoices(String text, List<List<Choice>> rows) {
        String clean = SafeText.outbound(text);
        if (clean.isEmpty()) {
            return;
        }
        if (press != null) {
            try {
                if (press.replace(clean, rows)) {
                    return;
                }
            } catch (RuntimeException e) {
                log.warn("{}: turning a list in place failed: {}", platform.name(), e.toString());
                return;
            }
        }
        try {
            platform.sendChoices(to, user, clean, rows);
        } catch (SentUnconfirmedException e) {
            log.info("{}: a list was sent, but the platform's answer could not be read: {}", platform.name(),
                    e.getMessage());
        } catch (RuntimeException e) {
            log.warn("{}: sending a list failed: {}", platform.name(), e.toString());
        }
    }

    /** True when only the user sees the answers to this request (see {@link ChatPlatform#answersPrivately}). */
    boolean answersPrivately() {
        try {
            return platform.answersPrivately(to);
        } catch (RuntimeException e) {
            log.warn("{}: asking whether an answer is private failed: {}", platform.name(), e.toString());
            return false;
        }
    }

    /** Tells the platform this request gets no answer (see {@link ChatPlatform#unanswered}). */
    public void dismiss() {
        try {
            platform.unanswered(to);
        } catch (RuntimeException e) {
            log.debug("{}: dismissing a request failed: {}", platform.name(), e.toString());
        }
    }

    /**
     * Says something about the button press itself (a refusal, "queued", a stale button) to the presser only: a
     * pop-up or an ephemeral message. Said in the chat instead when this is a typed message, or when the platform
     * can no longer answer the press privately. For a press, "" ends it without a word.
     */
    public void sayPrivately(String text) {
        if (press != null) {
            String clean = SafeText.outbound(text);
            try {
                if (press.answer(clean)) {
                    return; // "" ends the press without a word
                }
            } catch (RuntimeException e) {
                log.warn("{}: answering a button press failed: {}", platform.name(), e.toString());
                return;
            }
        }
        say(text);
    }

    /**
     * The pressed button's action starts: the button shows it was used and the presser reads {@code note} where the
     * platform answers every press with a pop-up. Nothing for a typed message.
     */
    public void pressTaken(String note) {
        if (press != null) {
            try {
                press.taken(SafeText.outbound(note));
            } catch (RuntimeException e) {
                log.warn("{}: marking a pressed button failed: {}", platform.name(), e.toString());
            }
        }
    }

    /** Ends the button press without a word if nothing answered it yet. Nothing for a typed message. */
    public void pressDone() {
        if (press != null) {
            try {
                press.answer("");
            } catch (RuntimeException e) {
                log.warn("{}: answering a button press failed: {}", platform.name(), e.toString());
            }
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

    /** An intermediate state of a message: the platform may coalesce it with later ones (see ChatPlatform#progress). */
    void progress(MessageRef ref, String text, List<Action> actions) {
        String clean = SafeText.outbound(text);
        if (clean.isEmpty()) {
            return;
        }
        try {
            platform.progress(ref, clean, actions);
        } catch (RuntimeException e) {
            log.warn("{}: editing a reply failed: {}", platform.name(), e.toString());
        }
    }

    public void activity(Activity a) {
        try {
            platform.showActivity(to.conversation(), a);
        } catch (RuntimeException e) {
            log.debug("{}: activity failed: {}", platform.name(), e.toString());
        }
    }

    /**
     * The video of delivered result {@code resultId}, which its buttons carry.
     *
     * @throws dev.nemobot.core.chat.VideoRejectedException when the platform will not take it
     */
    public MessageRef sendVideo(Path mp4, String caption, Optional<String> resultId, Action... actions) {
        return platform.sendVideo(to, user, mp4, SafeText.outbound(caption), List.of(actions), resultId);
    }

    /**
     * Ends the progress message {@code progress} with the video of delivered result {@code resultId} (see
     * {@link ChatPlatform#finishWithVideo}).
     *
     * @throws dev.nemobot.core.chat.VideoRejectedException when the platform will not take it
     */
    MessageRef finishWithVideo(MessageRef progress, String folded, Path mp4, String caption, Optional<String> resultId,
                               Action... actions) {
        return platform.finishWithVideo(progress, SafeText.outbound(folded), to, user, mp4, SafeText.outbound(caption),
                List.of(actions), resultId);
    }

    public long uploadLimitBytes() {
        return platform.uploadLimitBytes(to.conversation());
    }

    /** A new message that will be edited in place (streamed text, progress). */
    public LiveMessage live() {
        return new LiveMessage(this, gate, pause);
    }

    /** A replier for the same user and platform in another conversation. */
    public boolean sameConversation(Replier other) {
        return other.to.conversation().equals(to.conversation()) && other.platform == platform;
    }
}
