package dev.nemobot.telegram;

import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.chat.kit.RecentIds;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.longpolling.interfaces.LongPollingUpdateConsumer;
import org.telegram.telegrambots.meta.api.methods.AnswerCallbackQuery;
import org.telegram.telegrambots.meta.api.methods.updatingmessages.EditMessageReplyMarkup;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * The one intake of updates, for both ways they arrive: batches from TelegramBots' polling thread
 * ({@link #consume(List)}) and single webhook deliveries on the webhook server's virtual threads ({@link #accept}).
 * It only translates them and hands them on: to the engine's inbox (which returns at once) or, for the adapter's own
 * small answers (callback answers, the engine's answers to button presses), to a virtual thread; at most {@link #MAX_SIDE_TASKS} of
 * those run at once and more are dropped. One failing update is logged and the others go on: an exception escaping
 * here would stop TelegramBots' polling for good. An update seen before (a retried batch, a restarted poller, a
 * webhook delivery Telegram retried) is not handled again. Never blocks; thread-safe.
 */
final class UpdateConsumer implements LongPollingUpdateConsumer {
    static final int MAX_SIDE_TASKS = 64;
    private static final Logger log = LoggerFactory.getLogger(UpdateConsumer.class);

    private final UpdateTranslator translator;
    private final Inbox inbox;
    private final BotApi api;
    private final ExecutorService sideTasks;
    private final Semaphore sidePermits = new Semaphore(MAX_SIDE_TASKS);
    private final RecentIds recent = new RecentIds(10_000);
    private final Albums albums;

    UpdateConsumer(UpdateTranslator translator, Inbox inbox, BotApi api, ExecutorService sideTasks, Albums albums) {
        this.translator = translator;
        this.inbox = inbox;
        this.api = api;
        this.sideTasks = sideTasks;
        this.albums = albums;
    }

    @Override
    public void consume(List<Update> updates) {
        for (Update update : updates) {
            accept(update);
        }
    }

    /** Handles one update; returns at once and never throws. */
    void accept(Update update) {
        try {
            handle(update);
        } catch (RuntimeException e) {
            log.warn("telegram: update {} could not be handled: {}", update.getUpdateId(), e.toString());
        }
    }

    private void handle(Update update) {
        if (update.getUpdateId() == null || !recent.firstTime(UpdateKey.of(update))) {
            log.debug("telegram: update {} seen before, skipped", update.getUpdateId());
            return;
        }
        switch (translator.translate(update)) {
            case UpdateDecision.Deliver d -> inbox.accept(d.message());
            // the engine answers the query, after its access and rate checks
            case UpdateDecision.Press p -> inbox.press(p.message(), new PressAnswer(api, this::side, p.callbackId(),
                    p.chatId(), p.messageId(), p.keyboard(), p.data(), p.message().user().id()));
            case UpdateDecision.AnswerOnly a -> answer(a.callbackId(), a.text());
            case UpdateDecision.AlbumPart a -> albums.add(a.part());
            case UpdateDecision.Menu menu -> {
                answer(menu.callbackId(), "");
                if (menu.messageId() != null) {
                    side("editMessageReplyMarkup", () -> api.call(EditMessageReplyMarkup.builder()
                            .chatId(menu.chatId()).messageId(menu.messageId()).replyMarkup(menu.keyboard()).build()));
                }
            }
            case UpdateDecision.Skip s -> log.debug("telegram: update {} skipped: {}", update.getUpdateId(), s.reason());
        }
    }

    /** Stops the button's spinner; {@code text}, when not empty, is shown to the presser as a notice. */
    private void answer(String callbackId, String text) {
        side("answerCallbackQuery", () -> api.call(AnswerCallbackQuery.builder().callbackQueryId(callbackId)
                .text(text.isEmpty() ? null : text).build()));
    }

    private void side(String what, Runnable task) {
        if (!sidePermits.tryAcquire()) {
            log.warn("telegram: too many pending {} calls, one dropped", what);
            return;
        }
        try {
            sideTasks.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("telegram: {} failed: {}", what, e.getMessage());
                } finally {
                    sidePermits.release();
                }
            });
        } catch (RejectedExecutionException e) {
            sidePermits.release();
            log.debug("telegram: shutting down, {} not sent", what);
        }
    }
}
