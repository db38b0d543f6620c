package dev.nemobot.telegram;

import dev.nemobot.core.chat.Incoming;
import java.util.Objects;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;

/** What to do with one update, decided on the thread that received it (polling or webhook) without any I/O. */
sealed interface UpdateDecision {

    /**
     * Hand the message to the engine; also one the adapter cannot take (a file over the download limit), carrying
     * its refusal: the engine answers it after its access and rate checks, like every answer.
     */
    record Deliver(Incoming message) implements UpdateDecision {
        public Deliver {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * A button press: hand its command to the engine, which answers the callback query after its access and rate
     * checks; or a press the adapter cannot take (someone else's button, stale data), handed on with its refusal,
     * which the engine says as a pop-up after the same checks. {@code chatId}, {@code messageId} and {@code keyboard}
     * (each possibly null) say where the button is, to mark it used; {@code data} is its callback data.
     */
    record Press(Incoming message, String callbackId, String chatId, Integer messageId, InlineKeyboardMarkup keyboard,
                 String data) implements UpdateDecision {
        public Press {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(callbackId, "callbackId");
        }
    }

    /**
     * A callback query with nothing for the engine (no chat or sender to answer): stop the button's spinner, with
     * {@code text} shown as a short notice when not "".
     */
    record AnswerOnly(String callbackId, String text) implements UpdateDecision {
        public AnswerOnly {
            Objects.requireNonNull(callbackId, "callbackId");
            text = text == null ? "" : text;
        }

        AnswerOnly(String callbackId) {
            this(callbackId, "");
        }
    }

    /** One photo of an album: {@link Albums} puts the album together, and hands it on as one message. */
    record AlbumPart(Albums.Part part) implements UpdateDecision {
        public AlbumPart {
            Objects.requireNonNull(part, "part");
        }
    }

    /** Not for this bot (group chatter, another bot's command, a sticker...). */
    /**
     * A press on the Options keyboard that only changes its menu: the pressed message's keyboard becomes
     * {@code keyboard}, and the button's spinner stops. Nothing for the engine.
     */
    record Menu(String callbackId, String chatId, Integer messageId, InlineKeyboardMarkup keyboard) implements UpdateDecision {
        public Menu {
            Objects.requireNonNull(callbackId, "callbackId");
            Objects.requireNonNull(keyboard, "keyboard");
        }
    }

    record Skip(String reason) implements UpdateDecision {
    }
}
