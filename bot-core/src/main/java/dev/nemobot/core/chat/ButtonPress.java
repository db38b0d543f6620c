package dev.nemobot.core.chat;

import java.util.List;

/**
 * A button press, acknowledged by the adapter at once on the platform's thread and without any text (Discord's
 * 3 seconds, Telegram's spinner): what the presser reads is the engine's to decide, after its access and rate checks.
 * Whatever is said here is private to the presser: a pop-up on Telegram ({@code answerCallbackQuery} with text), an
 * ephemeral message on Discord; nothing appears in the group. The engine answers every press it is handed, once, and
 * a refused one at most with the gate's text. Implementations never block (they queue the platform call) and are
 * thread-safe.
 */
public interface ButtonPress {

    /**
     * Says {@code text} to the presser privately; "" ends the press without a word (the bare acknowledgement, e.g.
     * for a user the access lists deny). Later calls after a first answer are ignored where the platform answers a
     * press once (Telegram).
     *
     * @return false when {@code text} is not empty and could not be said privately (a Telegram press answered
     * already): the caller then says it in the chat if it must be said at all
     */
    boolean answer(String text);

    /**
     * The press was let through and its action starts: the pressed button shows it was used (Discord: marked;
     * Telegram: the keyboard updated), and {@code note} ("Making another take…") is shown where the platform
     * answers every press with a pop-up (Telegram). Answers the press.
     */
    void taken(String note);

    /**
     * Replaces the message the pressed button is on with {@code text} and buttons {@code rows} (a page of a list, turned
     * in place), and answers the press without a word. Only for a press let through.
     *
     * @return false when this platform or press cannot (the caller then sends the text as a new answer)
     */
    default boolean replace(String text, List<List<Choice>> rows) {
        return false;
    }

    /** A press that nobody answers (an adapter that does not tell the engine, a test): the bare acknowledgement. */
    ButtonPress NONE = new ButtonPress() {
        @Override
        public boolean answer(String text) {
            return text.isEmpty();
        }

        @Override
        public void taken(String note) {
        }
    };
}
