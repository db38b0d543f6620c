package dev.nemobot.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The glyphs the simulator draws titles with on a JVM without fonts (a headless JRE with none installed). */
class TitleFontTest {
    private static final List<String> CATALOGUES = List.of("", "_de", "_es", "_fr", "_ja", "_ko", "_pt", "_ru", "_zh",
            "_zh_TW");

    @Test
    void everyLineOfTheAgentInTheTenLanguagesHasItsGlyphs() throws IOException {
        List<String> titles = new ArrayList<>();
        for (String c : CATALOGUES) {
            Properties p = new Properties();
            try (InputStream in = TitleFont.class.getResourceAsStream("agent" + c + ".properties")) {
                assertThat(in).as("agent" + c + ".properties").isNotNull();
                p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
            // the video titles, and every other line (a title may be taken from the agent's words)
            p.stringPropertyNames().stream().map(p::getProperty).forEach(titles::add);
        }
        assertThat(titles).hasSizeGreaterThanOrEqualTo(80).contains("Golden Hour", "黄金时刻", "黃金時刻");
        TitleFont font = TitleFont.get();
        assertThat(titles).allSatisfy(t -> assertThat(font.covers(t)).as(t).isTrue());
        assertThat(font.covers("… Ünïcödé «ÇÀ» Привет ¿?")).isTrue();
        assertThat(font.covers("\uD83C\uDF05")).as("an emoji: drawn as a box").isFalse();
        assertThat(font.width("\uD83C\uDF05")).isPositive();
    }

    @Test
    void theTitleIsDrawnInItsBandAndShortenedToFitTheFrame() {
        BufferedImage frame = frame(320, 180);
        Graphics2D g = frame.createGraphics();
        VideoMaker.drawTitleWithGlyphs(g, "Golden Hour 黄金时刻", 320, 180, 1f);
        g.dispose();
        // the band is around three quarters down: white letters there, nothing white above it
        assertThat(whitePixels(frame, 0, 320, 120, 150)).isGreaterThan(100);
        assertThat(whitePixels(frame, 0, 320, 0, 110)).isZero();

        BufferedImage wide = frame(320, 180);
        g = wide.createGraphics();
        VideoMaker.drawTitleWithGlyphs(g, "A very long title that could never fit in a frame this narrow", 320, 180,
                1f);
        g.dispose();
        assertThat(whitePixels(wide, 0, 320, 120, 150)).isGreaterThan(100);
        assertThat(whitePixels(wide, 0, 12, 0, 180) + whitePixels(wide, 308, 320, 0, 180))
                .as("shortened with … inside 90 % of the width").isZero();
    }

    @Test
    void aFadedTitleIsDimmer() {
        BufferedImage full = frame(160, 90);
        BufferedImage faded = frame(160, 90);
        Graphics2D g = full.createGraphics();
        VideoMaker.drawTitleWithGlyphs(g, "Hi", 160, 90, 1f);
        g.dispose();
        g = faded.createGraphics();
        VideoMaker.drawTitleWithGlyphs(g, "Hi", 160, 90, 0.3f);
        g.dispose();
        assertThat(whitePixels(full, 0, 160, 0, 90)).isPositive();
        assertThat(whitePixels(faded, 0, 160, 0, 90)).isZero();
    }

    private static BufferedImage frame(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    private static int whitePixels(BufferedImage img, int x0, int x1, int y0, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                Color c = new Color(img.getRGB(x, y));
                if (c.getRed() > 200 && c.getGreen() > 200 && c.getBlue() > 200) {
                    n++;
                }
            }
        }
        return n;
    }
}
