package dev.nemobot.core.text;

import dev.nemobot.core.chat.Catalogue;
import dev.nemobot.core.chat.Lang;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A draft's tracks in one line, in the contract's format (words from the {@link Catalogue}'s {@code timeline*} keys):
 * {@code Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) 3. Title: "Urban Dreams" (0-3s)}.
 * Draft keys: {@code t} tracks, {@code tt} type (0 video, 1 audio, 7 text), {@code sg} segments, {@code s} start
 * and {@code d} duration in ms, {@code m} metadata. Stateless.
 */
public final class TimelineSummary {
    private TimelineSummary() {
    }

    /** The summary, or empty when the draft has no tracks. */
    public static String summarize(JsonNode draft, Lang lang) {
        JsonNode tracks = draft == null ? null : draft.path("t");
        if (tracks == null || !tracks.isArray() || tracks.isEmpty()) {
            return "";
        }
        Catalogue c = Catalogue.of(lang);
        List<String> items = new ArrayList<>();
        int n = 0;
        for (JsonNode track : tracks) {
            n++;
            items.add(n + ". " + track(track, c));
        }
        return c.text("timeline", n, String.join(" ", items));
    }

    private static String track(JsonNode track, Catalogue c) {
        int type = track.path("tt").asInt(-1);
        JsonNode segments = track.path("sg");
        String label = c.text(switch (type) {
            case 0 -> "timeline.video";
            case 1 -> "timeline.bgm";
            case 7 -> "timeline.title";
            default -> "timeline.track";
        });
        if (!segments.isArray() || segments.isEmpty()) {
            return c.text("timeline.itemEmpty", label);
        }
        List<String> names = new ArrayList<>();
        long start = Long.MAX_VALUE;
        long end = 0;
        JsonNode volume = null;
        for (JsonNode sg : segments) {
            JsonNode m = sg.path("m");
            String name = type == 7 ? quoted(m.path("text").asText(m.path("name").asText(""))) : m.path("name").asText("");
            if (!name.isBlank() && names.size() < 3 && !names.contains(name)) {
                names.add(name);
            }
            long s = sg.path("s").asLong(0);
            start = Math.min(start, s);
            end = Math.max(end, s + sg.path("d").asLong(0));
            if (volume == null && m.has("volume")) {
                volume = m.get("volume");
            }
        }
        if (segments.size() > names.size() && names.size() == 3) {
            names.add("…");
        }
        String name = names.isEmpty() ? c.text("timeline.untitled") : String.join(", ", names);
        String range = seconds(start) + "-" + seconds(end) + "s";
        if (volume != null && volume.isNumber()) {
            double v = volume.asDouble();
            long pct = Math.round(v <= 1.0 && volume.isFloatingPointNumber() ? v * 100 : v);
            range += ", " + pct + "%";
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
