package dev.nemobot.telegram;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Attachment;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Command;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.Incoming;
import dev.nemobot.core.chat.kit.FileNames;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.telegram.telegrambots.meta.api.objects.CallbackQuery;
import org.telegram.telegrambots.meta.api.objects.Document;
import org.telegram.telegrambots.meta.api.objects.MessageEntity;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.chat.Chat;
import org.telegram.telegrambots.meta.api.objects.message.MaybeInaccessibleMessage;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.api.objects.photo.PhotoSize;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;

/**
 * Turns TelegramBots' update objects into the engine's records, at once and without I/O (it runs on the receiving
 * thread). Decides what is addressed to the bot in a group: commands for it, messages that mention it or reply to it,
 * and files with such a caption; the photos of an album go to {@link Albums} with whether each is for the bot. Thread-safe
 * (stateless).
 */
final class UpdateTranslator {
    /** Commands the bot answers in a group even without an {@code @botname} suffix: {@link Command#bareInGroups()}. */
    static final Set<String> COMMANDS = Arrays.stream(Command.values()).filter(Command::bareInGroups)
            .map(Command::word).collect(Collectors.toUnmodifiableSet());
    private static final Pattern COMMAND = Pattern.compile("^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?:\\s+(.*))?$",
            Pattern.DOTALL);

    private final long botId;
    /** The date part of a photo's made-up name: "20261207-031807" (UTC). */
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final String botUsername;
    private final Pattern mention;
    private final TelegramFiles files;

    UpdateTranslator(long botId, String botUsername, TelegramFiles files) {
        this.botId = botId;
        this.botUsername = botUsername == null ? "" : botUsername;
        this.mention = Pattern.compile("@" + Pattern.quote(this.botUsername) + "\\b", Pattern.CASE_INSENSITIVE);
        this.files = files;
    }

    UpdateDecision translate(Update update) {
        String id = UpdateKey.of(update); // not the update id: those start over
        if (update.hasCallbackQuery()) {
            return press(id, update.getCallbackQuery());
        }
        if (update.hasMessage()) {
            return message(id, update.getMessage());
        }
        return new UpdateDecision.Skip("not a message or a button press");
    }

    private UpdateDecision press(String id, CallbackQuery query) {
        MaybeInaccessibleMessage source = query.getMessage();
        if (source == null || source.getChat() == null || query.getFrom() == null) {
            return new UpdateDecision.AnswerOnly(query.getId());
        }
        Conversation conversation = conversation(source.getChat(), source);
        if (conversation == null) {
            return new UpdateDecision.AnswerOnly(query.getId());
        }
        ChatUser user = user(query.getFrom());
        InlineKeyboardMarkup shown = source instanceof Message sm ? sm.getReplyMarkup() : null;
        // the Options keyboard: its menus are changed here; a value pressed goes on as "/settings --ar 9:16"
        Optional<OptionsMenu.Step> step = OptionsMenu.parse(query.getData());
        if (step.isPresent()) {
            if (!step.get().ownerId().equals(user.id())) {
                return new UpdateDecision.AnswerOnly(query.getId(), TelegramTexts.notYours(user.locale()));
            }
            if (step.get().command().isEmpty()) {
                return new UpdateDecision.Menu(query.getId(), String.valueOf(source.getChat().getId()), source.getMessageId(),
                        step.get().keyboard(user.locale()));
            }
            Incoming change = new Incoming(id, user, conversation, step.get().command().get(), List.of())
                    .answering(source.getMessageId() == null ? "" : String.valueOf(source.getMessageId()));
            return new UpdateDecision.Press(change, query.getId(), String.valueOf(source.getChat().getId()),
                    source.getMessageId(), shown, query.getData());
        }
        Optional<Buttons.Pressed> pressed = Buttons.parse(query.getData());
        if (pressed.isPresent() && pressed.get().action() == Action.OPTIONS
                && pressed.get().ownerId().filter(user.id()::equals).isPresent()) {
            return new UpdateDecision.Menu(query.getId(), String.valueOf(source.getChat().getId()), source.getMessageId(),
                    OptionsMenu.categories(user.id(), user.locale()));
        }
        Incoming incoming;
        if (pressed.isEmpty() || pressed.get().ownerId().isEmpty() && conversation.group()) {
            // a button of an older version of the bot, or one it never made: in a group, whose it is is unknown
            incoming = Incoming.refused(id, user, conversation, "", TelegramTexts.staleButton(user.locale()));
        } else if (pressed.get().ownerId().filter(owner -> !owner.equals(user.id())).isPresent()) {
            // someone else's button: a pop-up for the presser, nothing in the group, nothing for the backend
            incoming = Incoming.refused(id, user, conversation, "", TelegramTexts.notYours(user.locale()));
        } else {
            // the answers go to the pressed message's topic and quote it
            incoming = new Incoming(id, user, conversation, pressed.get().command(), List.of())
                    .answering(source.getMessageId() == null ? "" : String.valueOf(source.getMessageId()));
        }
        InlineKeyboardMarkup keyboard = source instanceof Message m ? m.getReplyMarkup() : null;
        return new UpdateDecision.Press(incoming, query.getId(), String.valueOf(source.getChat().getId()),
                source.getMessageId(), keyboard, query.getData());
    }

    private UpdateDecision message(String id, Message m) {
        User from = m.getFrom();
        if (from == null || Boolean.TRUE.equals(from.getIsBot())) {
            return new UpdateDecision.Skip("not from a person");
        }
        Conversation conversation = conversation(m.getChat(), m);
        if (conversation == null) {
            return new UpdateDecision.Skip("not a private chat or a group");
        }
        String request = m.getMessageId() == null ? "" : String.valueOf(m.getMessageId());
        boolean captioned = !m.hasText();
        String raw = captioned ? nullToEmpty(m.getCaption()) : m.getText();
        List<MessageEntity> entities = captioned ? m.getCaptionEntities() : m.getEntities();
        entities = entities == null ? List.of() : entities;

        String text;
        boolean addressed = !conversation.group() || repliesToBot(m) || mentionsBot(raw, entities);
        Matcher command = COMMAND.matcher(raw.strip());
        if (command.matches()) {
            String name = command.group(1).toLowerCase(Locale.ROOT);
            String suffix = command.group(2);
            if (suffix != null && !suffix.equalsIgnoreCase(botUsername)) {
                return new UpdateDecision.Skip("a command for another bot");
            }
            addressed |= suffix != null || COMMANDS.contains(name);
            String args = command.group(3) == null ? "" : command.group(3).strip();
            text = args.isEmpty() ? "/" + name : "/" + name + " " + args;
        } else {
            text = mention.matcher(raw).replaceAll(" ").replaceAll("[ \\t]{2,}", " ").strip();
        }
        String album = m.getMediaGroupId();
        if (!addressed && album == null) {
            return new UpdateDecision.Skip("group message not addressed to the bot");
        }

        ChatUser user = user(from);
        List<Attachment> attachments = new ArrayList<>();
        Optional<String> refusal = Optional.empty();
        if (m.hasPhoto()) {
            PhotoSize largest = m.getPhoto().stream()
                    .max(Comparator.comparingLong((PhotoSize p) -> (long) nz(p.getWidth()) * nz(p.getHeight()))
                            .thenComparingLong(p -> nz(p.getFileSize())))
                    .orElseThrow();
            long size = largest.getFileSize() == null ? -1 : largest.getFileSize();
            // a photo has no file name: it is uploaded under one made of its date (Telegram's file ids are
            // internal and would show in the project's timeline), and users are told "your photo"
            String name = "photo-" + STAMP.format(Instant.ofEpochSecond(m.getDate() == null ? 0 : m.getDate()))
                    + ".jpg";
            if (size > Attachment.MAX_BYTES) {
                refusal = Optional.of(TelegramTexts.fileTooLarge(user.locale(), name, size));
            } else {
                String fileId = largest.getFileId();
                attachments.add(Attachment.unnamedPhoto(name, "image/jpeg", size, () -> files.open(fileId)));
            }
        }
        if (m.hasDocument() && refusal.isEmpty()) {
            Document d = m.getDocument();
            long size = d.getFileSize() == null ? -1 : d.getFileSize();
            String name = FileNames.forDisplay(d.getFileName(), "file-" + d.getFileUniqueId());
            if (size > Attachment.MAX_BYTES) {
                refusal = Optional.of(TelegramTexts.fileTooLarge(user.locale(), name, size));
            } else {
                attachments.add(attachment(d.getFileId(), name, d.getMimeType(), size));
            }
        }
        if (album != null && m.getChat() != null && m.getChatId() != null && m.getMessageId() != null) {
            // one photo of an album: the album is put together from all of its updates (Albums)
            return new UpdateDecision.AlbumPart(new Albums.Part(String.valueOf(m.getChatId()), album, m.getMessageId(), user,
                    conversation, text, attachments, addressed, refusal));
        }
        if (!addressed) {
            return new UpdateDecision.Skip("group message not addressed to the bot");
        }
        if (refusal.isPresent()) {
            return refuse(id, user, conversation, text, refusal.get(), request);
        }
        if (text.isEmpty() && attachments.isEmpty()) {
            return new UpdateDecision.Skip("nothing the bot can use");
        }
        // the answers quote this message (in a group) and go to its topic
        return new UpdateDecision.Deliver(new Incoming(id, user, conversation, text, attachments).answering(request));
    }

    /** The engine says {@code refusal}, after its access and rate checks, and does nothing else with the message. */
    private static UpdateDecision refuse(String id, ChatUser user, Conversation conversation, String text, String refusal,
                                 String request) {
        return new UpdateDecision.Deliver(Incoming.refused(id, user, conversation, text, refusal).answering(request));
    }

    private Attachment attachment(String fileId, String name, String contentType, long size) {
        return new Attachment(name, contentType, size, () -> files.open(fileId));
    }

    private boolean repliesToBot(Message m) {
        Message replied = m.getReplyToMessage();
        return replied != null && replied.getFrom() != null && replied.getFrom().getId() != null
                && replied.getFrom().getId() == botId;
    }

    private boolean mentionsBot(String raw, List<MessageEntity> entities) {
        for (MessageEntity e : entities) {
            if ("text_mention".equals(e.getType()) && e.getUser() != null && e.getUser().getId() != null
                    && e.getUser().getId() == botId) {
                return true;
            }
        }
        // "mention" entities and the text agree; reading the text also covers a client that sent no entities
        return !botUsername.isEmpty() && mention.matcher(raw).find();
    }

    /**
     * The conversation of a message, in its forum topic when it is in one ({@code is_topic_message}: a message in a
     * forum's General topic, or a reply thread outside a forum, is not in a topic).
     */
    static Conversation conversation(Chat chat, MaybeInaccessibleMessage in) {
        Conversation c = conversation(chat);
        if (c != null && in instanceof Message m && Boolean.TRUE.equals(m.getIsTopicMessage())
                && m.getMessageThreadId() != null) {
            return new Conversation(c.platform(), c.id(), c.group(), c.guild(), String.valueOf(m.getMessageThreadId()));
        }
        return c;
    }

    static Conversation conversation(Chat chat) {
        if (chat == null || chat.getId() == null || chat.getType() == null) {
            return null;
        }
        return switch (chat.getType()) {
            case "private" -> new Conversation(TelegramPlatform.NAME, String.valueOf(chat.getId()), false);
            case "group", "supergroup" -> new Conversation(TelegramPlatform.NAME, String.valueOf(chat.getId()), true);
            default -> null;
        };
    }

    static ChatUser user(User from) {
        String name = nullToEmpty(from.getFirstName());
        if (from.getLastName() != null && !from.getLastName().isBlank()) {
            name = name + " " + from.getLastName();
        }
        if (name.isBlank() && from.getUserName() != null) {
            name = from.getUserName();
        }
        String code = from.getLanguageCode();
        Locale locale = code == null || code.isBlank() ? Locale.ROOT : Locale.forLanguageTag(code);
        return new ChatUser(TelegramPlatform.NAME, String.valueOf(from.getId()), name.strip(), locale);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static long nz(Integer i) {
        return i == null ? 0 : i;
    }

    private static long nz(Long l) {
        return l == null ? 0 : l;
    }
}
