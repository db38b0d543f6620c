package dev.nemobot.core.text;

import java.util.Objects;
import java.util.Set;

/**
 * The backend's text with its interface instructions removed, and what the bot should do instead.
 *
 * @param text      what to show (may be empty when the text was only about the interface)
 * @param followups actions the text asked the (absent) user interface for
 */
public record Translation(String text, Set<Followup> followups) {
    public Translation {
        Objects.requireNonNull(text, "text");
        followups = Set.copyOf(followups);
    }
}
