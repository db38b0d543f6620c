package dev.nemobot.telegram;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Activity;
import dev.nemobot.core.chat.ChatPlatform;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.MessageRef;
import dev.nemobot.core.chat.SentUnconfirmedException;
import dev.nemobot.core.chat.TextSplitter;
import dev.nemobot.core.chat.VideoRejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.methods.ActionType;
import org.telegram.telegrambots.meta.api.methods.send.SendChatAction;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.methods.send.SendVideo;
import org.telegram.telegrambots.meta.api.methods.updatingmessages.EditMessageText;
import org.telegram.telegrambots.meta.api.objects.InputFile;
import org.telegram.telegrambots.meta.api.objects.MessageEntity;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.message.Message;

/**
 * The engine's outbound port on Telegram. Plain text (no parse mode), split at 4096 characters; in a group each reply
 * starts with the recipient's name as a mention. Edits are paced per chat ({@link EditPacer}); flood limits are
 * waited out by {@link BotApi}. Videos go up as multipart {@code sendVideo} only, never by URL. Thread-safe; calls
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
    private final EditPacer pacer;
    private final BooleanSupplier receiving;
    /** What an edit must repeat of the message it replaces: the reader's language and the mention. */
    private final Lru<String, Sent> sent = new Lru<>(20_000);

    private record Sent(Locale locale, Mention mention) {
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
        this.pacer = new EditPacer(tuning.editInterval(), System::nanoTime, tuning.sleeper());
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
        api.callOnce(SendChatAction.builder().chatId(chatId(conversation)).action(type.toString()).build());
    }

    @Override
    public MessageRef send(Conversation conversation, ChatUser recipient, String text, List<Action> actions) {
        return send(conversation, recipient, text, actions, Optional.empty());
    }

    @Override
    public MessageRef send(Conversation conversation, ChatUser recipient, String text, List<Action> actions,
                           Optional<String> resultId) {
        String chatId = chatId(conversation);
        requireText(text);
        Mention mention = mention(conversation, recipient);
        List<String> parts = TextSplitter.split(mention == null ? text : mention.prefix() + text, MESSAGE_LIMIT);
        MessageRef first = null;
        BotApiException.Unconfirmed unconfirmed = null;
        for (int i = 0; i < parts.size(); i++) {
            boolean head = i == 0;
            boolean last = i == parts.size() - 1;
            SendMessage.SendMessageBuilder<?, ?> b = SendMessage.builder().chatId(chatId).text(parts.get(i));
            if (head && mention != null) {
                b.entities(List.of(mention.entity()));
            }
            if (last) {
                b.replyMarkup(Buttons.keyboard(actions, resultId, recipient.locale()));
            }
            Message m;
            try {
                m = api.call(b.build());
            } catch (BotApiException.Unconfirmed u) {
                // sent: not sent again; without its id, a first part cannot be edited
                unconfirmed = head ? u : unconfirmed;
                continue;
            }
            MessageRef ref = new MessageRef(conversation, String.valueOf(m.getMessageId()));
            sent.put(key(ref), new Sent(recipient.locale(), head ? mention : null));
            if (head) {
                first = ref;
            }
        }
        if (first == null && unconfirmed != null) {
            throw new SentUnconfirmedException(unconfirmed.getMessage(), unconfirmed);
        }
        return first;
    }

    @Override
    public void edit(MessageRef message, String text, List<Action> actions) {
        String chatId = chatId(message.conversation());
        requireText(text);
        Sent before = sent.get(key(message));
        Locale locale = before == null ? Locale.ROOT : before.locale();
        Mention mention = before == null ? null : before.mention();
        String full = TextSplitter.truncate(mention == null ? text : mention.prefix() + text, MESSAGE_LIMIT);
        try {
            if (!pacer.awaitSlot(chatId, message.id())) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BotApiException.Unavailable("editMessageText", "interrupted while pacing edits", e);
        }
        EditMessageText.EditMessageTextBuilder<?, ?> b = EditMessageText.builder()
                .chatId(chatId).messageId(Integer.valueOf(message.id())).text(full)
                .replyMarkup(Buttons.keyboard(actions, locale));
        if (mention != null) {
            b.entities(List.of(mention.entity()));
        }
        try {
            api.call(b.build());
        } catch (BotApiException.Refused r) {
            if (!r.notModified()) {
                throw r;
            }
        } catch (BotApiException.Unconfirmed u) {
            log.debug("telegram: {}", u.getMessage()); // edited
        }
    }

    @Override
    public MessageRef sendVideo(Conversation conversation, ChatUser recipient, Path mp4, String caption,
                                List<Action> actions) {
        return sendVideo(conversation, recipient, mp4, caption, actions, Optional.empty());
    }

    @Override
    public MessageRef sendVideo(Conversation conversation, ChatUser recipient, Path mp4, String caption,
                                List<Action> actions, Optional<String> resultId) {
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

        Message video = upload(chatId, mp4, head, mention, buttonsOnVideo ? actions : List.of(), resultId,
                recipient.locale());
        MessageRef ref = new MessageRef(conversation, String.valueOf(video.getMessageId()));
        sent.put(key(ref), new Sent(recipient.locale(), mention));
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
            SendMessage.SendMessageBuilder<?, ?> b = SendMessage.builder().chatId(conversation.id()).text(parts.get(i));
            if (i == parts.size() - 1) {
                b.replyMarkup(Buttons.keyboard(actions, resultId, recipient.locale()));
            }
            api.call(b.build());
        }
    }

    /** Tries the upload a few times: losing a finished video to a network hiccup would waste the user's credits. */
    private Message upload(String chatId, Path mp4, String caption, Mention mention, List<Action> actions,
                           Optional<String> resultId, Locale locale) {
        BotApiException last = null;
        Duration pause = tuning.retryBackoff();
        for (int attempt = 1; attempt <= tuning.videoAttempts(); attempt++) {
            SendVideo.SendVideoBuilder<?, ?> b = SendVideo.builder()
                    .chatId(chatId)
                    .video(new InputFile(mp4.toFile(), "video.mp4"))
                    .supportsStreaming(true)
                    .replyMarkup(Buttons.keyboard(actions, resultId, locale));
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

    private static void requireText(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("Telegram cannot send an empty message");
        }
    }

    private static String key(MessageRef ref) {
        return ref.conversation().id() + "/" + ref.id();
    }
}
