package dev.nemobot.simulator;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.jcodec.api.awt.AWTSequenceEncoder;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.io.SeekableByteChannel;
import org.jcodec.common.model.Rational;

/**
 * Makes the rendered MP4: a slow zoom and pan (Ken Burns) over the uploaded image with the draft's title drawn over
 * its first {@value #TITLE_SECONDS} seconds (fading out), H.264 in MP4 via jcodec. It is silent: jcodec 0.2.5 can
 * mux only raw PCM audio, which browsers and the chat apps do not play in MP4, so the timeline's music is not heard
 * (the demo says so). Results are cached per (image hash, title, size, length, fps), at most {@value #CACHE_SIZE}.
 * Thread-safe.
 */
final class VideoMaker {
    static final int CACHE_SIZE = 16;
    /** Bigger images are not decoded (a decompression bomb would cost gigabytes). */
    static final long MAX_PIXELS = 40_000_000L;
    /** How long the title shows, as the simulator's title track says (3000 ms); its last half second fades. */
    static final int TITLE_SECONDS = 3;

    record Key(String hash, String title, int width, int height, int seconds, int fps) {
    }

    private final Executor encoder;
    /** Bounded (Caffeine); guarded by itself. */
    private final Map<Key, CompletableFuture<byte[]>> cache = Caffeine.newBuilder().maximumSize(CACHE_SIZE)
            .<Key, CompletableFuture<byte[]>>build().asMap();

    VideoMaker(Executor encoder) {
        this.encoder = encoder;
    }

    /** {@link #video(byte[], String, String, int, int, int, int)} without a title. */
    CompletableFuture<byte[]> video(byte[] image, String caption, int width, int height, int seconds, int fps) {
        return video(image, caption, null, width, height, seconds, fps);
    }

    /**
     * The MP4 for {@code image} (null: a gradient with {@code caption}) with {@code title} (null: none) over its
     * first seconds, encoded once and cached.
     */
    CompletableFuture<byte[]> video(byte[] image, String caption, String title, int width, int height, int seconds,
                                    int fps) {
        String hash = image != null ? sha256(image) : "text:" + sha256(caption.getBytes(StandardCharsets.UTF_8));
        String shown = title == null || title.isBlank() ? null : title.strip();
        Key key = new Key(hash, shown, width, height, seconds, fps);
        synchronized (cache) {
            CompletableFuture<byte[]> f = cache.get(key);
            if (f == null || f.isCompletedExceptionally()) {
                f = CompletableFuture.supplyAsync(() -> {
                    try {
                        return encode(decode(image), caption, shown, width, height, seconds, fps);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, encoder);
                cache.put(key, f);
            }
            return f;
        }
    }

    /** The decoded image, or null when there is none or ImageIO cannot read it (webp, heic, junk). */
    static BufferedImage decode(byte[] image) {
        if (image == null) {
            return null;
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(image))) {
            if (in == null) {
                return null;
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                if ((long) reader.getWidth(0) * reader.getHeight(0) > MAX_PIXELS) {
                    return null;
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The width and height of {@code image} read from its header (nothing decoded), or null when unknown. */
    static int[] imageSize(byte[] image) {
        if (image == null) {
            return null;
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(image))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static byte[] encode(BufferedImage source, String caption, int width, int height, int seconds, int fps)
            throws IOException {
        return encode(source, caption, null, width, height, seconds, fps);
    }

    static byte[] encode(BufferedImage source, String caption, String title, int width, int height, int seconds,
                         int fps) throws IOException {
        BufferedImage src = prepare(source, caption, width, height);
        int frames = seconds * fps;
        Path tmp = Files.createTempFile("nemo-sim-", ".mp4");
        try {
            try (SeekableByteChannel ch = NIOUtils.writableChannel(tmp.toFile())) {
                AWTSequenceEncoder enc = new AWTSequenceEncoder(ch, Rational.R(fps, 1));
                BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
                Graphics2D g = frame.createGraphics();
                try {
                    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                    for (int i = 0; i < frames; i++) {
                        double t = frames == 1 ? 0 : (double) i / (frames - 1);
                        g.drawImage(src, kenBurns(src.getWidth(), src.getHeight(), width, height, t), null);
                        if (title != null) {
                            drawTitle(g, title, width, height, titleAlpha((double) i / fps));
                        }
                        enc.encodeImage(frame);
                    }
                } finally {
                    g.dispose();
                }
                enc.finish();
            }
            return Files.readAllBytes(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The title's opacity at {@code second} of the clip: full, fading over the last half second, then gone. */
    static float titleAlpha(double second) {
        double fadeFrom = TITLE_SECONDS - 0.5;
        if (second < fadeFrom) {
            return 1f;
        }
        return (float) Math.max(0, 1 - (second - fadeFrom) / 0.5);
    }

    /** Whether this JVM draws text with its font system; read once (see {@link #systemFonts()}). */
    private static final class Fonts {
        static final boolean WORK = probe();

        private static boolean probe() {
            if (Boolean.getBoolean("nemo.simulator.bitmapTitles")) {
                return false;
            }
            try {
                BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = img.createGraphics();
                try {
                    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
                    g.getFontMetrics().stringWidth("Ag");
                    g.drawString("Ag", 0, 8);
                } finally {
                    g.dispose();
                }
                return true;
            } catch (VirtualMachineError e) {
                throw e;
            } catch (RuntimeException | Error e) {
                // a headless JRE with no fonts: Debian's openjdk-*-jre-headless without fonts-dejavu says "Please
                // install the openjdk-*-jre package...", others "Fontconfig head is null"
                System.err.println("nemo-simulator: no usable fonts in this JVM (" + e.getMessage()
                        + "); titles are drawn with the simulator's own glyphs");
                return false;
            }
        }
    }

    /**
     * True when AWT can draw text here; false on a JRE with no fonts (then {@link TitleFont} draws the letters). The
     * system property {@code nemo.simulator.bitmapTitles=true} picks the simulator's glyphs anyway.
     */
    static boolean systemFonts() {
        return Fonts.WORK;
    }

    /** {@code title} centred in the lower third on a dark band, shortened with "…" to fit the frame. */
    static void drawTitle(Graphics2D g, String title, int width, int height, float alpha) {
        if (alpha <= 0) {
            return;
        }
        if (!systemFonts()) {
            drawTitleWithGlyphs(g, title, width, height, alpha);
            return;
        }
        java.awt.Composite before = g.getComposite();
        try {
            g.setComposite(java.awt.AlphaComposite.getInstance(java.awt.AlphaComposite.SRC_OVER, alpha));
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(8, height / 9)));
            FontMetrics fm = g.getFontMetrics();
            String text = title;
            while (text.length() > 1 && fm.stringWidth(text + "…") > width * 0.9) {
                text = text.substring(0, text.length() - 1);
            }
            if (!text.equals(title)) {
                text = text.strip() + "…";
            }
            int band = fm.getHeight() + height / 30;
            int top = height * 3 / 4 - band / 2;
            g.setColor(new Color(0, 0, 0, 140));
            g.fillRect(0, top, width, band);
            g.setColor(Color.WHITE);
            g.drawString(text, (width - fm.stringWidth(text)) / 2, top + (band - fm.getHeight()) / 2 + fm.getAscent());
        } finally {
            g.setComposite(before);
        }
    }

    /** {@link #drawTitle} with the simulator's own glyphs, for a JVM without fonts: the same band, size and place. */
    static void drawTitleWithGlyphs(Graphics2D g, String title, int width, int height, float alpha) {
        TitleFont font = TitleFont.get();
        double scale = Math.max(8, height / 9) / (double) TitleFont.SIZE;
        String text = title;
        while (text.length() > 1 && font.width(text + "…") * scale > width * 0.9) {
            text = text.substring(0, text.length() - 1);
        }
        if (!text.equals(title)) {
            text = text.strip() + "…";
        }
        int w = (int) Math.round(font.width(text) * scale);
        int h = (int) Math.round(TitleFont.HEIGHT * scale);
        int band = h + height / 30;
        int top = height * 3 / 4 - band / 2;
        java.awt.Composite before = g.getComposite();
        try {
            g.setComposite(java.awt.AlphaComposite.getInstance(java.awt.AlphaComposite.SRC_OVER, alpha));
            g.setColor(new Color(0, 0, 0, 140));
            g.fillRect(0, top, width, band);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(font.render(text, 0xFFFFFFFF), (width - w) / 2, top + (band - h) / 2, w, h, null);
        } finally {
            g.setComposite(before);
        }
    }

    /** {@code text} centred at the middle of an image {@code tw} wide, {@code th} high, in the simulator's glyphs. */
    private static void drawCaptionWithGlyphs(Graphics2D g, String text, int tw, int th) {
        TitleFont font = TitleFont.get();
        double scale = Math.max(10, th / 10) / (double) TitleFont.SIZE;
        while (text.length() > 4 && font.width(text) * scale > tw * 0.85) {
            text = text.substring(0, text.length() - 2);
        }
        int w = (int) Math.round(font.width(text) * scale);
        int h = (int) Math.round(TitleFont.HEIGHT * scale);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(font.render(text, 0xFFFFFFFF), (tw - w) / 2, (th - h) / 2, w, h, null);
    }

    /**
     * Where the source lies in frame {@code t} (0..1): it covers the frame, zooms from 1.0 to 1.2 and its window
     * drifts from upper left to lower right, with an ease so the motion starts and ends softly.
     */
    static AffineTransform kenBurns(int sw, int sh, int w, int h, double t) {
        double e = t * t * (3 - 2 * t);
        double cover = Math.max((double) w / sw, (double) h / sh);
        double scale = cover * (1.0 + 0.2 * e);
        double spareX = sw * scale - w;
        double spareY = sh * scale - h;
        double x = -spareX * (0.3 + 0.4 * e);
        double y = -spareY * (0.3 + 0.4 * e);
        AffineTransform at = AffineTransform.getTranslateInstance(x, y);
        at.scale(scale, scale);
        return at;
    }

    /** The source scaled down to at most twice the frame (cheap frames), or a gradient with the caption. */
    static BufferedImage prepare(BufferedImage source, String caption, int width, int height) {
        int tw = width * 5 / 4;
        int th = height * 5 / 4;
        if (source == null) {
            BufferedImage img = new BufferedImage(tw, th, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            try {
                g.setPaint(new GradientPaint(0, 0, new Color(0x1E3C72), tw, th, new Color(0xF7797D)));
                g.fillRect(0, 0, tw, th);
                String text = caption == null || caption.isBlank() ? "nemo-simulator" : caption.strip();
                if (!systemFonts()) {
                    drawCaptionWithGlyphs(g, text, tw, th);
                    return img;
                }
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g.setColor(Color.WHITE);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, th / 10)));
                FontMetrics fm = g.getFontMetrics();
                while (text.length() > 4 && fm.stringWidth(text) > tw * 0.85) {
                    text = text.substring(0, text.length() - 2);
                }
                g.drawString(text, (tw - fm.stringWidth(text)) / 2, th / 2 + fm.getAscent() / 3);
            } finally {
                g.dispose();
            }
            return img;
        }
        double factor = Math.min(1.0, Math.max((2.0 * width) / source.getWidth(), (2.0 * height) / source.getHeight()));
        int sw = Math.max(1, (int) Math.round(source.getWidth() * factor));
        int sh = Math.max(1, (int) Math.round(source.getHeight() * factor));
        BufferedImage img = new BufferedImage(sw, sh, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE); // transparent pixels show white, not black
            g.fillRect(0, 0, sw, sh);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(source, 0, 0, sw, sh, null);
        } finally {
            g.dispose();
        }
        return img;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
