package dev.nemobot.telegram;

import org.telegram.telegrambots.meta.api.objects.CallbackQuery;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.message.Message;

/**
 * What an update is handled once by, here and in the engine's store: not its update id, which starts over (a
 * self-hosted Bot API server whose data was wiped counts again from 1, Telegram picks a random id after a week without
 * updates), so that a new update may carry the id of one handled hours before. A message is known by its chat and
 * message id, which Telegram itself numbers, and a button press by its callback query id; the same update delivered
 * twice (a retried batch, a webhook retry, two instances) has the same key.
 */
final class UpdateKey {
    private UpdateKey() {
    }

    static String of(Update update) {
        CallbackQuery query = update.getCallbackQuery();
        if (query != null && query.getId() != null) {
            return "press:" + query.getId();
        }
        Message m = update.getMessage();
        if (m != null && m.getChat() != null && m.getChatId() != null && m.getMessageId() != null) {
            return "message:" + m.getChatId() + ":" + m.getMessageId();
        }
        return "update:" + update.getUpdateId();
    }
}
