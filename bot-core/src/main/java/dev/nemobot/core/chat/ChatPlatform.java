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
     * Sends a text message to {@code recipient} in {@code conversation}, with buttons for {@code actions}.
     * In a group the platform may mention the recipient.
     *
     * @return the reference of the (first) message sent, for {@link #edit}
     */
    MessageRef send(Conversation conversation, ChatUser recipient, String text, List<Action> actions);

    /**
     * Like {@link #send(Conversation, ChatUser, String, List)}, under a delivered result: the buttons that act on it
     * ({@link Action#onResult()}) carry {@code resultId}, and a press sends {@link Action#command(Optional)}. A
     * platform that cannot carry it sends plain buttons, which act on the project's newest result.
     */
    default MessageRef send(Conversation conversation, ChatUser recipient, String text, List<Action> actions,
                            Optional<String> resultId) {
        return send(conversation, recipient, text, actions);
    }

    /** Replaces the text (and buttons) of a message sent before; a no-op if the text did not change. */
    void edit(MessageRef message, String text, List<Action> actions);

    /**
     * Uploads an MP4 as a playable video with a caption.
     *
     * @throws VideoRejectedException if the platform will not take it; the engine then sends the link instead
     */
    MessageRef sendVideo(Conversation conversation, ChatUser recipient, Path mp4, String caption, List<Action> actions);

    /**
     * Like {@link #sendVideo(Conversation, ChatUser, Path, String, List)}, its buttons carrying the delivered
     * result's id as {@link #send(Conversation, ChatUser, String, List, Optional)} says.
     */
    default MessageRef sendVideo(Conversation conversation, ChatUser recipient, Path mp4, String caption,
                                 List<Action> actions, Optional<String> resultId) {
        return sendVideo(conversation, recipient, mp4, caption, actions);
    }
}
