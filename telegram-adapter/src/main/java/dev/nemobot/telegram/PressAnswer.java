package dev.nemobot.telegram;

import dev.nemobot.core.chat.ButtonPress;
import dev.nemobot.core.chat.Choice;
import dev.nemobot.core.chat.kit.TextSplitter;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.telegram.telegrambots.meta.api.methods.AnswerCallbackQuery;
import org.telegram.telegrambots.meta.api.methods.updatingmessages.EditMessageReplyMarkup;
import org.telegram.telegrambots.meta.api.methods.updatingmessages.EditMessageText;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;

/**
 * How the engine answers one callback query: {@code answerCallbackQuery} once (with a pop-up text, or none),
 * {@code editMessageReplyMarkup} to mark the pressed button used, and {@code editMessageText} to turn a list's page in
 * place. Telegram answers a query once: a second answer is
 * not sent. Calls go to the adapter's bounded side tasks; never blocks. Thread-safe.
 */
final class PressAnswer implements ButtonPress {
    /** Telegram's limit for a callback answer's text. */
    static final int TEXT_LIMIT = 200;

    private final BotApi api;
    private final BiConsumer<String, Runnable> side;
    private final String callbackId;
    private final String chatId;
    private final Integer messageId;
    private final InlineKeyboardMarkup keyboard;
    private final String data;
    private final String ownerId;
    private final AtomicBoolean answered = new AtomicBoolean();
    private final AtomicBoolean marked = new AtomicBoolean();

    /**
     * @param side     runs a named call on a side task
     * @param keyboard the keyboard of the message the button is on (null: unknown, nothing to mark)
     * @param ownerId  the presser, whose buttons a list turned in place gets
     */
    PressAnswer(BotApi api, BiConsumer<String, Runnable> side, String callbackId, String chatId, Integer messageId,
                InlineKeyboardMarkup keyboard, String data, String ownerId) {
        this.api = api;
        this.side = side;
        this.callbackId = Objects.requireNonNull(callbackId, "callbackId");
        this.chatId = chatId;
        this.messageId = messageId;
        this.keyboard = keyboard;
        this.data = data;
        this.ownerId = ownerId;
    }

    /** The message the button is on becomes {@code text} with the buttons {@code rows} ({@code editMessageText}). */
    @Override
    public boolean replace(String text, List<List<Choice>> rows) {
        if (chatId == null || messageId == null || ownerId == null) {
            return false;
        }
        EditMessageText edit = EditMessageText.builder().chatId(chatId).messageId(messageId)
                .text(TextSplitter.truncate(text, TelegramPlatform.MESSAGE_LIMIT))
                .replyMarkup(Buttons.keyboard(rows, ownerId)).build();
        side.accept("editMessageText", () -> api.call(edit));
        send("", false);
        return true;
    }

    @Override
    public boolean answer(String text) {
        // a refusal stays until read: an alert; an empty answer only stops the spinner
        return send(text, !text.isEmpty());
    }

    @Override
    public void taken(String note) {
        if (marked.compareAndSet(false, true) && chatId != null && messageId != null) {
            InlineKeyboardMarkup used = Buttons.markUsed(keyboard, data);
            if (used != null) {
                side.accept("editMessageReplyMarkup", () -> api.call(EditMessageReplyMarkup.builder().chatId(chatId)
                        .messageId(messageId).replyMarkup(used).build()));
            }
        }
        send(note, false);
    }

    private boolean send(String text, boolean alert) {
        if (!answered.compareAndSet(false, true)) {
            return text.isEmpty();
        }
        String shown = text.isEmpty() ? null : TextSplitter.truncate(text, TEXT_LIMIT);
        side.accept("answerCallbackQuery", () -> api.call(AnswerCallbackQuery.builder().callbackQueryId(callbackId)
                .text(shown).showAlert(shown != null && alert ? Boolean.TRUE : null).build()));
        return true;
    }
}
