package dev.nemobot.discord;

import dev.nemobot.core.chat.ButtonPress;
import dev.nemobot.core.chat.Choice;
import dev.nemobot.core.chat.kit.TextSplitter;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import net.dv8tion.jda.api.components.buttons.Button;
import net.dv8tion.jda.api.components.buttons.ButtonStyle;
import net.dv8tion.jda.api.components.replacer.ComponentReplacer;
import net.dv8tion.jda.api.components.tree.MessageComponentTree;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import net.dv8tion.jda.api.utils.messages.MessageEditBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the engine answers one button press on Discord. The listener acknowledged it at once, without a word: with
 * {@code deferEdit} (nothing shown), or for a button whose answer only the presser sees ({@code Status}) with a
 * private "thinking" reply. Whatever the engine says about the press is private: an ephemeral follow-up, or that
 * private reply edited; a press ended without a word leaves nothing (the private reply is deleted). A press let
 * through marks its button used (green, with a check mark). Calls are queued, never awaited. Thread-safe.
 */
final class DiscordPress implements ButtonPress {
    static final String USED = "✓ ";
    private static final Logger log = LoggerFactory.getLogger(DiscordPress.class);

    private final DiscordPlatform platform;
    private final InteractionHook hook;
    private final boolean privateReply;
    private final Message message;
    private final String customId;
    private final String interactionId;
    private final String presserId;
    private final AtomicBoolean answered = new AtomicBoolean();
    private final AtomicBoolean marked = new AtomicBoolean();

    /**
     * @param privateReply true when the press was acknowledged with a private "thinking" reply, which the engine's
     *                     answers to the command then replace (the hook is handed to the platform once it is taken)
     * @param message      the message the button is on (null: unknown, nothing to mark)
     * @param presserId    who pressed: the buttons of a list turned in place are theirs
     */
    DiscordPress(DiscordPlatform platform, InteractionHook hook, boolean privateReply, Message message, String customId,
                 String interactionId, String presserId) {
        this.platform = Objects.requireNonNull(platform, "platform");
        this.hook = Objects.requireNonNull(hook, "hook");
        this.privateReply = privateReply;
        this.message = message;
        this.customId = customId;
        this.interactionId = interactionId;
        this.presserId = presserId;
    }

    /** The message the button is on becomes {@code text} with buttons {@code rows}: the interaction's original. */
    @Override
    public boolean replace(String text, List<List<Choice>> rows) {
        if (privateReply || presserId == null) {
            return false; // its original is a private reply, not the message the button is on
        }
        answered.set(true);
        String content = TextSplitter.truncate(DiscordText.escape(text), DiscordText.MAX_LENGTH, DiscordText.ESCAPE);
        hook.editOriginal(new MessageEditBuilder().setContent(content)
                        .setComponents(DiscordPlatform.choiceRows(rows, presserId))
                        .setAllowedMentions(EnumSet.noneOf(Message.MentionType.class)).build())
                .queue(null, this::failed);
        return true;
    }

    @Override
    public boolean answer(String text) {
        boolean first = answered.compareAndSet(false, true);
        if (text.isEmpty()) {
            if (first && privateReply) {
                hook.deleteOriginal().queue(null, this::failed);
            }
            return true;
        }
        String content = TextSplitter.truncate(DiscordText.escape(text), DiscordText.MAX_LENGTH, DiscordText.ESCAPE);
        if (first && privateReply) {
            hook.editOriginal(content).setAllowedMentions(EnumSet.noneOf(Message.MentionType.class))
                    .queue(null, this::failed);
        } else {
            // an ephemeral follow-up: Discord lets an acknowledged interaction say more for 15 minutes
            hook.sendMessage(new MessageCreateBuilder().setContent(content)
                    .setAllowedMentions(EnumSet.noneOf(Message.MentionType.class)).build())
                    .setEphemeral(true).queue(null, this::failed);
        }
        return true;
    }

    @Override
    public void taken(String note) {
        if (marked.compareAndSet(false, true)) {
            markUsed();
        }
        // the answers to the command follow: in the channel, or (a private reply) through this interaction
        if (answered.compareAndSet(false, true) && privateReply) {
            platform.offerHook(interactionId, hook, true);
        }
    }

    private void markUsed() {
        if (message == null || customId == null) {
            return;
        }
        AtomicBoolean found = new AtomicBoolean();
        MessageComponentTree tree = message.getComponentTree().replace(ComponentReplacer.of(Button.class,
                b -> customId.equals(b.getCustomId()) && b.getLabel() != null && !b.getLabel().startsWith(USED),
                b -> {
                    found.set(true);
                    return b.withStyle(ButtonStyle.SUCCESS).withLabel(USED + b.getLabel());
                }));
        if (!found.get()) {
            return;
        }
        if (privateReply) {
            // the interaction's own message is the private reply: the button's message is edited in its channel
            message.editMessageComponents(tree).queue(null, e -> log.debug("marking a used button failed: {}", e.toString()));
        } else {
            hook.editOriginalComponents(tree).queue(null, e -> log.debug("marking a used button failed: {}", e.toString()));
        }
    }

    private void failed(Throwable e) {
        log.warn("answering a button press failed: {}", e.toString());
    }
}
