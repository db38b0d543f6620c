package dev.nemobot.discord;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Activity;
import dev.nemobot.core.chat.ChatPlatform;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.MessageRef;
import dev.nemobot.core.chat.TextSplitter;
import dev.nemobot.core.chat.VideoRejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.buttons.Button;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.middleman.GuildChannel;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.requests.ErrorResponse;
import net.dv8tion.jda.api.sharding.ShardManager;
import net.dv8tion.jda.api.utils.FileUpload;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import net.dv8tion.jda.api.utils.messages.MessageEditBuilder;
import net.dv8tion.jda.api.utils.messages.MessageEditData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discord's outbound side. Thread-safe; calls may block on REST (they come from the engine's virtual threads).
 *
 * <p>An interaction acknowledged by the listener leaves a hook here; the first message the engine sends to
 * that user in that channel replaces the "thinking" placeholder through the hook while its token is fresh.
 * Everything else goes out as an ordinary channel or DM message, mentioning the user in a server channel.
 *
 * <p>With sharding, a server channel is found in the cache of whichever of this instance's shards holds its server.
 * Direct messages work from any instance (the DM channel is opened by REST). A server channel on a shard another
 * instance runs is not in this instance's cache, and JDA offers no public way to send to a channel it has not
 * cached: such a send fails with an {@link IllegalStateException} naming the channel (edits are dropped with a
 * warning). The engine answers where the message came in, so this happens only if work moves between instances.
 */
final class DiscordPlatform implements ChatPlatform {
    static final String NAME = "discord";

    private static final Logger log = LoggerFactory.getLogger(DiscordPlatform.class);
    /** A hook this close to its expiry is not used: an upload through it could outlive the token. */
    private static final Duration HOOK_MARGIN = Duration.ofSeconds(60);
    private static final int MAX_HOOKS_PER_KEY = 4;
    private static final int MAX_TRACKED = 4096;

    private final Clock clock;
    private final EditThrottle throttle;
    private volatile ShardManager shards;

    private final Map<String, Deque<InteractionHook>> hooks = new LinkedHashMap<>();
    private final Map<String, Long> interactionLimits = lru(MAX_TRACKED);
    private final Map<String, Sent> sent = lru(MAX_TRACKED);

    /** What the adapter remembers of a message it sent, to edit it later. */
    private record Sent(String channelId, boolean group, String recipientId, Locale locale, String prefix,
                        InteractionHook hook, String content, List<Action> actions) {
    }

    DiscordPlatform(Clock clock, EditThrottle throttle) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
    }

    void bind(ShardManager shards) {
        this.shards = Objects.requireNonNull(shards, "shards");
    }

    /** This instance's shards: their caches hold the servers and channels they carry. */
    private ShardManager shards() {
        ShardManager current = shards;
        if (current == null) {
            throw new IllegalStateException("the Discord connection is not started");
        }
        return current;
    }

    /** True when every shard of this instance has started and its gateway session is connected. */
    @Override
    public boolean connected() {
        ShardManager current = shards;
        return current != null && current.getShardsQueued() == 0 && !current.getShards().isEmpty()
                && current.getShards().stream().allMatch(s -> s.getStatus() == JDA.Status.CONNECTED);
    }

    /** A shard for calls that are not bound to a server (opening a DM channel): a connected one when there is one. */
    private JDA anyShard() {
        List<JDA> all = shards().getShards();
        return all.stream().filter(s -> s.getStatus() == JDA.Status.CONNECTED).findFirst()
                .or(() -> all.stream().findFirst())
                .orElseThrow(() -> new IllegalStateException("no Discord shard is running"));
    }

    /** Direct messages from any shard; a server's channels only when the server is on one of this instance's shards. */
    @Override
    public boolean reaches(Conversation conversation) {
        ShardManager current = shards;
        return conversation.guild().isEmpty() || current == null || current.getGuildById(conversation.guild()) != null;
    }

    // ---- called by the listener ----

    /** Keeps an acknowledged interaction's hook for the first reply to {@code userId} in {@code channelId}. */
    void offerHook(String userId, String channelId, InteractionHook hook) {
        synchronized (hooks) {
            if (hooks.size() > MAX_TRACKED) {
                hooks.values().removeIf(q -> {
                    q.removeIf(this::stale);
                    return q.isEmpty();
                });
            }
            Deque<InteractionHook> queue = hooks.computeIfAbsent(userId + ":" + channelId, k -> new ArrayDeque<>());
            if (queue.size() >= MAX_HOOKS_PER_KEY) {
                queue.pollFirst();
            }
            queue.addLast(hook);
        }
    }

    /** Remembers the upload limit an interaction reported for its channel (boosts included). */
    void rememberUploadLimit(String channelId, long bytes) {
        if (bytes > 0) {
            synchronized (interactionLimits) {
                interactionLimits.put(channelId, bytes);
            }
        }
    }

    private InteractionHook takeFreshHook(String userId, String channelId) {
        synchronized (hooks) {
            String key = userId + ":" + channelId;
            Deque<InteractionHook> queue = hooks.get(key);
            InteractionHook fresh = null;
            while (queue != null && !queue.isEmpty() && fresh == null) {
                InteractionHook hook = queue.pollFirst();
                if (!stale(hook)) {
                    fresh = hook;
                }
            }
            if (queue != null && queue.isEmpty()) {
                hooks.remove(key);
            }
            return fresh;
        }
    }

    private void giveBack(String userId, String channelId, InteractionHook hook) {
        synchronized (hooks) {
            hooks.computeIfAbsent(userId + ":" + channelId, k -> new ArrayDeque<>()).addFirst(hook);
        }
    }

    private boolean stale(InteractionHook hook) {
        return hook.getExpirationTimestamp() - clock.millis() < HOOK_MARGIN.toMillis();
    }

    // ---- ChatPlatform ----

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long uploadLimitBytes(Conversation conversation) {
        synchronized (interactionLimits) {
            Long limit = interactionLimits.get(conversation.id());
            if (limit != null) {
                return limit;
            }
        }
        if (conversation.group()) {
            GuildChannel channel = shards().getGuildChannelById(conversation.id());
            if (channel != null) {
                return channel.getGuild().getMaxFileSize();
            }
        }
        return Message.MAX_FILE_SIZE;
    }

    @Override
    public void showActivity(Conversation conversation, Activity activity) {
        MessageChannel channel = shards().getChannelById(MessageChannel.class, conversation.id());
        if (channel != null) {
            // Discord has one indicator ("typing") for every activity
            channel.sendTyping().queue(null, e -> log.debug("typing indicator failed in {}: {}", conversation.id(), e.toString()));
        }
    }

    @Override
    public MessageRef send(Conversation conversation, ChatUser recipient, String text, List<Action> actions) {
        return send(conversation, recipient, text, actions, Optional.empty());
    }

    @Override
    public MessageRef send(Conversation conversation, ChatUser recipient, String text, List<Action> actions,
                           Optional<String> resultId) {
        String body = DiscordText.escape(text);
        InteractionHook hook = takeFreshHook(recipient.id(), conversation.id());
        if (hook != null) {
            try {
                return sendThroughHook(hook, conversation, recipient, body, actions, resultId);
            } catch (ErrorResponseException e) {
                // the acknowledgement may have been lost (a slow event thread, a restart): say it in the channel
                log.warn("answering through the interaction failed ({}); sending a channel message", e.getMeaning());
            }
        }
        String prefix = conversation.group() ? mention(recipient) : "";
        MessageChannel channel = channel(conversation, recipient.id());
        List<String> pieces = TextSplitter.split(prefix + body, DiscordText.MAX_LENGTH, DiscordText.ESCAPE);
        Message first = null;
        for (int i = 0; i < pieces.size(); i++) {
            List<Action> buttons = i == pieces.size() - 1 ? actions : List.of();
            Message m = channel.sendMessage(createData(pieces.get(i), buttons, resultId, recipient,
                    i == 0 && !prefix.isEmpty())).complete();
            first = first == null ? m : first;
        }
        remember(first.getId(), new Sent(conversation.id(), conversation.group(), recipient.id(), recipient.locale(), prefix,
                null, pieces.getFirst(), pieces.size() == 1 ? List.copyOf(actions) : List.of()));
        return new MessageRef(conversation, first.getId());
    }

    private MessageRef sendThroughHook(InteractionHook hook, Conversation conversation, ChatUser recipient, String body,
                                       List<Action> actions, Optional<String> resultId) {
        List<String> pieces = TextSplitter.split(body, DiscordText.MAX_LENGTH, DiscordText.ESCAPE);
        // the first piece replaces the "thinking" placeholder; the rest are follow-ups
        Message first = hook.editOriginal(editData(pieces.getFirst(), pieces.size() == 1 ? actions : List.of(), resultId,
                recipient)).complete();
        for (int i = 1; i < pieces.size(); i++) {
            List<Action> buttons = i == pieces.size() - 1 ? actions : List.of();
            hook.sendMessage(createData(pieces.get(i), buttons, resultId, recipient, false)).complete();
        }
        remember(first.getId(), new Sent(conversation.id(), conversation.group(), recipient.id(), recipient.locale(), "",
                hook, pieces.getFirst(), pieces.size() == 1 ? List.copyOf(actions) : List.of()));
        return new MessageRef(conversation, first.getId());
    }

    @Override
    public void edit(MessageRef message, String text, List<Action> actions) {
        Sent before;
        synchronized (sent) {
            before = sent.get(message.id());
        }
        String prefix = before == null ? "" : before.prefix();
        String content = TextSplitter.truncate(prefix + DiscordText.escape(text), DiscordText.MAX_LENGTH, DiscordText.ESCAPE);
        List<Action> buttons = List.copyOf(actions);
        if (before != null && before.content().equals(content) && before.actions().equals(buttons)) {
            return;
        }
        Sent after = before == null ? null : new Sent(before.channelId(), before.group(), before.recipientId(), before.locale(), prefix,
                before.hook(), content, buttons);
        if (after != null) {
            remember(message.id(), after);
        }
        String channelId = message.conversation().id();
        throttle.submit(channelId, message.id(), () -> applyEdit(message, after, content, buttons));
    }

    private void applyEdit(MessageRef message, Sent sentBefore, String content, List<Action> actions) {
        MessageEditBuilder builder = new MessageEditBuilder().setContent(content).setAllowedMentions(EnumSet.noneOf(Message.MentionType.class));
        if (sentBefore != null) {
            // without knowing whose message it is the buttons cannot be rebuilt: leave them as they are
            builder.setComponents(rows(actions, sentBefore.recipientId(), Optional.empty(), sentBefore.locale()));
        }
        MessageEditData data = builder.build();
        if (sentBefore != null && sentBefore.hook() != null && !stale(sentBefore.hook())) {
            sentBefore.hook().editMessageById(message.id(), data)
                    .queue(null, e -> log.warn("edit of message {} failed: {}", message.id(), e.toString()));
            return;
        }
        MessageChannel channel = shards().getChannelById(MessageChannel.class, message.conversation().id());
        if (channel == null && sentBefore != null && !sentBefore.group()) {
            anyShard().openPrivateChannelById(sentBefore.recipientId())
                    .flatMap(dm -> dm.editMessageById(message.id(), data))
                    .queue(null, e -> log.warn("edit of message {} failed: {}", message.id(), e.toString()));
            return;
        }
        if (channel == null) {
            log.warn("cannot edit message {}: channel {} is not in this instance's cache", message.id(), message.conversation().id());
            return;
        }
        channel.editMessageById(message.id(), data)
                .queue(null, e -> log.warn("edit of message {} failed: {}", message.id(), e.toString()));
    }

    @Override
    public MessageRef sendVideo(Conversation conversation, ChatUser recipient, Path mp4, String caption, List<Action> actions) {
        return sendVideo(conversation, recipient, mp4, caption, actions, Optional.empty());
    }

    @Override
    public MessageRef sendVideo(Conversation conversation, ChatUser recipient, Path mp4, String caption, List<Action> actions,
                                Optional<String> resultId) {
        long size;
        try {
            size = Files.size(mp4);
        } catch (IOException e) {
            throw new VideoRejectedException("the video file cannot be read", e);
        }
        long limit = uploadLimitBytes(conversation);
        if (size > limit) {
            throw new VideoRejectedException("the video (" + size + " bytes) is over this channel's upload limit ("
                    + limit + " bytes)", true, null);
        }
        String body = DiscordText.escape(caption == null ? "" : caption);
        String fileName = mp4.getFileName() == null ? "" : mp4.getFileName().toString();
        String uploadName = fileName.endsWith(".mp4") ? fileName : "video.mp4";
        InteractionHook hook = takeFreshHook(recipient.id(), conversation.id());
        try {
            if (hook != null) {
                try {
                    return uploadThroughHook(hook, conversation, recipient, mp4, uploadName, body, actions, resultId);
                } catch (ErrorResponseException e) {
                    if (tooLarge(e)) {
                        giveBack(recipient.id(), conversation.id(), hook); // the link can still answer through it
                        throw e;
                    }
                    log.warn("uploading through the interaction failed ({}); uploading to the channel", e.getMeaning());
                }
            }
            String prefix = conversation.group() ? mention(recipient) : "";
            String content = TextSplitter.truncate(prefix + body, DiscordText.MAX_LENGTH, DiscordText.ESCAPE);
            try (FileUpload file = FileUpload.fromData(mp4, uploadName)) {
                MessageCreateData data = new MessageCreateBuilder()
                        .applyData(createData(content, actions, resultId, recipient, !prefix.isEmpty()))
                        .setFiles(file)
                        .build();
                Message message = channel(conversation, recipient.id()).sendMessage(data).complete();
                remember(message.getId(), new Sent(conversation.id(), conversation.group(), recipient.id(),
                        recipient.locale(), prefix, null, content, List.copyOf(actions)));
                return new MessageRef(conversation, message.getId());
            }
        } catch (ErrorResponseException e) {
            if (tooLarge(e)) {
                throw new VideoRejectedException("Discord refused the video as too large", true, e);
            }
            throw new VideoRejectedException("Discord refused the video upload (" + e.getErrorCode() + ")", e);
        } catch (IOException | RuntimeException e) {
            throw new VideoRejectedException("the video upload failed", e);
        }
    }

    private MessageRef uploadThroughHook(InteractionHook hook, Conversation conversation, ChatUser recipient, Path mp4,
                                         String uploadName, String body, List<Action> actions, Optional<String> resultId)
            throws IOException {
        String content = TextSplitter.truncate(body, DiscordText.MAX_LENGTH, DiscordText.ESCAPE);
        try (FileUpload file = FileUpload.fromData(mp4, uploadName)) {
            MessageEditData data = new MessageEditBuilder()
                    .setContent(content)
                    .setComponents(rows(actions, recipient.id(), resultId, recipient.locale()))
                    .setAllowedMentions(EnumSet.noneOf(Message.MentionType.class))
                    .setAttachments(file)
                    .build();
            Message message = hook.editOriginal(data).complete();
            remember(message.getId(), new Sent(conversation.id(), conversation.group(), recipient.id(), recipient.locale(),
                    "", hook, content, List.copyOf(actions)));
            return new MessageRef(conversation, message.getId());
        }
    }

    private static boolean tooLarge(ErrorResponseException e) {
        return e.getErrorResponse() == ErrorResponse.REQUEST_ENTITY_TOO_LARGE
                || e.getResponse() != null && e.getResponse().code == 413;
    }

    // ---- helpers ----

    private MessageChannel channel(Conversation conversation, String userId) {
        MessageChannel channel = shards().getChannelById(MessageChannel.class, conversation.id());
        if (channel != null) {
            return channel;
        }
        if (!conversation.group()) {
            // a DM channel is not cached after a restart; opening it again is cheap and idempotent
            return anyShard().openPrivateChannelById(userId).complete();
        }
        // not cached: the bot left that server, or it lives on a shard another instance runs (see the class comment)
        throw new IllegalStateException("channel " + conversation.id() + " is not in this instance's cache (the bot left"
                + " its server, or the server is on a shard another instance runs)");
    }

    private static String mention(ChatUser recipient) {
        return "<@" + recipient.id() + "> ";
    }

    private static MessageCreateData createData(String content, List<Action> actions, Optional<String> resultId,
                                                ChatUser owner, boolean pingOwner) {
        MessageCreateBuilder builder = new MessageCreateBuilder()
                .setContent(content)
                .setComponents(rows(actions, owner.id(), resultId, owner.locale()))
                .setAllowedMentions(EnumSet.noneOf(Message.MentionType.class));
        if (pingOwner) {
            builder.mentionUsers(owner.id());
        }
        return builder.build();
    }

    private static MessageEditData editData(String content, List<Action> actions, Optional<String> resultId,
                                            ChatUser owner) {
        return new MessageEditBuilder()
                .setContent(content)
                .setComponents(rows(actions, owner.id(), resultId, owner.locale()))
                .setAllowedMentions(EnumSet.noneOf(Message.MentionType.class))
                .build();
    }

    private static List<ActionRow> rows(List<Action> actions, String ownerId, Optional<String> resultId, Locale locale) {
        if (actions.isEmpty()) {
            return List.of();
        }
        List<Button> buttons = new ArrayList<>();
        for (Action action : actions) {
            String id = CustomIds.of(action, ownerId, resultId);
            String label = action.label(locale);
            buttons.add(switch (action) {
                case EXPORT -> Button.primary(id, label);
                case CANCEL -> Button.danger(id, label);
                default -> Button.secondary(id, label);
            });
        }
        return ActionRow.partitionOf(buttons);
    }

    private void remember(String messageId, Sent value) {
        synchronized (sent) {
            sent.put(messageId, value);
        }
    }

    private static <V> Map<String, V> lru(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }
}
