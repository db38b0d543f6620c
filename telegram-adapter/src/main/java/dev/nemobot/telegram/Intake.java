package dev.nemobot.telegram;

import dev.nemobot.core.chat.Incoming;
import java.util.Objects;

/** What to do with one update, decided on the thread that received it (polling or webhook) without any I/O. */
sealed interface Intake {

    /**
     * Hand the message to the engine; also one the adapter cannot take (a file over the download limit), carrying
     * its refusal: the engine answers it after its access and rate checks, like every answer.
     */
    record Deliver(Incoming message) implements Intake {
        public Deliver {
            Objects.requireNonNull(message, "message");
        }
    }

    /** A button press: hand its command to the engine and answer the callback query. */
    record Press(Incoming message, String callbackId) implements Intake {
        public Press {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(callbackId, "callbackId");
        }
    }

    /**
     * A callback query this bot cannot use (stale or foreign data): stop the button's spinner, with {@code text}
     * shown as a short notice when not "".
     */
    record AnswerOnly(String callbackId, String text) implements Intake {
        public AnswerOnly {
            Objects.requireNonNull(callbackId, "callbackId");
            text = text == null ? "" : text;
        }

        AnswerOnly(String callbackId) {
            this(callbackId, "");
        }
    }

    /** Not for this bot (group chatter, another bot's command, a sticker...). */
    record Skip(String reason) implements Intake {
    }
}
