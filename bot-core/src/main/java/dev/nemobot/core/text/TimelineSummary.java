package dev.nemobot.core.text;

import dev.nemobot.core.backend.Clip;
import dev.nemobot.core.backend.Draft;
import dev.nemobot.core.backend.Track;
import dev.nemobot.core.chat.kit.Catalogue;
import dev.nemobot.core.chat.Lang;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A draft's tracks in one line, in the contract's format (words from the {@link Catalogue}'s {@code timeline*} keys):
 * {@code Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) 3. Title: "Urban Dreams" (0-3s)}.
 * Reads the draft's typed tracks ({@link Draft}); the backend's keys are the codec's business. Stateless.
 */
public final class TimelineSummary {
    private TimelineSummary() {
    }

    /** The summary, or empty when the draft has no tracks. */
    public static String summarize(Draft draft, Lang lang) {
        if (draft == null || draft.tracks().isEmpty()) {
            return "";
        }
        Catalogue c = Catalogue.of(lang);
        List<String> items = new ArrayList<>();
        int n = 0;
        for (Track track : draft.tracks()) {
            n++;
            items.add(n + ". " + track(track, c));
        }
        return c.text("timeline", n, String.join(" ", items));
    }

    private static String track(Track track, Catalogue c) {
        List<Clip> segments = track.clips();
        String label = c.text(switch (track.kind()) {
            case VIDEO -> "timeline.video";
            case AUDIO -> "timeline.bgm";
            case TEXT -> "timeline.title";
            case OTHER -> "timeline.track";
        });
        if (segments.isEmpty()) {
            return c.text("timeline.itemEmpty", label);
        }
        List<String> names = new ArrayList<>();
        long start = Long.MAX_VALUE;
        long end = 0;
        OptionalLong volume = OptionalLong.empty();
        for (Clip sg : segments) {
            String name = track.kind() == Track.Kind.TEXT ? quoted(sg.text().orElse(sg.name())) : sg.name();
            if (!name.isBlank() && names.size() < 3 && !names.contains(name)) {
                names.add(name);
            }
            start = Math.min(start, sg.startMs());
            end = Math.max(end, sg.endMs());
            if (volume.isEmpty()) {
                volume = sg.volumePercent();
            }
        }
        if (segments.size() > names.size() && names.size() == 3) {
            names.add("…");
        }
        String name = names.isEmpty() ? c.text("timeline.untitled") : String.join(", ", names);
        String range = seconds(start) + "-" + seconds(end) + "s";
        if (volume.isPresent()) {
            range += ", " + volume.getAsLong() + "%";
        }
        return c.text("timeline.item", label, name, range);
    }

    private static String quoted(String s) {
        return s.isBlank() ? "" : "\"" + s + "\"";
    }

    private static String seconds(long ms) {
        return new BigDecimal(ms).movePointLeft(3).stripTrailingZeros().toPlainString();
    }
}
