package dev.nemobot.simulator;

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
import java.util.LinkedHashMap;
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
 * Makes the rendered MP4: a slow zoom and pan (Ken Burns) over the uploaded image, H.264 in MP4 via jcodec.
 * Results are cached per (image hash, size, length, fps), at most {@value #CACHE_SIZE}. Thread-safe.
 */
final class VideoMaker {
    static final int CACHE_SIZE = 16;
    /** Bigger images are not decoded (a decompression bomb would cost gigabytes). */
    static final long MAX_PIXELS = 40_000_000L;

    record Key(String hash, int width, int height, int seconds, int fps) {
    }

    private final Executor encoder;
    private final Map<Key, CompletableFuture<byte[]>> cache = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, CompletableFuture<byte[]>> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    VideoMaker(Executor encoder) {
        this.encoder = encoder;
    }

    /** The MP4 for {@code image} (null: a gradient with {@code caption}), encoded once and cached. */
    CompletableFuture<byte[]> video(byte[] image, String caption, int width, int height, int seconds, int fps) {
        String hash = image != null ? sha256(image) : "text:" + sha256(caption.getBytes(StandardCharsets.UTF_8));
        Key key = new Key(hash, width, height, seconds, fps);
        synchronized (cache) {
            CompletableFuture<byte[]> f = cache.get(key);
            if (f == null || f.isCompletedExceptionally()) {
                f = CompletableFuture.supplyAsync(() -> {
                    try {
                        return encode(decode(image), caption, width, height, seconds, fps);
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

    static byte[] encode(BufferedImage source, String caption, int width, int height, int seconds, int fps)
            throws IOException {
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
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g.setColor(Color.WHITE);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, th / 10)));
                String text = caption == null || caption.isBlank() ? "nemo-simulator" : caption.strip();
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
