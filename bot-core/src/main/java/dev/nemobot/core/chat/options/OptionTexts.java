package dev.nemobot.core.chat.options;

import dev.nemobot.core.chat.kit.Catalogue;
import dev.nemobot.core.chat.Lang;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Options in words, from the catalogue of one language: the precise instruction the agent gets
 * ({@link #instruction}, in the session's language), the names of options and values people see (buttons, slash
 * command choices, {@code /settings}, {@code /status}). Immutable and thread-safe.
 */
public final class OptionTexts {
    private final Catalogue c;

    private OptionTexts(Catalogue c) {
        this.c = c;
    }

    public static OptionTexts of(Lang lang) {
        return new OptionTexts(Catalogue.of(lang == null ? Lang.EN : lang));
    }

    /** For a backend session's language code ({@code ja}, {@code zh-TW}); English for one the bot does not speak. */
    public static OptionTexts ofSession(String languageCode) {
        return of(Lang.of(Locale.forLanguageTag(languageCode == null ? "en" : languageCode)));
    }

    /**
     * What the agent is sent: {@code prompt} (or, when it is blank, "animate this image into a video"), then one
     * sentence with every asked option ("Settings for this video: aspect ratio 9:16 (portrait), 8 seconds long,
     * …"). The prompt alone when no option is asked.
     */
    public String instruction(String prompt, VideoOptions o) {
        Objects.requireNonNull(o, "options");
        String p = prompt == null || prompt.isBlank() ? c.text("agentOptions.animate") : prompt.strip();
        if (o.isEmpty()) {
            return p;
        }
        List<String> parts = new ArrayList<>();
        if (o.aspect() != null) {
            parts.add(c.text("agentOptions.ar", value(o.aspect())));
        }
        if (o.duration() != null) {
            parts.add(c.text("agentOptions.duration", String.valueOf(o.duration())));
        }
        if (o.motion() != null) {
            parts.add(c.text("agentOptions.motion", String.valueOf(o.motion()), String.valueOf(VideoOptions.MOTION_MAX)));
        }
        if (o.camera() != null) {
            parts.add(c.text("agentOptions.camera", value(o.camera())));
        }
        if (o.style() != null) {
            parts.add(c.text("agentOptions.style", value(o.style())));
        }
        if (o.quality() != null) {
            parts.add(c.text("agentOptions.quality", o.quality().value()));
        }
        if (o.seed() != null) {
            parts.add(c.text("agentOptions.seed", String.valueOf(o.seed())));
        }
        if (o.avoid() != null) {
            parts.add(c.text("agentOptions.avoid", o.avoid()));
        }
        return p + "\n" + c.text("agentOptions", String.join(c.text("agentOptions.separator"), parts));
    }

    /** A fixed value in words: "9:16 (portrait)", "zoom in", "anime". */
    public String value(VideoOptions.Choice v) {
        if (v instanceof VideoOptions.Quality q) {
            return q.value();
        }
        return c.text("option." + kind(v) + "." + ((Enum<?>) v).name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    /** An option's name in words: "Aspect ratio", "Camera". */
    public String name(VideoOptions.Name n) {
        return c.text("option.name." + n.name().toLowerCase(Locale.ROOT));
    }

    /** The value of {@code n} in {@code o} in words; "default" when not asked. */
    public String shown(VideoOptions o, VideoOptions.Name n) {
        return switch (n) {
            case AR -> o.aspect() == null ? unset() : value(o.aspect());
            case CAMERA -> o.camera() == null ? unset() : value(o.camera());
            case STYLE -> o.style() == null ? unset() : value(o.style());
            case DURATION -> o.duration() == null ? unset() : c.text("option.seconds", String.valueOf(o.duration()));
            default -> o.get(n).orElseGet(this::unset);
        };
    }

    /** "Aspect ratio: 9:16 (portrait), Duration: 8 s, …" for the asked options only; "" when none. */
    public String summary(VideoOptions o) {
        List<String> parts = new ArrayList<>();
        for (VideoOptions.Name n : VideoOptions.Name.values()) {
            if (o.get(n).isPresent()) {
                parts.add(name(n) + ": " + shown(o, n));
            }
        }
        return String.join(", ", parts);
    }

    /** Every option on its own line, "Aspect ratio: 9:16 (portrait)", "default" for those not set. */
    public String lines(VideoOptions o) {
        List<String> lines = new ArrayList<>();
        for (VideoOptions.Name n : VideoOptions.Name.values()) {
            lines.add(name(n) + ": " + shown(o, n));
        }
        return String.join("\n", lines);
    }

    /** What an option not asked does: the backend's choice. */
    public String unset() {
        return c.text("option.unset");
    }

    private static String kind(VideoOptions.Choice v) {
        return switch (v) {
            case VideoOptions.Aspect a -> "ar";
            case VideoOptions.Camera cam -> "camera";
            case VideoOptions.Style s -> "style";
            default -> "quality";
        };
    }
}
