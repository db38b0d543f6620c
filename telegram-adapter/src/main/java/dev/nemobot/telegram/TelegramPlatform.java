package dev.nemobot.telegram;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Activity;
import dev.nemobot.core.chat.kit.ChannelBudget;
import dev.nemobot.core.chat.ChatPlatform;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Choice;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.MessageRef;
import dev.nemobot.core.chat.SentUnconfirmedException;
import dev.nemobot.core.chat.ReplyTo;
import dev.nemobot.core.chat.kit.TextSplitter;
import dev.nemobot.core.chat.VideoRejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.methods.ActionType;
import org.telegram.telegrambots.meta.api.methods.send.SendChatAction;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.methods.send.SendVideo;
import org.telegram.telegrambots.meta.api.methods.updatingmessages.DeleteMessage;
import org.telegram.telegrambots.meta.api.methods.updatingmessages.EditMessageText;
import org.telegram.telegrambots.meta.api.objects.InputFile;
import org.telegram.telegrambots.meta.api.objects.MessageEntity;
import org.telegram.telegrambots.meta.api.objects.ReplyParameters;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.message.Message;

/**
 * The engine's outbound port on Telegram. Plain text (no parse mode), split at 4096 characters; in a group each reply
 * starts with the recipient's name as a mention and quotes the request it answers ({@code reply_parameters}, kept
 * when that message is gone). Everything goes to the forum topic the request came from ({@code message_thread_id}),
 * not the group's General topic. Messages and edits share each chat's budget ({@link ChannelBudget}: 20
 * a minute in a group, about one a second in a private chat, with {@link Tuning#editInterval()} as the second): a
 * progress edit waits there without holding the engine's thread, a final edit and a send wait for their turn; flood
 * limits are waited out by {@link BotApi}. Videos go up as multipart {@code sendVideo} only, never by URL. Thread-safe; calls
 * block the engine's calling thread.
 */
final class TelegramPlatform implements ChatPlatform {
    static final String NAME = "telegram";
    /** Telegram's limit for a message text, in UTF-16 code units. */
    static final int MESSAGE_LIMIT = 4096;
    /** Telegram's limit for a media caption. */
    static final int CAPTION_LIMIT = 1024;
    private static final Logger log = LoggerFactory.getLogger(TelegramPlatform.class);

    private final BotApi api;
    private final long uploadLimitBytes;
    private final Tuning tuning;
    /** The longest an engine thread waits for its turn in a chat's budget before it goes on regardless. */
    private static final Duration MAX_TURN_WAIT = Duration.ofMinutes(2);
    /** The longest a send (an upload included) waits for its turn and its answer. */
    private static final Duration MAX_SEND_WAIT = Duration.ofMinutes(10);

    private final ChannelBudget budget;
    /** Runs the requests the budget starts (they block on HTTP): one virtual thread each. */
    private final Executor requests = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("telegram-request-", 0).factory());
    private final BooleanSupplier receiving;
    /**
     * What an edit must repeat of the message it replaces: the reader's language and the mention. Bounded (Caffeine
     * keeps the messages edited lately); a message forgotten is edited without them, as after a restart.
     */
    private final Cache<String, Sent> sent = Caffeine.newBuilder().maximumSize(20_000).build();

    /** {@code ownerId}: whose buttons the message carries (null when unknown). */
    private record Sent(Locale locale, Mention mention, String ownerId) {
    }

    private record Mention(long userId, String name) {
        String prefix() {
            return name + ", ";
        }

        MessageEntity entity() {
            User user = User.builder().id(userId).firstName(name).isBot(false).build();
            return MessageEntity.builder().type("text_mention").offset(0).length(name.length()).user(user).build();
        }
    }

    /** {@code receiving} tells whether updates are coming in (the last getUpdates answered, or a webhook listens). */
    TelegramPlatform(BotApi api, long uploadLimitBytes, Tuning tuning, BooleanSupplier receiving) {
        this.api = api;
        this.receiving = receiving;
        this.uploadLimitBytes = uploadLimitBytes;
        this.tuning = tuning;
        Tuning.Sleeper sleeper = tuning.sleeper();
        ChannelBudget.Limit group = new ChannelBudget.Limit(20, tuning.editInterval().multipliedBy(60));
        ChannelBudget.Limit chat = new ChannelBudget.Limit(1, tuning.editInterval());
        this.budget = new ChannelBudget(new NanoClock(System::nanoTime), (task, delay) -> Thread.ofVirtual()
                .name("telegram-budget").start(() -> {
                    try {
                        sleeper.sleep(delay);
                    } catch (InterruptedException e) {
                        return;
                    }
                    task.run();
                }), id -> id.startsWith("-") ? group : chat, 1_000, 50_000);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean connected() {
        return receiving.getAsBoolean();
    }

    @Override
    public long uploadLimitBytes(Conversation conversation) {
        return uploadLimitBytes;
    }

    @Override
    public void showActivity(Conversation conversation, Activity activity) {
        ActionType type = switch (activity) {
            case TYPING -> ActionType.TYPING;
            case UPLOADING_VIDEO -> ActionType.UPLOAD_VIDEO;
        };
        api.callOnce(SendChatAction.builder().chatId(chatId(conversation)).messageThreadId(topic(conversation))
                .action(type.toString()).build());
    }

    @Override
    public MessageRef send(ReplyTo to, ChatUser recipient, String text, List<Action> actions,
                           Optional<String> resultId) {
        return send(to, recipient, text, Buttons.keyboard(actions, recipient.locale(), recipient.id(), resultId));
    }

    /** A list whose buttons each have their own label and argument (the history's page). */
    @Override
    public MessageRef sendChoices(ReplyTo to, ChatUser recipient, String text, List<List<Choice>> rows) {
        return send(to, recipient, text, Buttons.keyboard(rows, recipient.id()));
    }

    /** {@code text} (split where too long), {@code keyboard} (may be null) under its last part. */
    private MessageRef send(ReplyTo to, ChatUser recipient, String text, InlineKeyboardMarkup keyboard) {
        Conversation conversation = to.conversation();
        String chatId = chatId(conversation);
        requireText(text);
        Mention mention = mention(conversation, recipient);
        List<String> parts = TextSplitter.split(mention == null ? text : mention.prefix() + text, MESSAGE_LIMIT);
        MessageRef first = null;
        BotApiException.Unconfirmed unconfirmed = null;
        for (int i = 0; i < parts.size(); i++) {
            boolean head = i == 0;
            boolean last = i == parts.size() - 1;
            SendMessage.SendMessageBuilder<?, ?> b = SendMessage.builder().chatId(chatId).text(parts.get(i))
                    .messageThreadId(topic(conversation));
            if (head && mention != null) {
                b.entities(List.of(mention.entity()));
            }
            if (head) {
                b.replyParameters(quote(to));
            }
            if (last) {
                b.replyMarkup(keyboard);
            }
            SendMessage request = b.build();
            Message m;
            try {
                m = sent(budget.send(chatId, () -> CompletableFuture.supplyAsync(() -> api.call(request), requests)));
            } catch (BotApiException.Unconfirmed u) {
                // sent: not sent again; without its id, a first part cannot be edited
                unconfirmed = head ? u : unconfirmed;
                continue;
            }
            MessageRef ref = new MessageRef(conversation, String.valueOf(m.getMessageId()));
            sent.put(key(ref), new Sent(recipient.locale(), head ? mention : null, recipient.id()));
            if (head) {
                first = ref;
            }
        }
        if (first == null && unconfirmed != null) {
            throw new SentUnconfirmedException(unconfirmed.getMessage(), unconfirmed);
        }
        return first;
    }

    /** A final state: it goes before the chat's waiting progress edits, and has landed (or failed) on return. */
    @Override
    public void edit(MessageRef message, String text, List<Action> actions) {
        CompletableFuture<Boolean> done = submitEdit(message, text, actions, ChannelBudget.Kind.FINAL);
        try {
            done.get(MAX_TURN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BotApiException.Unavailable("editMessageText", "interrupted while waiting for the chat's budget", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BotApiException.Refused r && r.notModified()) {
                return;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new BotApiException.Unavailable("editMessageText", "the edit failed", e.getCause());
        } catch (TimeoutException e) {
            log.warn("telegram: an edit waited {} for the chat's rate limit; going on", MAX_TURN_WAIT);
        }
    }

    /** A progress state: waits in the chat's budget (a newer one of the same message replaces it); no wait here. */
    @Override
    public void progress(MessageRef message, String text, List<Action> actions) {
        submitEdit(message, text, actions, ChannelBudget.Kind.PROGRESS).whenComplete((ran, e) -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException c && c.getCause() != null ? c.getCause() : e;
            if (cause != null && !(cause instanceof BotApiException.Refused r && r.notModified())) {
                log.warn("telegram: a progress edit failed: {}", cause.getMessage());
            }
        });
    }

    private CompletableFuture<Boolean> submitEdit(MessageRef message, String text, List<Action> actions,
                                                  ChannelBudget.Kind kind) {
        String chatId = chatId(message.conversation());
        requireText(text);
        Sent before = sent.getIfPresent(key(message));
        Locale locale = before == null ? Locale.ROOT : before.locale();
        Mention mention = before == null ? null : before.mention();
        String owner = before == null ? null : before.ownerId();
        String full = TextSplitter.truncate(mention == null ? text : mention.prefix() + text, MESSAGE_LIMIT);
        EditMessageText.EditMessageTextBuilder<?, ?> b = EditMessageText.builder()
                .chatId(chatId).messageId(Integer.valueOf(message.id())).text(full)
                .replyMarkup(Buttons.keyboard(actions, locale, owner));
        if (mention != null) {
            b.entities(List.of(mention.entity()));
        }
        EditMessageText request = b.build();
        return budget.submit(chatId, message.id(), kind, () -> CompletableFuture.runAsync(() -> {
            try {
                api.call(request);
            } catch (BotApiException.Unconfirmed u) {
                log.debug("telegram: {}", u.getMessage()); // edited
            }
        }, requests));
    }

    /**
     * Waits (on the engine's thread) for a message sent through the chat's budget, failing as the call itself would
     * (a {@link BotApiException} or {@link VideoRejectedException} stays one).
     */
    private static Message sent(CompletableFuture<Message> sending) {
        try {
            return sending.get(MAX_SEND_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BotApiException.Unavailable("sendMessage", "interrupted while waiting for the chat's budget", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new BotApiException.Unavailable("sendMessage", "the send failed", cause);
        } catch (TimeoutException e) {
            throw new BotApiException.Unavailable("sendMessage", "waited " + MAX_SEND_WAIT
                    + " for the chat's rate limit", e);
        }
    }

    @Override
    public MessageRef sendVideo(ReplyTo to, ChatUser recipient, Path mp4, String caption,
                                List<Action> actions, Optional<String> resultId) {
        return video(to, recipient, mp4, caption, actions, resultId, null);
    }

    /**
     * A Bot API message cannot become a video: the video is sent (quoting the request, as {@link #sendVideo}) as the
     * next state of the progress message in the chat's budget, so its waiting percentage is dropped and none lands
     * after it; then the progress message is deleted, or folded to {@code folded} when Telegram will not delete it.
     * When the video is refused the progress message stays as it was, for the link.
     */
    @Override
    public MessageRef finishWithVideo(MessageRef progress, String folded, ReplyTo to, ChatUser recipient, Path mp4,
                                      String caption, List<Action> actions, Optional<String> resultId) {
        if (!progress.conversation().equals(to.conversation())) {
            return ChatPlatform.super.finishWithVideo(progress, folded, to, recipient, mp4, caption, actions, resultId);
        }
        MessageRef video;
        try {
            video = video(to, recipient, mp4, caption, actions, resultId, progress.id());
        } catch (SentUnconfirmedException e) {
            retire(progress, folded); // the video went out
            throw e;
        }
        retire(progress, folded);
        return video;
    }

    /** Deletes a progress message its video replaces, as its final state; folds it to {@code folded} if it stays. */
    private void retire(MessageRef progress, String folded) {
        Integer id = parseId(progress.id());
        String chatId = chatId(progress.conversation());
        if (id == null) {
            return;
        }
        DeleteMessage request = DeleteMessage.builder().chatId(chatId).messageId(id).build();
        CompletableFuture<Boolean> deleted = budget.submit(chatId, progress.id(), ChannelBudget.Kind.FINAL,
                () -> CompletableFuture.runAsync(() -> api.call(request), requests));
        try {
            deleted.get(MAX_TURN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                    ? c.getCause() : e.getCause();
            if (cause instanceof BotApiException.Unconfirmed) {
                return; // deleted
            }
            log.info("telegram: the progress message beside a video could not be deleted ({}); folding it",
                    cause == null ? "no cause" : cause.getMessage());
        } catch (TimeoutException e) {
            log.warn("telegram: deleting a progress message waited {} for the chat's rate limit; folding it", MAX_TURN_WAIT);
        }
        try {
            edit(progress, folded, List.of());
        } catch (RuntimeException e) {
            log.warn("telegram: folding the progress message beside a video failed: {}", e.getMessage());
        }
    }

    /** {@code after}: the message whose final state the video is (its progress message), or null. */
    private MessageRef video(ReplyTo to, ChatUser recipient, Path mp4, String caption, List<Action> actions,
                             Optional<String> resultId, String after) {
        Conversation conversation = to.conversation();
        String chatId = chatId(conversation);
        long size;
        try {
            size = Files.size(mp4);
        } catch (IOException e) {
            throw new VideoRejectedException("the video file cannot be read: " + e.getClass().getSimpleName(), e);
        }
        if (size > uploadLimitBytes) {
            throw new VideoRejectedException("the video is " + size + " bytes, over this bot's Telegram upload limit of "
                    + uploadLimitBytes + " bytes", true, null);
        }
        Mention mention = mention(conversation, recipient);
        String text = caption == null ? "" : caption;
        String full = mention == null ? text : mention.prefix() + text;
        // a caption holds 1024 characters: the rest follows as a message, which then carries the buttons
        List<String> captionParts = TextSplitter.split(full, CAPTION_LIMIT);
        String head = captionParts.getFirst();
        String rest = full.substring(head.length()).strip();
        boolean buttonsOnVideo = rest.isEmpty();

        List<Action> videoButtons = buttonsOnVideo ? actions : List.of();
        java.util.function.Supplier<CompletableFuture<Message>> op = () -> CompletableFuture.supplyAsync(
                () -> upload(to, mp4, head, mention, videoButtons, resultId, recipient), requests);
        Message video = sent(after == null ? budget.send(chatId, op) : budget.send(chatId, after, op));
        MessageRef ref = new MessageRef(conversation, String.valueOf(video.getMessageId()));
        sent.put(key(ref), new Sent(recipient.locale(), mention, recipient.id()));
        if (!buttonsOnVideo) {
            try {
                // the recipient was mentioned on the video already
                sendPlain(conversation, recipient, rest, actions, resultId);
            } catch (BotApiException.Unconfirmed u) {
                log.debug("telegram: {}", u.getMessage()); // the rest of the caption was sent
            } catch (BotApiException e) {
                log.warn("telegram: the rest of a video caption was not sent: {}", e.getMessage());
            }
        }
        return ref;
    }

    private void sendPlain(Conversation conversation, ChatUser recipient, String text, List<Action> actions,
                           Optional<String> resultId) {
        List<String> parts = TextSplitter.split(text, MESSAGE_LIMIT);
        for (int i = 0; i < parts.size(); i++) {
            SendMessage.SendMessageBuilder<?, ?> b = SendMessage.builder().chatId(conversation.id()).text(parts.get(i))
                    .messageThreadId(topic(conversation));
            if (i == parts.size() - 1) {
                b.replyMarkup(Buttons.keyboard(actions, recipient.locale(), recipient.id(), resultId));
            }
            SendMessage request = b.build();
            sent(budget.send(conversation.id(), () -> CompletableFuture.supplyAsync(() -> api.call(request), requests)));
        }
    }

    /** Tries the upload a few times: losing a finished video to a network hiccup would waste the user's credits. */
    private Message upload(ReplyTo to, Path mp4, String caption, Mention mention, List<Action> actions,
                           Optional<String> resultId, ChatUser recipient) {
        String chatId = chatId(to.conversation());
        BotApiException last = null;
        Duration pause = tuning.retryBackoff();
        for (int attempt = 1; attempt <= tuning.videoAttempts(); attempt++) {
            SendVideo.SendVideoBuilder<?, ?> b = SendVideo.builder()
                    .chatId(chatId)
                    .video(new InputFile(mp4.toFile(), "video.mp4"))
                    .supportsStreaming(true)
                    .messageThreadId(topic(to.conversation()))
                    .replyParameters(quote(to))
                    .replyMarkup(Buttons.keyboard(actions, recipient.locale(), recipient.id(), resultId));
            if (!caption.isBlank()) {
                b.caption(caption);
                if (mention != null) {
                    b.captionEntities(List.of(mention.entity()));
                }
            }
            try {
                return api.sendVideo(b.build());
            } catch (BotApiException.Refused r) {
                throw new VideoRejectedException("Telegram refused the video: " + r.getMessage(), r.tooLarge(), r);
            } catch (BotApiException.Unconfirmed u) {
                throw new SentUnconfirmedException(u.getMessage(), u); // sent: never uploaded again
            } catch (BotApiException e) {
                if (e instanceof BotApiException.Unavailable u && u.afterSending()) {
                    // the server may have the video (a self-hosted one answers only once it has passed it on):
                    // sending it again could post it twice, so the link instead, saying it may still appear
                    log.warn("telegram: video upload attempt {} failed after the video was sent, not retried: {}",
                            attempt, e.getMessage());
                    throw VideoRejectedException.unanswered("the upload went out but got no answer: "
                            + e.getMessage(), e);
                }
                last = e;
                log.warn("telegram: video upload attempt {} of {} failed: {}", attempt, tuning.videoAttempts(),
                        e.getMessage());
                if (attempt < tuning.videoAttempts()) {
                    try {
                        api.sleep("sendVideo", pause);
                    } catch (BotApiException.Unavailable interrupted) {
                        throw new VideoRejectedException("interrupted while retrying the upload", interrupted);
                    }
                    pause = pause.multipliedBy(2);
                }
            }
        }
        throw new VideoRejectedException("the upload failed " + tuning.videoAttempts() + " times", last);
    }

    private static Mention mention(Conversation conversation, ChatUser recipient) {
        if (!conversation.group()) {
            return null;
        }
        try {
            return new Mention(Long.parseLong(recipient.id()), recipient.displayName());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String chatId(Conversation conversation) {
        if (!NAME.equals(conversation.platform())) {
            throw new IllegalArgumentException("not a Telegram conversation: " + conversation.platform());
        }
        return conversation.id();
    }

    /** The forum topic replies go to; null outside topics (then Telegram uses the chat itself, or General). */
    private static Integer topic(Conversation conversation) {
        return conversation.thread().isEmpty() ? null : parseId(conversation.thread());
    }

    /**
     * In a group, a reply quotes the request it answers, so everyone sees which request it is for; it goes out even
     * if that message was deleted meanwhile. Null (no quote) in a private chat or without a request.
     */
    private static ReplyParameters quote(ReplyTo to) {
        Integer id = to.conversation().group() && to.hasRequest() ? parseId(to.request()) : null;
        return id == null ? null : ReplyParameters.builder().messageId(id).allowSendingWithoutReply(true).build();
    }

    private static Integer parseId(String id) {
        try {
            return Integer.valueOf(id);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void requireText(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("Telegram cannot send an empty message");
        }
    }

    private static String key(MessageRef ref) {
        return ref.conversation().id() + "/" + ref.id();
    }

    /** {@code nanoTime} as a clock: the budget's windows are not moved by changes to the wall clock. */
    private static final class NanoClock extends Clock {
        private final LongSupplier nanoTime;

        NanoClock(LongSupplier nanoTime) {
            this.nanoTime = nanoTime;
        }

        @Override
        public Instant instant() {
            return Instant.EPOCH.plusNanos(nanoTime.getAsLong());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
