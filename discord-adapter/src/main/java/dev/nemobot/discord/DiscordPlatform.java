package dev.nemobot.discord;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Activity;
import dev.nemobot.core.chat.ChatPlatform;
import dev.nemobot.core.chat.ChannelBudget;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    /** The longest an engine thread waits for its turn in a channel's budget before it goes on regardless. */
    private static final Duration MAX_TURN_WAIT = Duration.ofSeconds(30);
    /** The longest a send waits for its turn and its answer. */
    private static final Duration MAX_SEND_WAIT = Duration.ofMinutes(10);

    private final Clock clock;
    private final ChannelBudget budget;
    private volatile ShardManager shards;

    private final Map<String, Deque<InteractionHook>> hooks = new LinkedHashMap<>();
    private final Map<String, Long> interactionLimits = lru(MAX_TRACKED);
    private final Map<String, Sent> sent = lru(MAX_TRACKED);

    /** What the adapter remembers of a message it sent, to edit it later. */
    private record Sent(String channelId, boolean group, String recipientId, Locale locale, String prefix,
                        InteractionHook hook, String content, List<Action> actions) {
    }

    /** {@code budget}: the messages and edits each channel allows, shared by that channel's jobs. */
    DiscordPlatform(Clock clock, ChannelBudget budget) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.budget = Objects.requireNonNull(budget, "budget");
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
        String body = DiscordText.escape(text);
        InteractionHook hook = takeFreshHook(recipient.id(), conversation.id());
        if (hook != null) {
            try {
                return sendThroughHook(hook, conversation, recipient, body, actions);
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
            MessageCreateData data = createData(pieces.get(i), buttons, recipient, i == 0 && !prefix.isEmpty());
            Message m = sent(budget.send(conversation.id(), () -> channel.sendMessage(data).submit()));
            first = first == null ? m : first;
        }
        remember(first.getId(), new Sent(conversation.id(), conversation.group(), recipient.id(), recipient.locale(), prefix,
                null, pieces.getFirst(), pieces.size() == 1 ? List.copyOf(actions) : List.of()));
        return new MessageRef(conversation, first.getId());
    }

    private MessageRef sendThroughHook(InteractionHook hook, Conversation conversation, ChatUser recipient, String body,
                                       List<Action> actions) {
        List<String> pieces = TextSplitter.split(body, DiscordText.MAX_LENGTH, DiscordText.ESCAPE);
        // the first piece replaces the "thinking" placeholder; the rest are follow-ups
        Message first = hook.editOriginal(editData(pieces.getFirst(), pieces.size() == 1 ? actions : List.of(), recipient))
                .complete();
        for (int i = 1; i < pieces.size(); i++) {
            List<Action> buttons = i == pieces.size() - 1 ? actions : List.of();
            hook.sendMessage(createData(pieces.get(i), buttons, recipient, false)).complete();
        }
        remember(first.getId(), new Sent(conversation.id(), conversation.group(), recipient.id(), recipient.locale(), "",
                hook, pieces.getFirst(), pieces.size() == 1 ? List.copyOf(actions) : List.of()));
        return new MessageRef(conversation, first.getId());
    }

    /** A final state: it goes before the channel's waiting progress edits, and has landed (or failed) on return. */
    @Override
    public void edit(MessageRef message, String text, List<Action> actions) {
        CompletableFuture<Boolean> done = submitEdit(message, text, actions, ChannelBudget.Kind.FINAL);
        if (done != null) {
            awaitTurn(done, "an edit");
        }
    }

    /** A progress state: queued in the channel's budget (a newer one of the same message replaces it); no wait. */
    @Override
    public void progress(MessageRef message, String text, List<Action> actions) {
        submitEdit(message, text, actions, ChannelBudget.Kind.PROGRESS);
    }

    private CompletableFuture<Boolean> submitEdit(MessageRef message, String text, List<Action> actions,
                                                  ChannelBudget.Kind kind) {
        Sent before;
        synchronized (sent) {
            before = sent.get(message.id());
        }
        String prefix = before == null ? "" : before.prefix();
        String content = TextSplitter.truncate(prefix + DiscordText.escape(text), DiscordText.MAX_LENGTH, DiscordText.ESCAPE);
        List<Action> buttons = List.copyOf(actions);
        if (before != null && before.content().equals(content) && before.actions().equals(buttons)) {
            return null;
        }
        Sent after = before == null ? null : new Sent(before.channelId(), before.group(), before.recipientId(), before.locale(), prefix,
                before.hook(), content, buttons);
        if (after != null) {
            remember(message.id(), after);
        }
        String channelId = message.conversation().id();
        CompletableFuture<Boolean> done = budget.submit(channelId, message.id(), kind,
                () -> applyEdit(message, after, content, buttons));
        done.whenComplete((ran, e) -> {
            if (e != null) {
                log.warn("edit of message {} failed: {}", message.id(), rootCause(e).toString());
            }
        });
        return done;
    }

    /**
     * Waits (on the engine's thread) for a message sent through the channel's budget, failing as JDA's
     * {@code complete()} does (an {@link ErrorResponseException} stays one).
     */
    private static Message sent(CompletableFuture<Message> sending) {
        try {
            return sending.get(MAX_SEND_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending a message", e);
        } catch (ExecutionException e) {
            if (rootCause(e) instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("sending a message failed", rootCause(e));
        } catch (TimeoutException e) {
            throw new IllegalStateException("a message waited " + MAX_SEND_WAIT + " for the channel's rate limit");
        }
    }

    /** Waits (on the engine's thread) for {@code turn}; a failure was logged where it happened. */
    private static void awaitTurn(CompletableFuture<Boolean> turn, String what) {
        try {
            turn.get(MAX_TURN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.debug("{} did not go through the channel's budget: {}", what, rootCause(e).toString());
        } catch (TimeoutException e) {
            log.warn("{} waited {} for the channel's rate limit; going on", what, MAX_TURN_WAIT);
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof java.util.concurrent.CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Starts the edit's request; its completion is the budget's signal that the next state may go. */
    private CompletableFuture<?> applyEdit(MessageRef message, Sent sentBefore, String content, List<Action> actions) {
        MessageEditBuilder builder = new MessageEditBuilder().setContent(content).setAllowedMentions(EnumSet.noneOf(Message.MentionType.class));
        if (sentBefore != null) {
            // without knowing whose message it is the buttons cannot be rebuilt: leave them as they are
            builder.setComponents(rows(actions, sentBefore.recipientId(), sentBefore.locale()));
        }
        MessageEditData data = builder.build();
        if (sentBefore != null && sentBefore.hook() != null && !stale(sentBefore.hook())) {
            return sentBefore.hook().editMessageById(message.id(), data).submit();
        }
        MessageChannel channel = shards().getChannelById(MessageChannel.class, message.conversation().id());
        if (channel == null && sentBefore != null && !sentBefore.group()) {
            return anyShard().openPrivateChannelById(sentBefore.recipientId())
                    .flatMap(dm -> dm.editMessageById(message.id(), data))
                    .submit();
        }
        if (channel == null) {
            log.warn("cannot edit message {}: channel {} is not in this instance's cache", message.id(), message.conversation().id());
            return CompletableFuture.completedFuture(null);
        }
        return channel.editMessageById(message.id(), data).submit();
    }

    @Override
    public MessageRef sendVideo(Conversation conversation, ChatUser recipient, Path mp4, String caption, List<Action> actions) {
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
                    return uploadThroughHook(hook, conversation, recipient, mp4, uploadName, body, actions);
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
                        .applyData(createData(content, actions, recipient, !prefix.isEmpty()))
                        .setFiles(file)
                        .build();
                MessageChannel channel = channel(conversation, recipient.id());
                Message message = sent(budget.send(conversation.id(), () -> channel.sendMessage(data).submit()));
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
                                         String uploadName, String body, List<Action> actions) throws IOException {
        String content = TextSplitter.truncate(body, DiscordText.MAX_LENGTH, DiscordText.ESCAPE);
        try (FileUpload file = FileUpload.fromData(mp4, uploadName)) {
            MessageEditData data = new MessageEditBuilder()
                    .setContent(content)
                    .setComponents(rows(actions, recipient.id(), recipient.locale()))
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

    private static MessageCreateData createData(String content, List<Action> actions, ChatUser owner, boolean pingOwner) {
        MessageCreateBuilder builder = new MessageCreateBuilder()
                .setContent(content)
                .setComponents(rows(actions, owner.id(), owner.locale()))
                .setAllowedMentions(EnumSet.noneOf(Message.MentionType.class));
        if (pingOwner) {
            builder.mentionUsers(owner.id());
        }
        return builder.build();
    }

    private static MessageEditData editData(String content, List<Action> actions, ChatUser owner) {
        return new MessageEditBuilder()
                .setContent(content)
                .setComponents(rows(actions, owner.id(), owner.locale()))
                .setAllowedMentions(EnumSet.noneOf(Message.MentionType.class))
                .build();
    }

    private static List<ActionRow> rows(List<Action> actions, String ownerId, Locale locale) {
        if (actions.isEmpty()) {
            return List.of();
        }
        List<Button> buttons = new ArrayList<>();
        for (Action action : actions) {
            String id = CustomIds.of(action, ownerId);
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
