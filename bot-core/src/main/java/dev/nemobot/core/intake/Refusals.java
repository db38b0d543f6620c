package dev.nemobot.core.intake;

import dev.nemobot.core.chat.kit.Catalogue;
import dev.nemobot.core.chat.Lang;
import java.time.Duration;

/**
 * The polite refusals, in the user's language (keys {@code refusal.*} of the {@link Catalogue}): plain text, each
 * saying when (or whether) to try again.
 */
final class Refusals {
    private Refusals() {
    }

    static String notAllowed(Lang lang) {
        return Catalogue.of(lang).text("refusal.notAllowed");
    }

    static String tooLong(Lang lang, int max) {
        return Catalogue.of(lang).text("refusal.tooLong", String.valueOf(max));
    }

    static String slowDown(Lang lang, int perMinute, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return Catalogue.of(lang).text("refusal.slowDown", String.valueOf(perMinute), String.valueOf(seconds));
    }

    /** A batch of {@code images} images, more than one request may animate ({@code max}). */
    static String batchTooMany(Lang lang, int images, int max) {
        return Catalogue.of(lang).text("refusal.batchTooMany", images, max);
    }

    /**
     * A batch of {@code images} takes when the message rate lets only {@code fit} (maybe 0) start now; all of them
     * could in {@code wait}.
     */
    static String batchRate(Lang lang, int images, int fit, int perMinute, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return Catalogue.of(lang).text("refusal.batchRate", images, fit, String.valueOf(perMinute),
                String.valueOf(seconds));
    }
}
