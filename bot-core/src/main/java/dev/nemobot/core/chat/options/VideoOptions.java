package dev.nemobot.core.chat.options;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How a video is to be made: aspect ratio, length, motion strength, camera movement, style, export quality, seed and
 * what to avoid. Every field is optional (null: not asked, the backend's own choice). A request's own options win
 * over a user's defaults ({@link #over}). Values are checked when made: only {@link #allowed allowed} ones exist.
 * Immutable.
 *
 * @param aspect   the frame's shape
 * @param duration the clip's length in seconds, one of {@link #DURATIONS}
 * @param motion   motion strength, {@value #MOTION_MIN} (subtle) to {@value #MOTION_MAX} (strong)
 * @param camera   the camera's movement
 * @param style    the look
 * @param quality  the export's size
 * @param seed     the generator's seed, 0 to {@value #SEED_MAX}
 * @param avoid    what to keep out of the video ("text, blur"), at most {@value #AVOID_MAX} characters
 */
public record VideoOptions(Aspect aspect, Integer duration, Integer motion, Camera camera, Style style,
                           Quality quality, Long seed, String avoid) {
    /** The lengths the backend makes (PixVerse's image-to-video clips: 5 or 8 seconds). */
    public static final List<Integer> DURATIONS = List.of(5, 8);
    public static final int MOTION_MIN = 1;
    public static final int MOTION_MAX = 5;
    public static final long SEED_MAX = 2_147_483_647L;
    public static final int AVOID_MAX = 200;
    /** Nothing asked. */
    public static final VideoOptions NONE = new VideoOptions(null, null, null, null, null, null, null, null);

    public VideoOptions {
        if (duration != null && !DURATIONS.contains(duration)) {
            throw new IllegalArgumentException("duration not allowed: " + duration);
        }
        if (motion != null && (motion < MOTION_MIN || motion > MOTION_MAX)) {
            throw new IllegalArgumentException("motion out of range: " + motion);
        }
        if (seed != null && (seed < 0 || seed > SEED_MAX)) {
            throw new IllegalArgumentException("seed out of range: " + seed);
        }
        if (avoid != null) {
            avoid = avoid.strip();
            if (avoid.isEmpty()) {
                avoid = null;
            } else if (avoid.codePointCount(0, avoid.length()) > AVOID_MAX) {
                throw new IllegalArgumentException("avoid is too long");
            }
        }
    }

    /** The shape of the frame. */
    public enum Aspect implements Choice {
        LANDSCAPE("16:9"), PORTRAIT("9:16"), SQUARE("1:1"), IMAGE("auto");

        private final String value;

        Aspect(String value) {
            this.value = value;
        }

        @Override
        public String value() {
            return value;
        }
    }

    /** How the camera moves. */
    public enum Camera implements Choice {
        ZOOM_IN, ZOOM_OUT, PAN_LEFT, PAN_RIGHT, ORBIT, STATIC;

        @Override
        public String value() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** The look of the video. */
    public enum Style implements Choice {
        REALISTIC, ANIME, THREE_D, CLAY, COMIC, CYBERPUNK;

        @Override
        public String value() {
            return this == THREE_D ? "3d" : name().toLowerCase(Locale.ROOT);
        }
    }

    /** The export's size: the short side in pixels (1080p: 1920x1080, 1080x1920 or 1080x1080). */
    public enum Quality implements Choice {
        Q540(540), Q720(720), Q1080(1080);

        private final int pixels;

        Quality(int pixels) {
            this.pixels = pixels;
        }

        public int pixels() {
            return pixels;
        }

        @Override
        public String value() {
            return pixels + "p";
        }
    }

    /** A value of a fixed set, written as users type it ({@code 9:16}, {@code zoom-in}, {@code 1080p}). */
    public interface Choice {
        String value();
    }

    /** The option names, as flags ({@code --ar}) and in the store. */
    public enum Name {
        AR, DURATION, MOTION, CAMERA, STYLE, QUALITY, SEED, NO;

        public String flag() {
            return "--" + name().toLowerCase(Locale.ROOT);
        }

        /** What this option takes, as typed: the fixed values, or a range. */
        public List<String> allowed() {
            return switch (this) {
                case AR -> values(Aspect.values());
                case DURATION -> DURATIONS.stream().map(String::valueOf).toList();
                case MOTION -> java.util.stream.IntStream.rangeClosed(MOTION_MIN, MOTION_MAX)
                        .mapToObj(String::valueOf).toList();
                case CAMERA -> values(Camera.values());
                case STYLE -> values(Style.values());
                case QUALITY -> values(Quality.values());
                case SEED -> List.of("0-" + SEED_MAX);
                case NO -> List.of("\"text, blur\" (≤ " + AVOID_MAX + ")");
            };
        }

        private static List<String> values(Choice[] choices) {
            List<String> out = new ArrayList<>();
            for (Choice c : choices) {
                out.add(c.value());
            }
            return out;
        }
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    /** These options, each one not asked taken from {@code defaults}. */
    public VideoOptions over(VideoOptions defaults) {
        Objects.requireNonNull(defaults, "defaults");
        return new VideoOptions(or(aspect, defaults.aspect), or(duration, defaults.duration),
                or(motion, defaults.motion), or(camera, defaults.camera), or(style, defaults.style),
                or(quality, defaults.quality), or(seed, defaults.seed), or(avoid, defaults.avoid));
    }

    private static <T> T or(T a, T b) {
        return a != null ? a : b;
    }

    /** These options without {@code names} (not asked). */
    public VideoOptions without(java.util.Set<Name> names) {
        VideoOptions o = this;
        for (Name n : names) {
            o = OptionParser.clear(o, n);
        }
        return o;
    }

    /** These options with {@code name} set to {@code value} as typed (null or "": not asked). */
    public VideoOptions with(Name name, String value) throws OptionException {
        return OptionParser.set(this, name, value);
    }

    /** The value of {@code name} as typed ({@code 9:16}, {@code 8}, {@code zoom-in}), empty when not asked. */
    public Optional<String> get(Name name) {
        Object v = switch (name) {
            case AR -> aspect;
            case DURATION -> duration;
            case MOTION -> motion;
            case CAMERA -> camera;
            case STYLE -> style;
            case QUALITY -> quality;
            case SEED -> seed;
            case NO -> avoid;
        };
        if (v == null) {
            return Optional.empty();
        }
        return Optional.of(v instanceof Choice c ? c.value() : v.toString());
    }

    /** The asked options as flags, {@code --ar 9:16 --duration 8 --no "text, blur"}; "" when none. */
    public String asFlags() {
        StringBuilder b = new StringBuilder();
        for (Name n : Name.values()) {
            get(n).ifPresent(v -> {
                if (!b.isEmpty()) {
                    b.append(' ');
                }
                b.append(n.flag()).append(' ').append(v.matches("[^\\s\"]+") ? v : '"' + v.replace("\"", "'") + '"');
            });
        }
        return b.toString();
    }
}
