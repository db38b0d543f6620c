package dev.nemobot.discord;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Attachment;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.kit.ClockTicker;
import dev.nemobot.core.chat.Command;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.chat.Incoming;
import dev.nemobot.core.chat.Lang;
import dev.nemobot.core.chat.kit.RecentIds;
import dev.nemobot.core.chat.kit.FileNames;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.User;
import net.dv8tion.jda.api.entities.channel.ChannelType;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.events.message.MessageReceivedEvent;
import net.dv8tion.jda.api.events.session.ReadyEvent;
import net.dv8tion.jda.api.events.session.ShutdownEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.DiscordLocale;
import net.dv8tion.jda.api.interactions.Interaction;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.sharding.ShardManager;
import net.dv8tion.jda.api.utils.data.DataObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translates JDA events into {@link Incoming} messages at the edge. Runs on JDA's event thread, so it only
 * builds records, queues acknowledgements (never {@code complete()}) and hands over to the {@link Inbox},
 * which returns at once. Thread-safe.
 */
final class DiscordListener extends ListenerAdapter {
    /** The bot's slash commands by name: {@link Command#discordSlash()}. */
    static final Map<String, Command> COMMANDS = Command.discordCommands().stream()
            .collect(Collectors.toUnmodifiableMap(Command::word, c -> c));
    static final String IMAGE_OPTION = "image";
    static final String PROMPT_OPTION = "prompt";
    /** At most this many users' own locales are remembered. */
    static final int USER_LOCALES = 100_000;

    private static final Logger log = LoggerFactory.getLogger(DiscordListener.class);

    private final Inbox inbox;
    private final DiscordPlatform platform;
    private final boolean allowDms;
    private final boolean messageContent;
    private final RecentIds recent;
    /**
     * Each user's own locale, as their last interaction carried it (message events carry only the server's):
     * bounded, and forgotten after a month without an interaction (on the adapter's clock).
     */
    private final Cache<String, Locale> userLocales;

    /**
     * @param messageContent whether the privileged Message Content intent is on: then a plain reply to one of the
     *                       bot's messages counts as addressed to it even without a mention
     */
    DiscordListener(Inbox inbox, DiscordPlatform platform, boolean allowDms, boolean messageContent, RecentIds recent,
                    Collection<Integer> shardIds, Clock clock) {
        this.inbox = Objects.requireNonNull(inbox, "inbox");
        this.platform = Objects.requireNonNull(platform, "platform");
        this.allowDms = allowDms;
        this.messageContent = messageContent;
        this.recent = Objects.requireNonNull(recent, "recent");
        this.userLocales = Caffeine.newBuilder()
                .maximumSize(USER_LOCALES)
                .expireAfterAccess(Duration.ofDays(30))
                .ticker(ClockTicker.of(clock))
                .build();
        this.waitingFor = ConcurrentHashMap.newKeySet();
        this.waitingFor.addAll(shardIds);
        if (waitingFor.isEmpty()) {
            throw new IllegalArgumentException("no shard to wait for");
        }
    }

    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    /** The shards of this instance that have not fired their first ReadyEvent yet. */
    private final Set<Integer> waitingFor;

    /**
     * Completes when every shard of this instance is ready; fails if one shuts down first (bad token, disallowed
     * intents, an invalid shard).
     */
    CompletableFuture<Void> ready() {
        return ready;
    }

    @Override
    public void onReady(ReadyEvent event) {
        ShardManager manager = event.getJDA().getShardManager();
        if (manager != null) {
            // events may come before DiscordBot.start binds the manager it built
            platform.bind(manager);
        }
        waitingFor.remove(event.getJDA().getShardInfo().getShardId());
        if (waitingFor.isEmpty()) {
            ready.complete(null);
        }
    }

    @Override
    public void onShutdown(ShutdownEvent event) {
        ready.completeExceptionally(new IllegalStateException("Discord closed the connection of shard "
                + event.getJDA().getShardInfo().getShardString() + " ("
                + (event.getCloseCode() == null ? "code " + event.getCode() : event.getCloseCode().getMeaning()) + ")"));
    }

    @Override
    public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
        String name = event.getName();
        Command command = COMMANDS.get(name);
        if (command == null || !recent.firstTime(event.getId())) {
            return;
        }
        ChatUser asker = user(event);
        Locale locale = Lang.of(asker, null).locale();
        if (!event.isFromGuild() && !allowDms) {
            refuse(event, "/" + name, DiscordTexts.dmsOff(locale), asker);
            return;
        }
        String text = "/" + name;
        List<Attachment> files = List.of();
        if (command == Command.ANIMATE) {
            OptionMapping image = event.getOption(IMAGE_OPTION);
            OptionMapping prompt = event.getOption(PROMPT_OPTION);
            text = prompt == null ? "" : prompt.getAsString();
            // the typed options become the flags a caption could have carried: the same checks, the same instruction
            String flags = SlashOptions.flags(event::getOption);
            if (!flags.isEmpty()) {
                text = text.isBlank() ? flags : text + " " + flags;
            }
            if (image != null) {
                Message.Attachment file = image.getAsAttachment();
                Optional<String> refusal = refusal(file, locale);
                if (refusal.isPresent()) {
                    refuse(event, text, refusal.get(), asker);
                    return;
                }
                files = List.of(attachment(event, file));
            }
        }
        if (command == Command.SETTINGS) {
            OptionMapping clear = event.getOption(SlashOptions.CLEAR_OPTION);
            String flags = SlashOptions.flags(event::getOption);
            text = clear != null && clear.getAsBoolean() ? "/settings clear"
                    : flags.isEmpty() ? "/settings" : "/settings " + flags;
        }
        rememberUploadLimit(event);
        // acknowledge inside Discord's 3 seconds; the engine's first answer replaces the placeholder via the hook.
        // A balance, a project's state, the defaults, the videos and /forget's question are the asker's own business:
        // only they see those answers (and the answers to the question's buttons)
        boolean onlyAsker = command.answeredPrivately();
        event.deferReply(onlyAsker).queue(null, this::ackFailed);
        event.getHook().setEphemeral(onlyAsker);
        // every answer to this command goes to this interaction, whatever else the user asks meanwhile
        platform.offerHook(event.getId(), event.getHook(), onlyAsker);
        inbox.accept(new Incoming(event.getId(), asker, conversation(event), text, files).answering(event.getId()));
    }

    /**
     * A press is acknowledged at once without a word ({@code deferEdit}; for {@code Status} and /forget's buttons,
     * whose answers only the presser sees, a private "thinking" reply) and handed to the engine with a {@link DiscordPress}: what the presser
     * reads is decided after its access and rate checks, and is private. Someone else's button, or a stale one, is
     * handed on as a refusal, which never reaches the backend.
     */
    @Override
    public void onButtonInteraction(ButtonInteractionEvent event) {
        if (!recent.firstTime(event.getId())) {
            return;
        }
        Optional<CustomIds.Press> press = CustomIds.parse(event.getComponentId());
        ChatUser presser = user(event);
        Locale locale = Lang.of(presser, null).locale();
        String refusal = null;
        if (press.isEmpty()) {
            refusal = DiscordTexts.staleButton(locale); // a button of an older version of the bot
        } else if (!press.get().ownerId().equals(event.getUser().getId())) {
            refusal = DiscordTexts.notYours(locale);
        } else if (!event.isFromGuild() && !allowDms) {
            refusal = DiscordTexts.dmsOff(locale);
        }
        // a button whose command is answered privately answers privately (Status, Options, /forget's two), but for a
        // page of the history, which turns the list in place
        boolean privateReply = refusal == null && press.get().action().sends().answeredPrivately()
                && press.get().action() != Action.VIDEOS;
        if (privateReply) {
            event.deferReply(true).queue(null, this::ackFailed);
            event.getHook().setEphemeral(true);
        } else {
            event.deferEdit().queue(null, this::ackFailed);
        }
        Incoming incoming;
        if (refusal != null) {
            incoming = Incoming.refused(event.getId(), presser, conversation(event), "", refusal);
        } else {
            rememberUploadLimit(event);
            // a page of the history turns the list in place: its answers go through this interaction, private as the
            // list it is on
            boolean turnsPage = press.get().action() == Action.VIDEOS;
            if (turnsPage) {
                platform.offerHook(event.getId(), event.getHook(), true);
            }
            // a private answer goes through this interaction; the others reply to the message the button is on
            incoming = new Incoming(event.getId(), presser, conversation(event), press.get().command(), List.of())
                    .answering(privateReply || turnsPage ? event.getId() : event.getMessageId());
        }
        inbox.press(incoming, new DiscordPress(platform, event.getHook(), privateReply, event.getMessage(),
                event.getComponentId(), event.getId(), event.getUser().getId()));
    }

    @Override
    public void onMessageReceived(MessageReceivedEvent event) {
        User author = event.getAuthor();
        if (author.isBot() || author.isSystem() || event.isWebhookMessage()) {
            return;
        }
        boolean dm = event.getChannelType() == ChannelType.PRIVATE;
        if (!dm && !event.isFromGuild()) {
            return;
        }
        Message message = event.getMessage();
        User self = event.getJDA().getSelfUser();
        if (!dm && !addressedToBot(message, self)) {
            return;
        }
        if (!recent.firstTime(message.getId())) {
            return;
        }
        String text = message.getContentRaw()
                .replace("<@" + self.getId() + ">", " ")
                .replace("<@!" + self.getId() + ">", " ");
        // message events carry no user locale: the one their last interaction had, else the text's script, else
        // the server's (Lang.of keeps that order)
        ChatUser user = new ChatUser(DiscordPlatform.NAME, author.getId(), author.getEffectiveName(),
                userLocales.getIfPresent(author.getId()),
                dm ? Locale.ROOT : javaLocale(event.getGuild().getLocale()));
        Locale locale = Lang.of(user, text).locale();
        Conversation conversation = new Conversation(DiscordPlatform.NAME, event.getChannel().getId(), !dm,
                event.isFromGuild() ? event.getGuild().getId() : "");
        // refusals go through the engine too: it answers only after its access and rate checks
        if (dm && !allowDms) {
            inbox.accept(Incoming.refused(message.getId(), user, conversation, text, DiscordTexts.dmsOff(locale))
                    .answering(message.getId()));
            return;
        }
        List<Attachment> files = new ArrayList<>();
        for (Message.Attachment file : message.getAttachments()) {
            Optional<String> refusal = refusal(file, locale);
            if (refusal.isPresent()) {
                inbox.accept(Incoming.refused(message.getId(), user, conversation, text, refusal.get())
                        .answering(message.getId()));
                return;
            }
            files.add(attachment(event.getJDA().getHttpClient(), file));
        }
        // the answers reply to this message
        inbox.accept(new Incoming(message.getId(), user, conversation, text, files).answering(message.getId()));
    }

    /**
     * An interaction the adapter cannot take: acknowledged at once (ephemeral, within Discord's 3 seconds) and handed
     * to the engine with its refusal, which it says through the hook only if its access and rate checks let the
     * user through. Refused silently, the acknowledgement lapses with the interaction token.
     */
    private void refuse(net.dv8tion.jda.api.interactions.callbacks.IReplyCallback event, String text, String refusal,
                        ChatUser user) {
        event.deferReply(true).queue(null, this::ackFailed);
        event.getHook().setEphemeral(true);
        platform.offerHook(event.getId(), event.getHook(), true);
        inbox.accept(Incoming.refused(event.getId(), user, conversation(event), text, refusal)
                .answering(event.getId()));
    }

    private boolean addressedToBot(Message message, User self) {
        if (message.getMentions().isMentioned(self, Message.MentionType.USER)) {
            return true;
        }
        // a reply without a ping carries no mention; its content reaches us only with the privileged intent
        Message replied = message.getReferencedMessage();
        return messageContent && replied != null && replied.getAuthor().getIdLong() == self.getIdLong();
    }

    private static Optional<String> refusal(Message.Attachment file, Locale locale) {
        String name = FileNames.forDisplay(file.getFileName(), "image");
        return switch (ImagePolicy.judge(file.getFileName(), file.getContentType(), file.getSize())) {
            case ImagePolicy.Accepted ok -> Optional.empty();
            case ImagePolicy.NotAnImage no -> Optional.of(DiscordTexts.notAnImage(locale, name));
            case ImagePolicy.TooLarge big -> Optional.of(DiscordTexts.tooLarge(locale, name, big.limitBytes()));
        };
    }

    private static Attachment attachment(Interaction interaction, Message.Attachment file) {
        return attachment(interaction.getJDA().getHttpClient(), file);
    }

    private static Attachment attachment(okhttp3.OkHttpClient http, Message.Attachment file) {
        String type = ImagePolicy.judge(file.getFileName(), file.getContentType(), file.getSize())
                instanceof ImagePolicy.Accepted ok ? ok.contentType() : null;
        return new Attachment(FileNames.forDisplay(file.getFileName(), "image"), type, file.getSize(),
                Downloads.source(http, file.getUrl(), Attachment.MAX_BYTES));
    }

    /** Discord sends the channel's real upload limit (boosts included) with each interaction; JDA does not expose it. */
    private void rememberUploadLimit(net.dv8tion.jda.api.events.interaction.GenericInteractionCreateEvent event) {
        DataObject raw = event.getRawData();
        if (raw == null || event.getChannelId() == null) {
            return;
        }
        DataObject data = raw.optObject("d").orElse(raw);
        long limit = data.getLong("attachment_size_limit", 0);
        platform.rememberUploadLimit(event.getChannelId(), limit);
    }

    private static Conversation conversation(Interaction interaction) {
        return new Conversation(DiscordPlatform.NAME, Objects.requireNonNull(interaction.getChannelId(), "channel"),
                interaction.isFromGuild(), interaction.getGuild() != null ? interaction.getGuild().getId() : "");
    }

    /**
     * The user of an interaction: their own locale (which the interaction carries, remembered for their later plain
     * messages), and the server's as the fallback.
     */
    private ChatUser user(Interaction interaction) {
        User user = interaction.getUser();
        Locale own = javaLocale(interaction.getUserLocale());
        if (own.getLanguage().isEmpty()) {
            own = userLocales.getIfPresent(user.getId());
        } else {
            userLocales.put(user.getId(), own);
        }
        Locale server = interaction.isFromGuild() ? javaLocale(interaction.getGuildLocale()) : Locale.ROOT;
        return new ChatUser(DiscordPlatform.NAME, user.getId(), user.getEffectiveName(), own, server);
    }

    private static Locale javaLocale(DiscordLocale locale) {
        return locale == null || locale == DiscordLocale.UNKNOWN ? Locale.ROOT : Locale.forLanguageTag(locale.getLocale());
    }

    private void ackFailed(Throwable failure) {
        log.warn("Discord did not take an acknowledgement: {}", failure.toString());
    }
}
