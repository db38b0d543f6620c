package dev.nemobot.core.chat.options;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads option flags out of a caption or message: {@code animate it --ar 9:16 --duration 8 --camera "zoom in"
 * --style anime --quality 1080p --motion 3 --seed 42 --no "text, blur"}. A flag starts with {@code --} (or the dash
 * a phone makes of it: {@code —}, {@code –}), its value follows after a space or {@code =}, in quotes when it has
 * spaces ({@code "…"}, {@code '…'}, {@code “…”}, {@code «…»}, {@code 「…」}); {@code --camera zoom in} works without
 * them. What is left is the prompt. Names and values are case-insensitive; Midjourney's and Pika's spellings are
 * understood too ({@code --aspect}, {@code --neg}, {@code --motion}). Stateless and thread-safe.
 */
public final class OptionParser {
    /** A flag, with its value: quoted, or one word. */
    private static final Pattern FLAG = Pattern.compile(
            "(?<![\\p{L}\\p{N}])(?:--|[—–])(\\p{L}[\\p{L}\\p{N}_-]{0,20})(?:\\s*=\\s*|\\s+)?"
            + "(\"[^\"]*\"|'[^']*'|“[^”]*”|«[^»]*»|「[^」]*」|[^\\s\"“«「]+)?");
    private static final Pattern CAMERA_TWO_WORDS = Pattern.compile("^\\s+(in|out|left|right)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final int GIVEN_MAX = 40;
    /** The value that sets an option back to the user's default, or forgets the default in /settings. */
    public static final String DEFAULT = "default";

    private static final Map<String, VideoOptions.Name> NAMES = Map.ofEntries(
            Map.entry("ar", VideoOptions.Name.AR), Map.entry("aspect", VideoOptions.Name.AR),
            Map.entry("aspect-ratio", VideoOptions.Name.AR), Map.entry("ratio", VideoOptions.Name.AR),
            Map.entry("duration", VideoOptions.Name.DURATION), Map.entry("dur", VideoOptions.Name.DURATION),
            Map.entry("length", VideoOptions.Name.DURATION),
            Map.entry("motion", VideoOptions.Name.MOTION), Map.entry("camera", VideoOptions.Name.CAMERA),
            Map.entry("cam", VideoOptions.Name.CAMERA), Map.entry("style", VideoOptions.Name.STYLE),
            Map.entry("quality", VideoOptions.Name.QUALITY), Map.entry("q", VideoOptions.Name.QUALITY),
            Map.entry("resolution", VideoOptions.Name.QUALITY), Map.entry("seed", VideoOptions.Name.SEED),
            Map.entry("no", VideoOptions.Name.NO), Map.entry("neg", VideoOptions.Name.NO),
            Map.entry("negative", VideoOptions.Name.NO), Map.entry("avoid", VideoOptions.Name.NO));

    private OptionParser() {
    }

    /**
     * A message split into its prompt (flags removed, spaces tidied) and its options; {@code cleared} are the options
     * set to {@code default} ({@code --style default}): a request then leaves the user's default for it aside, and
     * {@code /settings} forgets it.
     */
    public record Parsed(String prompt, VideoOptions options, java.util.Set<VideoOptions.Name> cleared) {
        public Parsed {
            cleared = cleared.isEmpty() ? java.util.Set.of() : java.util.Collections.unmodifiableSet(
                    java.util.EnumSet.copyOf(cleared));
        }

        public Parsed(String prompt, VideoOptions options) {
            this(prompt, options, java.util.Set.of());
        }

        /** The options that apply to this request: its own, then {@code defaults} for the others not cleared. */
        public VideoOptions over(VideoOptions defaults) {
            return options.over(defaults.without(cleared));
        }
    }

    /**
     * The prompt and options of {@code text}; a text with no flag comes back as it is.
     *
     * @throws OptionException for an unknown flag or a value an option does not take (nothing is half-read)
     */
    public static Parsed parse(String text) throws OptionException {
        if (text == null || text.isEmpty()) {
            return new Parsed(text == null ? "" : text, VideoOptions.NONE);
        }
        Matcher m = FLAG.matcher(text).useTransparentBounds(true);
        VideoOptions options = VideoOptions.NONE;
        java.util.Set<VideoOptions.Name> cleared = java.util.EnumSet.noneOf(VideoOptions.Name.class);
        StringBuilder prompt = new StringBuilder();
        int last = 0;
        boolean found = false;
        while (m.find()) {
            String flag = m.group(1).toLowerCase(Locale.ROOT);
            VideoOptions.Name name = NAMES.get(flag);
            if (name == null && text.charAt(m.start()) != '-') {
                // "a sunset —calm and slow": a dash in prose, not a flag; look on right after its word
                m.region(m.end(1), text.length());
                continue;
            }
            if (name == null) {
                throw new OptionException(null, shorten("--" + m.group(1)));
            }
            String value = m.group(2) == null ? "" : unquote(m.group(2));
            int end = m.end();
            if (name == VideoOptions.Name.CAMERA && m.group(2) != null && !quoted(m.group(2))) {
                Matcher two = CAMERA_TWO_WORDS.matcher(text.substring(end));
                if (two.find()) {
                    value = value + " " + two.group(1);
                    end += two.end();
                }
            }
            if (value.isBlank()) {
                throw new OptionException(name, "");
            }
            if (value.strip().equalsIgnoreCase(DEFAULT)) {
                options = clear(options, name);
                cleared.add(name);
            } else {
                options = set(options, name, value);
                cleared.remove(name);
            }
            prompt.append(text, last, m.start());
            last = end;
            found = true;
            if (end != m.end()) {
                m.region(end, text.length());
            }
        }
        if (!found) {
            return new Parsed(text, VideoOptions.NONE);
        }
        prompt.append(text.substring(last));
        String cleaned = prompt.toString().replaceAll("[ \\t]{2,}", " ").replaceAll("[ \\t]+(\\n|$)", "$1").strip();
        return new Parsed(cleaned, options, cleared);
    }

    /** {@code options} with {@code name} set to {@code value} as typed; null or blank clears it. */
    static VideoOptions set(VideoOptions o, VideoOptions.Name name, String value) throws OptionException {
        if (value == null || value.isBlank()) {
            return clear(o, name);
        }
        String v = value.strip();
        String key = v.toLowerCase(Locale.ROOT).replaceAll("[\\s_]+", "-");
        try {
            return switch (name) {
                case AR -> withAspect(o, aspect(key));
                case DURATION -> new VideoOptions(o.aspect(), seconds(key), o.motion(), o.camera(), o.style(),
                        o.quality(), o.seed(), o.avoid());
                case MOTION -> new VideoOptions(o.aspect(), o.duration(), Integer.parseInt(key), o.camera(),
                        o.style(), o.quality(), o.seed(), o.avoid());
                case CAMERA -> new VideoOptions(o.aspect(), o.duration(), o.motion(), camera(key), o.style(),
                        o.quality(), o.seed(), o.avoid());
                case STYLE -> new VideoOptions(o.aspect(), o.duration(), o.motion(), o.camera(), style(key),
                        o.quality(), o.seed(), o.avoid());
                case QUALITY -> new VideoOptions(o.aspect(), o.duration(), o.motion(), o.camera(), o.style(),
                        quality(key), o.seed(), o.avoid());
                case SEED -> new VideoOptions(o.aspect(), o.duration(), o.motion(), o.camera(), o.style(),
                        o.quality(), Long.parseLong(key), o.avoid());
                case NO -> new VideoOptions(o.aspect(), o.duration(), o.motion(), o.camera(), o.style(),
                        o.quality(), o.seed(), v);
            };
        } catch (IllegalArgumentException e) { // NumberFormatException too
            throw new OptionException(name, shorten(v));
        }
    }

    static VideoOptions clear(VideoOptions o, VideoOptions.Name name) {
        return switch (name) {
            case AR -> withAspect(o, null);
            case DURATION -> new VideoOptions(o.aspect(), null, o.motion(), o.camera(), o.style(), o.quality(),
                    o.seed(), o.avoid());
            case MOTION -> new VideoOptions(o.aspect(), o.duration(), null, o.camera(), o.style(), o.quality(),
                    o.seed(), o.avoid());
            case CAMERA -> new VideoOptions(o.aspect(), o.duration(), o.motion(), null, o.style(), o.quality(),
                    o.seed(), o.avoid());
            case STYLE -> new VideoOptions(o.aspect(), o.duration(), o.motion(), o.camera(), null, o.quality(),
                    o.seed(), o.avoid());
            case QUALITY -> new VideoOptions(o.aspect(), o.duration(), o.motion(), o.camera(), o.style(), null,
                    o.seed(), o.avoid());
            case SEED -> new VideoOptions(o.aspect(), o.duration(), o.motion(), o.camera(), o.style(), o.quality(),
                    null, o.avoid());
            case NO -> new VideoOptions(o.aspect(), o.duration(), o.motion(), o.camera(), o.style(), o.quality(),
                    o.seed(), null);
        };
    }

    private static VideoOptions withAspect(VideoOptions o, VideoOptions.Aspect a) {
        return new VideoOptions(a, o.duration(), o.motion(), o.camera(), o.style(), o.quality(), o.seed(), o.avoid());
    }

    private static VideoOptions.Aspect aspect(String key) {
        return switch (key) {
            case "16:9", "16x9", "landscape" -> VideoOptions.Aspect.LANDSCAPE;
            case "9:16", "9x16", "portrait", "vertical" -> VideoOptions.Aspect.PORTRAIT;
            case "1:1", "1x1", "square" -> VideoOptions.Aspect.SQUARE;
            case "auto", "image", "original", "source" -> VideoOptions.Aspect.IMAGE;
            default -> throw new IllegalArgumentException(key);
        };
    }

    private static int seconds(String key) {
        String k = key.endsWith("s") ? key.substring(0, key.length() - 1) : key;
        return Integer.parseInt(k.endsWith("-") ? k.substring(0, k.length() - 1) : k);
    }

    private static VideoOptions.Camera camera(String key) {
        String k = key.replace("zoomin", "zoom-in").replace("zoomout", "zoom-out");
        for (VideoOptions.Camera c : VideoOptions.Camera.values()) {
            if (c.value().equals(k)) {
                return c;
            }
        }
        if (k.equals("none") || k.equals("still")) {
            return VideoOptions.Camera.STATIC;
        }
        throw new IllegalArgumentException(key);
    }

    private static VideoOptions.Style style(String key) {
        for (VideoOptions.Style s : VideoOptions.Style.values()) {
            if (s.value().equals(key)) {
                return s;
            }
        }
        if (key.equals("realism") || key.equals("real") || key.equals("photo")) {
            return VideoOptions.Style.REALISTIC;
        }
        throw new IllegalArgumentException(key);
    }

    private static VideoOptions.Quality quality(String key) {
        String k = key.endsWith("p") ? key.substring(0, key.length() - 1) : key;
        for (VideoOptions.Quality q : VideoOptions.Quality.values()) {
            if (String.valueOf(q.pixels()).equals(k)) {
                return q;
            }
        }
        throw new IllegalArgumentException(key);
    }

    private static boolean quoted(String v) {
        return v.length() >= 2 && "\"'“«「".indexOf(v.charAt(0)) >= 0;
    }

    private static String unquote(String v) {
        return quoted(v) ? v.substring(1, v.length() - 1) : v;
    }

    private static String shorten(String s) {
        return s.length() <= GIVEN_MAX ? s : s.substring(0, GIVEN_MAX - 1) + "…";
    }
}
