package dev.nemobot.core.guard;

import dev.nemobot.core.text.Catalogue;
import dev.nemobot.core.text.Lang;
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
}
