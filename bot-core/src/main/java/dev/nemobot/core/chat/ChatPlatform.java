package dev.nemobot.core.chat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The outbound side of a chat platform: what the engine needs to answer. Implemented by each adapter.
 *
 * <p>Calls come from the engine's virtual threads and may block on the network; they are never made on a
 * platform's event thread. Text is plain (no markup): the implementation escapes it for its wire format and
 * splits it when it is longer than the platform allows. Implementations must be thread-safe.
 */
public interface ChatPlatform {

    /** The platform's name, the same as in {@link ChatUser#platform()} and {@link Conversation#platform()}. */
    String name();

    /**
     * True when this instance can send to {@code conversation} (a sharded Discord instance reaches only the servers
     * on its own shards). Work taken over from another instance is left for one that reaches its conversation.
     */
    default boolean reaches(Conversation conversation) {
        return true;
    }

    /**
     * True while the platform delivers messages to this instance (its gateway sessions or its update stream are up),
     * as {@code /health} and the {@code nemobot_platform_connected} gauge report it. One that cannot tell says true.
     * Cheap and non-blocking: it is read on every scrape.
     */
    default boolean connected() {
        return true;
    }

    /** The largest video, in bytes, that {@link #sendVideo} can deliver in this conversation. */
    long uploadLimitBytes(Conversation conversation);

    /** Shows the platform's "typing" or "sending a video" indicator once; the engine renews it. */
    void showActivity(Conversation conversation, Activity activity);

    /**
     * Sends a text message to {@code recipient} as an answer to {@code to}'s request, in its conversation (and topic),
     * with buttons for {@code actions}. The platform answers that request and no other: a Discord interaction's own
     * answer (private if the interaction's is), a reply quoting the request message where it has one. In a group the
     * platform may mention the recipient.
     *
     * @return the reference of the (first) message sent, for {@link #edit}
     */
    default MessageRef send(ReplyTo to, ChatUser recipient, String text, List<Action> actions) {
        return send(to, recipient, text, actions, Optional.empty());
    }

    /**
     * Like {@link #send(ReplyTo, ChatUser, String, List)}, under a delivered result when {@code resultId} is present:
     * the buttons that act on it ({@link Action#onResult()}) carry it, and a press sends
     * {@link Action#command(Optional)}. A platform that cannot carry it ignores it and sends plain buttons, which act
     * on the project's newest result.
     */
    MessageRef send(ReplyTo to, ChatUser recipient, String text, List<Action> actions, Optional<String> resultId);

    /**
     * Like {@link #send(ReplyTo, ChatUser, String, List)}, with rows of buttons each of its own label and argument
     * ({@link Choice}), all belonging to {@code recipient}. A platform without such buttons sends the text alone.
     */
    default MessageRef sendChoices(ReplyTo to, ChatUser recipient, String text, List<List<Choice>> rows) {
        return send(to, recipient, text, List.of());
    }

    /**
     * True when the answers to {@code to} are seen by the asker alone: a direct conversation, or a request the platform
     * answers privately in a group (a Discord slash command answered ephemerally). Never blocks.
     */
    default boolean answersPrivately(ReplyTo to) {
        return !to.conversation().group();
    }

    /**
     * True when the platform's own commands are answered privately in a group (Discord's slash commands), so a user
     * can be told to ask that way for what only they may see. Never blocks.
     */
    default boolean privateCommands() {
        return false;
    }

    /** A message in {@code conversation} that answers no request in particular. */
    default MessageRef send(Conversation conversation, ChatUser recipient, String text, List<Action> actions) {
        return send(ReplyTo.conversation(conversation), recipient, text, actions);
    }

    /**
     * Says that {@code to}'s request gets no answer (the user sends faster than their rate and was told so a moment
     * ago): a platform that shows a placeholder until the answer comes (Discord's "thinking…") takes it away. Never
     * throws for a request it does not know.
     */
    default void unanswered(ReplyTo to) {
    }

    /**
     * Replaces the text (and buttons) of a message sent before; a no-op if the text did not change. A state that must
     * be seen (a result, an error): it goes before the progress edits waiting in the channel, and it is shown (or
     * failed) when this returns, so what the engine sends next comes after it.
     */
    void edit(MessageRef message, String text, List<Action> actions);

    /**
     * Replaces the text of a message with an intermediate state (a percentage, streamed text) that a later state of
     * the same message makes moot: the platform may show it later, when the channel's rate limit allows, or never when
     * a newer state of that message comes first. It never shows it after a later {@link #edit} or progress of the same
     * message. Returns without waiting for the platform.
     */
    default void progress(MessageRef message, String text, List<Action> actions) {
        edit(message, text, actions);
    }

    /**
     * Uploads an MP4 as a playable video with a caption, as an answer to {@code to}'s request (as {@link #send}).
     *
     * @throws VideoRejectedException if the platform will not take it; the engine then sends the link instead
     */
    default MessageRef sendVideo(ReplyTo to, ChatUser recipient, Path mp4, String caption, List<Action> actions) {
        return sendVideo(to, recipient, mp4, caption, actions, Optional.empty());
    }

    /**
     * Like {@link #sendVideo(ReplyTo, ChatUser, Path, String, List)}, its buttons carrying the delivered result's id
     * when present, as {@link #send(ReplyTo, ChatUser, String, List, Optional)} says.
     */
    MessageRef sendVideo(ReplyTo to, ChatUser recipient, Path mp4, String caption, List<Action> actions,
                         Optional<String> resultId);

    /** A video in {@code conversation} that answers no request in particular. */
    default MessageRef sendVideo(Conversation conversation, ChatUser recipient, Path mp4, String caption,
                                 List<Action> actions) {
        return sendVideo(ReplyTo.conversation(conversation), recipient, mp4, caption, actions);
    }

    /**
     * Ends a progress message with the video it was about: the request's result becomes one message instead of a
     * "Video ready!" above a separate video. A platform that can edit a message into a video (Discord) makes
     * {@code progress} the video, with {@code caption} and buttons for {@code actions}; one that cannot (Telegram)
     * sends the video as {@link #sendVideo} does and then deletes {@code progress}, or folds it to {@code folded}
     * when it cannot be deleted. Either way the change of {@code progress} is a final state of that message (as
     * {@link #edit}): no progress edit of it lands after the video. The default keeps the two messages: it edits
     * {@code progress} to {@code folded}, then sends the video.
     *
     * @param progress the message that showed the render's progress
     * @param folded   what {@code progress} says when it stays beside the video ("Video ready!")
     * @param resultId the delivered result its buttons act on (as {@link #sendVideo(ReplyTo, ChatUser, Path, String,
     *                 List, Optional)})
     * @return the message that carries the video
     * @throws VideoRejectedException if the platform will not take it; {@code progress} is then left as it was, or
     *                                shows {@code folded}, and the engine ends it with the link
     */
    default MessageRef finishWithVideo(MessageRef progress, String folded, ReplyTo to, ChatUser recipient, Path mp4,
                                       String caption, List<Action> actions, Optional<String> resultId) {
        edit(progress, folded, List.of());
        return sendVideo(to, recipient, mp4, caption, actions, resultId);
    }
}
