package dev.nemobot.discord;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Activity;
import dev.nemobot.core.chat.ChatPlatform;
import dev.nemobot.core.chat.kit.Catalogue;
import dev.nemobot.core.chat.kit.ChannelBudget;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Choice;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.MessageRef;
import dev.nemobot.core.chat.ReplyTo;
import dev.nemobot.core.chat.kit.TextSplitter;
import dev.nemobot.core.chat.VideoRejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.buttons.Button;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.middleman.GuildChannel;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.requests.ErrorResponse;
import net.dv8tion.jda.api.requests.restaction.MessageCreateAction;
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
 * <p>An interaction acknowledged by the listener leaves its hook here, under the interaction's id, which the engine
 * hands back with every answer to it ({@link ReplyTo#request}): an answer goes to its own interaction and never to
 * another one of the same user. The first answer replaces the "thinking" placeholder; later answers to a private
 * interaction ({@code /credits}, {@code /status}) are private follow-ups, later answers to a public one (the render's
 * progress and the video after {@code /animate}) are channel messages that reply to that first answer. An answer whose
 * interaction is gone or expired goes as a channel message replying to the request. Answers to an ordinary message
 * reply to it. In a server channel (a thread is a channel of its own) channel messages mention the user.
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
    private static final int MAX_TRACKED = 4096;
    /** The longest an engine thread waits for its turn in a channel's budget before it goes on regardless. */
    private static final Duration MAX_TURN_WAIT = Duration.ofSeconds(30);
    /** The longest a send waits for its turn and its answer. */
    private static final Duration MAX_SEND_WAIT = Duration.ofMinutes(10);

    private final Clock clock;
    private final ChannelBudget budget;
    private volatile ShardManager shards;

    /** The interactions acknowledged lately, by interaction id (bounded, as the two below: {@link #bounded}). */
    private final Map<String, Interaction> interactions = bounded(MAX_TRACKED);
    private final Map<String, Long> interactionLimits = bounded(MAX_TRACKED);
    private final Map<String, Sent> sent = bounded(MAX_TRACKED);

    /**
     * An acknowledged interaction: its hook, whether its answers are private (ephemeral), and the message its first
     * answer became. The lock makes "the first answer edits the placeholder" hold when two answers race.
     */
    private static final class Interaction {
        final InteractionHook hook;
        final boolean ephemeral;
        final ReentrantLock lock = new ReentrantLock();
        /** The id of the message that replaced the "thinking" placeholder; null until then. Guarded by lock. */
        String original;

        Interaction(InteractionHook hook, boolean ephemeral) {
            this.hook = hook;
            this.ephemeral = ephemeral;
        }
    }

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

    /**
     * Keeps an acknowledged interaction's hook for the answers to it: the engine's answers to the {@code Incoming}
     * whose request is {@code interactionId}. {@code ephemeral}: its answers are seen by the asker alone.
     */
    void offerHook(String interactionId, InteractionHook hook, boolean ephemeral) {
        interactions.put(interactionId, new Interaction(hook, ephemeral));
    }

    /** Remembers the upload limit an interaction reported for its channel (boosts included). */
    void rememberUploadLimit(String channelId, long bytes) {
        if (bytes > 0) {
            interactionLimits.put(channelId, bytes);
        }
    }

    /** The interaction {@code to} answers, if it is one this instance acknowledged. */
    private Interaction interaction(ReplyTo to) {
        if (!to.hasRequest()) {
            return null;
        }
        return interactions.get(to.request());
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
        Long limit = interactionLimits.get(conversation.id());
        if (limit != null) {
            return limit;
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
    public MessageRef send(ReplyTo to, ChatUser recipient, String text, List<Action> actions,
                           Optional<String> resultId) {
        Conversation conversation = to.conversation();
        String body = DiscordText.escape(text);
        Answer hooked = throughInteraction(to, interaction -> {
            try {
                return sendThroughHook(interaction, conversation, recipient, body, actions, resultId);
            } catch (ErrorResponseException e) {
                // the acknowledgement may have been lost (a slow event thread, a restart): say it in the channel
                log.warn("answering through the interaction failed ({}); sending a channel message", e.getMeaning());
                return null;
            }
        });
        if (hooked.sent() != null) {
            return hooked.sent();
        }
        String quote = hooked.quote();
        String prefix = conversation.group() ? mention(recipient) : "";
        MessageChannel channel = channel(conversation, recipient.id());
        List<String> pieces = TextSplitter.split(prefix + body, DiscordText.MAX_LENGTH, DiscordText.ESCAPE);
        Message first = null;
        for (int i = 0; i < pieces.size(); i++) {
            List<Action> buttons = i == pieces.size() - 1 ? actions : List.of();
            MessageCreateAction create = channel.sendMessage(createData(pieces.get(i), buttons, resultId, recipient,
                    i == 0 && !prefix.isEmpty()));
            MessageCreateAction action = i == 0 ? quoting(create, quote) : create;
            Message m = sent(budget.send(conversation.id(), action::submit));
            first = first == null ? m : first;
        }
        remember(first.getId(), new Sent(conversation.id(), conversation.group(), recipient.id(), recipient.locale(), prefix,
                null, pieces.getFirst(), pieces.size() == 1 ? List.copyOf(actions) : List.of()));
        return new MessageRef(conversation, first.getId());
    }

    /**
     * A list whose buttons each have their own label and argument (the history's page): through the interaction's
     * hook like {@link #send}, private when the interaction is ({@code /videos}); else a channel message. One message:
     * a text too long is cut, not split, so its page can be turned in place.
     */
    @Override
    public MessageRef sendChoices(ReplyTo to, ChatUser recipient, String text, List<List<Choice>> rows) {
        Conversation conversation = to.conversation();
        List<ActionRow> components = choiceRows(rows, recipient.id());
        String body = TextSplitter.truncate(DiscordText.escape(text), DiscordText.MAX_LENGTH, DiscordText.ESCAPE);
        Answer hooked = throughInteraction(to, interaction -> {
            InteractionHook hook = interaction.hook;
            Message m;
            if (interaction.original == null) {
                m = hook.editOriginal(new MessageEditBuilder().setContent(body).setComponents(components)
                        .setAllowedMentions(EnumSet.noneOf(Message.MentionType.class)).build()).complete();
                interaction.original = m.getId();
            } else {
                m = hook.sendMessage(new MessageCreateBuilder().setContent(body).setComponents(components)
                        .setAllowedMentions(EnumSet.noneOf(Message.MentionType.class)).build()).complete();
            }
            remember(m.getId(), new Sent(conversation.id(), conversation.group(), recipient.id(),
                    recipient.locale(), "", hook, body, List.of()));
            return new MessageRef(conversation, m.getId());
        });
        if (hooked.sent() != null) {
            return hooked.sent();
        }
        String quote = hooked.quote();
        String prefix = conversation.group() ? mention(recipient) : "";
        String content = TextSplitter.truncate(prefix + DiscordText.escape(text), DiscordText.MAX_LENGTH,
                DiscordText.ESCAPE);
        MessageCreateBuilder data = new MessageCreateBuilder().setContent(content).setComponents(components)
                .setAllowedMentions(EnumSet.noneOf(Message.MentionType.class));
        if (!prefix.isEmpty()) {
            data.mentionUsers(recipient.id());
        }
        MessageCreateAction create = quoting(channel(conversation, recipient.id()).sendMessage(data.build()), quote);
        Message m = sent(budget.send(conversation.id(), create::submit));
        remember(m.getId(), new Sent(conversation.id(), conversation.group(), recipient.id(), recipient.locale(),
                prefix, null, content, List.of()));
        return new MessageRef(conversation, m.getId());
    }

    /** A direct message, or the answer to an interaction acknowledged as private (a command's, a page's). */
    @Override
    public boolean answersPrivately(ReplyTo to) {
        if (!to.conversation().group()) {
            return true;
        }
        Interaction interaction = interaction(to);
        return interaction != null && interaction.ephemeral;
    }

    /** The bot's slash commands are answered privately where their answers are the user's business alone. */
    @Override
    public boolean privateCommands() {
        return true;
    }

    /** Buttons of their own labels and arguments ({@link Choice}), for {@code ownerId}, five to a row. */
    static List<ActionRow> choiceRows(List<List<Choice>> rows, String ownerId) {
        List<ActionRow> out = new ArrayList<>();
        for (List<Choice> row : rows) {
            List<Button> buttons = new ArrayList<>();
            for (Choice c : row) {
                String id = CustomIds.of(c.action(), ownerId, c.argument());
                buttons.add(c.action() == Action.VIDEOS ? Button.primary(id, c.label()) : Button.secondary(id, c.label()));
            }
            if (!buttons.isEmpty()) {
                out.addAll(ActionRow.partitionOf(buttons));
            }
        }
        return out;
    }

    /**
     * What {@link #send} and {@link #sendChoices} do first: answer through the interaction's hook, under its lock,
     * while the hook may still be used ({@link #throughHook}); else tell which message the channel answer quotes (the
     * interaction's first answer, or the request).
     *
     * @param viaHook sends through the hook, or returns null to fall back to the channel
     */
    private Answer throughInteraction(ReplyTo to, Function<Interaction, MessageRef> viaHook) {
        Interaction interaction = interaction(to);
        if (interaction == null) {
            return new Answer(null, to.request());
        }
        interaction.lock.lock();
        try {
            if (throughHook(interaction)) {
                MessageRef sent = viaHook.apply(interaction);
                if (sent != null) {
                    return new Answer(sent, null);
                }
            }
            return new Answer(null, interaction.original);
        } finally {
            interaction.lock.unlock();
        }
    }

    /** Sent through the interaction's hook, or not: then the message a channel answer quotes (null: none). */
    private record Answer(MessageRef sent, String quote) {
    }

    /**
     * True when an answer goes through the interaction's own hook: its first answer while the token is fresh, and every
     * answer of a private one. Later answers to a public interaction are channel messages replying to the first one.
     * Called with the interaction's lock held.
     */
    private boolean throughHook(Interaction interaction) {
        return !stale(interaction.hook) && (interaction.original == null || interaction.ephemeral);
    }

    /** A reply to {@code messageId} (when there is one), kept if that message is gone. */
    private static MessageCreateAction quoting(MessageCreateAction create, String messageId) {
        return messageId == null || messageId.isEmpty() ? create
                : create.setMessageReference(messageId).failOnInvalidReply(false);
    }

    private MessageRef sendThroughHook(Interaction interaction, Conversation conversation, ChatUser recipient,
                                       String body, List<Action> actions, Optional<String> resultId) {
        InteractionHook hook = interaction.hook;
        List<String> pieces = TextSplitter.split(body, DiscordText.MAX_LENGTH, DiscordText.ESCAPE);
        List<Action> firstButtons = pieces.size() == 1 ? actions : List.of();
        // the first answer replaces the "thinking" placeholder; the rest are follow-ups (private if the answer is)
        Message first;
        if (interaction.original == null) {
            first = hook.editOriginal(editData(pieces.getFirst(), firstButtons, resultId, recipient)).complete();
            interaction.original = first.getId();
        } else {
            first = hook.sendMessage(createData(pieces.getFirst(), firstButtons, resultId, recipient, false)).complete();
        }
        for (int i = 1; i < pieces.size(); i++) {
            List<Action> buttons = i == pieces.size() - 1 ? actions : List.of();
            hook.sendMessage(createData(pieces.get(i), buttons, resultId, recipient, false)).complete();
        }
        remember(first.getId(), new Sent(conversation.id(), conversation.group(), recipient.id(), recipient.locale(), "",
                hook, pieces.getFirst(), pieces.size() == 1 ? List.copyOf(actions) : List.of()));
        return new MessageRef(conversation, first.getId());
    }

    /** A deferred interaction that gets no answer: its "thinking…" placeholder is deleted rather than left for good. */
    @Override
    public void unanswered(ReplyTo to) {
        Interaction interaction = interaction(to);
        if (interaction == null) {
            return;
        }
        interaction.lock.lock();
        try {
            if (interaction.original == null && !stale(interaction.hook)) {
                interaction.hook.deleteOriginal()
                        .queue(null, e -> log.debug("deleting an unanswered placeholder failed: {}", e.toString()));
            }
        } finally {
            interaction.lock.unlock();
        }
        interactions.remove(to.request());
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
        Sent before = sent.get(message.id());
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
            builder.setComponents(rows(actions, sentBefore.recipientId(), Optional.empty(), sentBefore.locale()));
        }
        return applyEditData(message, sentBefore, builder.build());
    }

    /** Starts the edit of {@code message} to {@code data}: through its interaction's hook when it was sent through one. */
    private CompletableFuture<?> applyEditData(MessageRef message, Sent sentBefore, MessageEditData data) {
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
    public MessageRef sendVideo(ReplyTo to, ChatUser recipient, Path mp4, String caption, List<Action> actions,
                                Optional<String> resultId) {
        Conversation conversation = to.conversation();
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
        String quote = to.request();
        Interaction interaction = interaction(to);
        try {
            if (interaction != null) {
                interaction.lock.lock();
                try {
                    if (throughHook(interaction)) {
                        try {
                            return uploadThroughHook(interaction, conversation, recipient, mp4, uploadName, body, actions, resultId);
                        } catch (ErrorResponseException e) {
                            if (tooLarge(e)) {
                                throw e; // the link answers through the same interaction
                            }
                            log.warn("uploading through the interaction failed ({}); uploading to the channel",
                                    e.getMeaning());
                        }
                    }
                    quote = interaction.original;
                } finally {
                    interaction.lock.unlock();
                }
            }
            String prefix = conversation.group() ? mention(recipient) : "";
            String content = TextSplitter.truncate(prefix + body, DiscordText.MAX_LENGTH, DiscordText.ESCAPE);
            try (FileUpload file = FileUpload.fromData(mp4, uploadName)) {
                MessageCreateData data = new MessageCreateBuilder()
                        .applyData(createData(content, actions, resultId, recipient, !prefix.isEmpty()))
                        .setFiles(file)
                        .build();
                MessageCreateAction create = quoting(channel(conversation, recipient.id()).sendMessage(data), quote);
                Message message = sent(budget.send(conversation.id(), create::submit));
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

    /**
     * Edits the progress message into the video: its content becomes the caption (after the same mention), the MP4 its
     * attachment and the buttons the video's. The edit is the message's final state in the channel's budget, so no
     * progress edit of it lands after the video; it goes through the interaction's hook when the message was sent
     * through one. A message this instance did not send (a job resumed after a restart), or one that cannot be edited
     * any more, is folded to {@code folded} beside the video sent as a message of its own.
     */
    @Override
    public MessageRef finishWithVideo(MessageRef progress, String folded, ReplyTo to, ChatUser recipient, Path mp4,
                                      String caption, List<Action> actions, Optional<String> resultId) {
        Sent before = sent.get(progress.id());
        if (before == null || !progress.conversation().equals(to.conversation())) {
            return ChatPlatform.super.finishWithVideo(progress, folded, to, recipient, mp4, caption, actions, resultId);
        }
        long size;
        try {
            size = Files.size(mp4);
        } catch (IOException e) {
            throw new VideoRejectedException("the video file cannot be read", e);
        }
        long limit = uploadLimitBytes(to.conversation());
        if (size > limit) {
            throw new VideoRejectedException("the video (" + size + " bytes) is over this channel's upload limit ("
                    + limit + " bytes)", true, null);
        }
        String fileName = mp4.getFileName() == null ? "" : mp4.getFileName().toString();
        String uploadName = fileName.endsWith(".mp4") ? fileName : "video.mp4";
        String content = TextSplitter.truncate(before.prefix() + DiscordText.escape(caption == null ? "" : caption),
                DiscordText.MAX_LENGTH, DiscordText.ESCAPE);
        List<Action> buttons = List.copyOf(actions);
        Sent after = new Sent(before.channelId(), before.group(), before.recipientId(), before.locale(),
                before.prefix(), before.hook(), content, buttons);
        CompletableFuture<Boolean> done = budget.submit(progress.conversation().id(), progress.id(),
                ChannelBudget.Kind.FINAL, () -> {
                    FileUpload file;
                    try {
                        file = FileUpload.fromData(mp4, uploadName);
                    } catch (RuntimeException e) {
                        return CompletableFuture.failedFuture(e);
                    }
                    MessageEditData data = new MessageEditBuilder()
                            .setContent(content)
                            .setComponents(rows(buttons, before.recipientId(), resultId, before.locale()))
                            .setAllowedMentions(EnumSet.noneOf(Message.MentionType.class))
                            .setAttachments(file)
                            .build();
                    CompletableFuture<?> edit;
                    try {
                        edit = applyEditData(progress, before, data);
                    } catch (RuntimeException e) {
                        edit = CompletableFuture.failedFuture(e);
                    }
                    return edit.whenComplete((v, e) -> {
                        try {
                            file.close();
                        } catch (IOException ignored) {
                            // a file opened for reading: nothing was lost
                        }
                    });
                });
        boolean shown;
        try {
            shown = done.get(MAX_SEND_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VideoRejectedException("interrupted while waiting for the channel's rate limit", e);
        } catch (ExecutionException e) {
            if (rootCause(e) instanceof ErrorResponseException r && tooLarge(r)) {
                throw new VideoRejectedException("Discord refused the video as too large", true, r);
            }
            // the progress message may be gone (deleted by a moderator) or its hook expired: the video as a message
            // of its own, beside it, as before
            log.warn("editing the progress message into the video failed ({}); sending the video beside it",
                    rootCause(e).toString());
            return ChatPlatform.super.finishWithVideo(progress, folded, to, recipient, mp4, caption, actions, resultId);
        } catch (TimeoutException e) {
            throw new VideoRejectedException("the video waited " + MAX_SEND_WAIT + " for the channel's rate limit", e);
        }
        if (!shown) {
            throw new VideoRejectedException("the video edit gave way in the channel's budget", null);
        }
        remember(progress.id(), after);
        return progress;
    }

    private MessageRef uploadThroughHook(Interaction interaction, Conversation conversation, ChatUser recipient, Path mp4,
                                         String uploadName, String body, List<Action> actions, Optional<String> resultId)
            throws IOException {
        InteractionHook hook = interaction.hook;
        String content = TextSplitter.truncate(body, DiscordText.MAX_LENGTH, DiscordText.ESCAPE);
        try (FileUpload file = FileUpload.fromData(mp4, uploadName)) {
            Message message;
            if (interaction.original == null) {
                MessageEditData data = new MessageEditBuilder()
                        .setContent(content)
                        .setComponents(rows(actions, recipient.id(), resultId, recipient.locale()))
                        .setAllowedMentions(EnumSet.noneOf(Message.MentionType.class))
                        .setAttachments(file)
                        .build();
                message = hook.editOriginal(data).complete();
                interaction.original = message.getId();
            } else {
                MessageCreateData data = new MessageCreateBuilder()
                        .applyData(createData(content, actions, resultId, recipient, false))
                        .setFiles(file)
                        .build();
                message = hook.sendMessage(data).complete();
            }
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
            String label = Catalogue.of(locale).label(action);
            buttons.add(switch (action) {
                case EXPORT -> Button.primary(id, label);
                case CANCEL, ERASE -> Button.danger(id, label);
                default -> Button.secondary(id, label);
            });
        }
        return ActionRow.partitionOf(buttons);
    }

    private void remember(String messageId, Sent value) {
        sent.put(messageId, value);
    }

    /**
     * A thread-safe map of at most about {@code capacity} entries (Caffeine: what was not used lately is forgotten
     * first). Each holds what the engine's next calls about a message or an interaction need; one forgotten is
     * answered as a message this instance did not send (as after a restart).
     */
    private static <V> Map<String, V> bounded(int capacity) {
        return Caffeine.newBuilder().maximumSize(capacity).<String, V>build().asMap();
    }
}
