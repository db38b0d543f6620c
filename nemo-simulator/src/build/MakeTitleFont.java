import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;

/**
 * Makes nemo-simulator's title font, src/main/resources/dev/nemobot/simulator/title-font.txt.gz: 1-bit glyphs,
 * 32 pixels high, that VideoMaker draws when the JVM has no usable font system (a headless JRE with no fonts). Not
 * part of the build; run it again after adding languages to the agent's lines:
 *
 *   java nemo-simulator/src/build/MakeTitleFont.java DejaVuSans-Bold.ttf DroidSansFallbackFull.ttf NanumGothicBold.ttf
 *
 * from the repository's root (Debian: fonts-dejavu-core, fonts-droid-fallback, fonts-nanum; on a machine with fonts). The glyphs:
 * Latin (ASCII, Latin-1, Latin Extended-A), Greek, Cyrillic, general punctuation, kana, CJK punctuation, full-width
 * forms, and every other character of the simulated agent's lines (agent*.properties: the video titles in ten
 * languages) from the second font, Hangul from the third. DejaVu fonts: Bitstream Vera licence; Droid Sans Fallback:
 * Apache License 2.0; Nanum Gothic: SIL Open Font License 1.1.
 */
public class MakeTitleFont {
    static final int HEIGHT = 32;
    static final int BASELINE = 25;
    static final float SIZE = 24f;

    public static void main(String[] args) throws Exception {
        Font latin = Font.createFont(Font.TRUETYPE_FONT, new File(args[0])).deriveFont(SIZE);
        Font cjk = Font.createFont(Font.TRUETYPE_FONT, new File(args[1])).deriveFont(Font.BOLD, SIZE);
        Font hangul = Font.createFont(Font.TRUETYPE_FONT, new File(args[2])).deriveFont(SIZE);
        TreeSet<Integer> cps = new TreeSet<>();
        range(cps, 0x20, 0x7E);
        range(cps, 0xA0, 0x17F);
        range(cps, 0x370, 0x3FF);
        range(cps, 0x400, 0x4FF);
        range(cps, 0x2010, 0x2027);
        range(cps, 0x2030, 0x203A);
        range(cps, 0x3000, 0x30FF);
        range(cps, 0xFF01, 0xFF5E);
        Path res = Path.of("nemo-simulator/src/main/resources/dev/nemobot/simulator");
        try (var files = Files.list(res)) {
            for (Path p : files.filter(f -> f.getFileName().toString().matches("agent.*\\.properties")).toList()) {
                // properties files here are UTF-8 (Java 9+ reads them so)
                Files.readString(p, StandardCharsets.UTF_8).codePoints().filter(c -> c >= 0x20).forEach(cps::add);
            }
        }
        Path out = res.resolve("title-font.txt.gz");
        int written = 0;
        try (Writer w = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(out)), StandardCharsets.UTF_8)) {
            w.write("# nemo-simulator title font: made by nemo-simulator/src/build/MakeTitleFont.java\n");
            w.write("# from DejaVu Sans Bold (Bitstream Vera licence), Droid Sans Fallback (Apache License 2.0) and Nanum "
                    + "Gothic Bold (SIL Open Font License 1.1)\n");
            w.write("# height " + HEIGHT + " baseline " + BASELINE + "; each line: codepoint (hex) advance rows (hex, "
                    + "each row ceil(advance/8) bytes, most significant bit leftmost)\n");
            for (int cp : cps) {
                boolean korean = Character.UnicodeScript.of(cp) == Character.UnicodeScript.HANGUL;
                Font f = latin.canDisplay(cp) ? latin : korean && hangul.canDisplay(cp) ? hangul
                        : cjk.canDisplay(cp) ? cjk : hangul.canDisplay(cp) ? hangul : null;
                if (f == null || Character.isISOControl(cp)) {
                    continue;
                }
                String s = new String(Character.toChars(cp));
                BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
                FontMetrics fm = probe.createGraphics().getFontMetrics(f);
                int advance = Math.max(1, Math.min(48, fm.stringWidth(s)));
                BufferedImage img = new BufferedImage(advance, HEIGHT, BufferedImage.TYPE_INT_ARGB);
                Graphics2D g = img.createGraphics();
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g.setColor(Color.WHITE);
                g.setFont(f);
                g.drawString(s, 0, BASELINE);
                g.dispose();
                StringBuilder hex = new StringBuilder();
                int bytesPerRow = (advance + 7) / 8;
                for (int y = 0; y < HEIGHT; y++) {
                    for (int b = 0; b < bytesPerRow; b++) {
                        int v = 0;
                        for (int bit = 0; bit < 8; bit++) {
                            int x = b * 8 + bit;
                            if (x < advance && (img.getRGB(x, y) >>> 24) >= 110) {
                                v |= 0x80 >> bit;
                            }
                        }
                        hex.append(String.format("%02x", v));
                    }
                }
                w.write(Integer.toHexString(cp) + " " + advance + " " + hex + "\n");
                written++;
            }
        }
        System.out.println(written + " glyphs -> " + out + " (" + Files.size(out) + " bytes)");
    }

    static void range(TreeSet<Integer> s, int from, int to) {
        for (int c = from; c <= to; c++) {
            s.add(c);
        }
    }
}
