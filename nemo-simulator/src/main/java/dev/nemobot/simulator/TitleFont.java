package dev.nemobot.simulator;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The title's letters where the JVM cannot draw text: a headless JRE with no fonts (Debian's
 * {@code openjdk-21-jre-headless} alone) fails in AWT's font system, so {@link VideoMaker} draws titles and captions
 * with these 1-bit glyphs, {@value #HEIGHT} pixels high, set pixel by pixel into an image: no font system, no
 * fontconfig. The glyphs ({@code title-font.txt.gz}, made by {@code nemo-simulator/src/build/MakeTitleFont.java}
 * from DejaVu Sans Bold, Droid Sans Fallback and Nanum Gothic; see {@code title-font.NOTICE}) cover Latin, Greek,
 * Cyrillic, kana, common punctuation and every character of the simulated agent's lines in ten languages (its video
 * titles); any other character is drawn as a hollow box. Immutable, thread-safe.
 */
final class TitleFont {
    static final int HEIGHT = 32;
    /** The glyphs' em size in pixels (what a {@code java.awt.Font} of that size would draw). */
    static final int SIZE = 24;
    private static final String RESOURCE = "title-font.txt.gz";

    private record Glyph(int advance, byte[] rows) {
        boolean on(int x, int y) {
            int bytesPerRow = (advance + 7) / 8;
            return (rows[y * bytesPerRow + x / 8] & (0x80 >> (x % 8))) != 0;
        }
    }

    private static final class Holder {
        static final TitleFont FONT = load();
    }

    private final Map<Integer, Glyph> glyphs;

    private TitleFont(Map<Integer, Glyph> glyphs) {
        this.glyphs = Map.copyOf(glyphs);
    }

    /** The font, read once from the simulator's resources. */
    static TitleFont get() {
        return Holder.FONT;
    }

    private static TitleFont load() {
        Map<Integer, Glyph> glyphs = new HashMap<>();
        try (InputStream raw = TitleFont.class.getResourceAsStream(RESOURCE)) {
            if (raw == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the simulator's resources");
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw),
                    StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(" ");
                int advance = Integer.parseInt(f[1]);
                byte[] rows = HexFormat.of().parseHex(f[2]);
                if (rows.length != HEIGHT * ((advance + 7) / 8)) {
                    throw new IllegalStateException(RESOURCE + ": bad glyph " + f[0]);
                }
                glyphs.put(Integer.parseInt(f[0], 16), new Glyph(advance, rows));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TitleFont(glyphs);
    }

    /** True when every character of {@code text} has its own glyph (else some show as boxes). */
    boolean covers(String text) {
        return text.codePoints().allMatch(glyphs::containsKey);
    }

    /** The width of {@code text} in the glyphs' pixels. */
    int width(String text) {
        return text.codePoints().map(cp -> glyph(cp).advance()).sum();
    }

    /** {@code text} as an image {@link #HEIGHT} pixels high: its letters in {@code argb}, transparent around them. */
    BufferedImage render(String text, int argb) {
        BufferedImage img = new BufferedImage(Math.max(1, width(text)), HEIGHT, BufferedImage.TYPE_INT_ARGB);
        int x = 0;
        for (int cp : text.codePoints().toArray()) {
            Glyph g = glyph(cp);
            for (int y = 0; y < HEIGHT; y++) {
                for (int dx = 0; dx < g.advance(); dx++) {
                    if (g.on(dx, y)) {
                        img.setRGB(x + dx, y, argb);
                    }
                }
            }
            x += g.advance();
        }
        return img;
    }

    private Glyph glyph(int cp) {
        Glyph g = glyphs.get(cp);
        return g != null ? g : BOX;
    }

    /** What a character with no glyph shows: a hollow box. */
    private static final Glyph BOX = box();

    private static Glyph box() {
        int advance = 16;
        byte[] rows = new byte[HEIGHT * 2];
        for (int y = 8; y <= 25; y++) {
            int bits = y == 8 || y == 25 ? 0x3FFC : 0x2004; // columns 2..13
            rows[y * 2] = (byte) (bits >> 8);
            rows[y * 2 + 1] = (byte) bits;
        }
        return new Glyph(advance, rows);
    }
}
