package dev.nemobot.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The video settings a generation request asks for, as the agent would understand them from the words, in any of
 * the simulator's languages: the aspect ratio ({@code 9:16}, or "(auto)": the image's own), the export quality
 * ({@code 1080p}: the short side), the seed, the camera movement and the style (by their English names). They shape
 * the rendered MP4 and are listed on the timeline. Immutable.
 *
 * @param ratio   "16:9", "9:16", "1:1", "auto", or null when not asked
 * @param quality the short side in pixels (540, 720, 1080), or 0 when not asked
 * @param seconds the clip's length
 */
record Asked(String ratio, int quality, int seconds, Long seed, String camera, String style) {
    private static final Pattern RATIO = Pattern.compile("(?<![\\d:])(16:9|9:16|1:1)(?![\\d:])");
    private static final Pattern AUTO = Pattern.compile("\\(auto\\)|（auto）|--ar\\s+auto");
    private static final Pattern QUALITY = Pattern.compile("(?<!\\d)(540|720|1080)p\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern SEED = Pattern.compile(
            "(?:seed|シード|种子|種子|시드|semilla|semente|сид)\\D{0,4}(\\d{1,10})", Pattern.CASE_INSENSITIVE);
    private static final Map<String, String> CAMERA = Map.of("zoom in", "zoom in", "zoom-in", "zoom in",
            "zoom out", "zoom out", "zoom-out", "zoom out", "pan left", "pan left", "pan-left", "pan left",
            "pan right", "pan right", "pan-right", "pan right", "orbit", "orbit");
    private static final List<String> STYLES = List.of("realistic", "anime", "3d", "clay", "comic", "cyberpunk");
    /** The longest side the simulator renders. */
    static final int MAX_SIDE = 1920;

    static Asked of(String prompt, int seconds) {
        String lower = prompt.toLowerCase(Locale.ROOT);
        String ratio = null;
        Matcher r = RATIO.matcher(prompt);
        while (r.find()) {
            ratio = r.group(1);
        }
        if (ratio == null && AUTO.matcher(lower).find()) {
            ratio = "auto";
        }
        int quality = 0;
        Matcher q = QUALITY.matcher(prompt);
        while (q.find()) {
            quality = Integer.parseInt(q.group(1));
        }
        Long seed = null;
        Matcher sd = SEED.matcher(prompt);
        while (sd.find()) {
            seed = Long.parseLong(sd.group(1));
        }
        String camera = null;
        int at = -1;
        for (Map.Entry<String, String> e : CAMERA.entrySet()) {
            int i = lower.lastIndexOf(e.getKey());
            if (i > at) {
                at = i;
                camera = e.getValue();
            }
        }
        if (camera == null && lower.contains("static camera")) {
            camera = "static";
        }
        String style = null;
        for (String st : STYLES) {
            if (Pattern.compile("\\b" + st + "\\b").matcher(lower).find()) {
                style = st;
            }
        }
        return new Asked(ratio, quality, seconds, seed, camera, style);
    }

    /**
     * The frame size: the short side is the quality asked, else the configured frame's; the shape is the ratio
     * asked (the image's own for "auto"), else the configured frame's. Even sides, the long one at most
     * {@value #MAX_SIDE}.
     *
     * @param image the uploaded image's width and height, or null when unknown
     */
    int[] size(int width, int height, int[] image) {
        if (ratio == null && quality == 0) {
            return new int[] {width, height};
        }
        int shortSide = quality > 0 ? quality : Math.min(width, height);
        double wide; // width / height
        if (ratio == null) {
            wide = (double) width / height;
        } else {
            wide = switch (ratio) {
                case "16:9" -> 16.0 / 9;
                case "9:16" -> 9.0 / 16;
                case "1:1" -> 1.0;
                default -> image != null && image[0] > 0 && image[1] > 0 ? (double) image[0] / image[1]
                        : (double) width / height;
            };
        }
        int w;
        int h;
        if (wide >= 1) {
            h = shortSide;
            w = (int) Math.round(shortSide * wide);
        } else {
            w = shortSide;
            h = (int) Math.round(shortSide / wide);
        }
        if (Math.max(w, h) > MAX_SIDE) {
            double f = (double) MAX_SIDE / Math.max(w, h);
            w = (int) Math.round(w * f);
            h = (int) Math.round(h * f);
        }
        return new int[] {even(w), even(h)};
    }

    private static int even(int v) {
        return Math.max(16, v - (v % 2));
    }

    /** " (9:16, 8s, 1080p, zoom in, anime, seed 42)": what was asked, for the clip's name; "" when nothing. */
    String shown() {
        List<String> parts = new ArrayList<>();
        if (ratio != null) {
            parts.add(ratio);
        }
        if (ratio != null || quality > 0) {
            parts.add(seconds + "s");
        }
        if (quality > 0) {
            parts.add(quality + "p");
        }
        if (camera != null) {
            parts.add(camera);
        }
        if (style != null) {
            parts.add(style);
        }
        if (seed != null) {
            parts.add("seed " + seed);
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    /** Writes what was asked, and the frame size it gives, into a video clip's metadata {@code m}. */
    void into(ObjectNode m, int[] size) {
        if (ratio != null) {
            m.put("aspect_ratio", ratio);
        }
        if (quality > 0) {
            m.put("quality", quality + "p");
        }
        if (seed != null) {
            m.put("seed", seed);
        }
        if (camera != null) {
            m.put("camera", camera);
        }
        if (style != null) {
            m.put("style", style);
        }
        m.put("width", size[0]);
        m.put("height", size[1]);
    }

    /** The frame size a draft's first video clip carries ({@link #into}), or null when none (or not usable). */
    static int[] sizeOf(JsonNode draft) {
        for (JsonNode track : draft.path("t")) {
            if (track.path("tt").asInt(-1) == 0) {
                JsonNode m = track.path("sg").path(0).path("m");
                int w = m.path("width").asInt(0);
                int h = m.path("height").asInt(0);
                if (w >= 16 && h >= 16 && w <= MAX_SIDE && h <= MAX_SIDE && w % 2 == 0 && h % 2 == 0) {
                    return new int[] {w, h};
                }
                return null;
            }
        }
        return null;
    }
}
