package dev.nemobot.core.testing;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jcodec.api.FrameGrab;
import org.jcodec.common.io.ByteBufferSeekableByteChannel;
import org.jcodec.common.model.Picture;
import org.jcodec.scale.AWTUtil;

/**
 * Tells which picture a video was made of, for tests that send several: solid red, green and blue images, and the
 * colour that dominates the top third of a video's first frame (the simulator's video pans over the image; its title
 * is drawn lower down).
 */
public final class Frames {
    /** The colours of the test images, in the order {@link #png(String)} knows them. */
    public enum Hue { RED, GREEN, BLUE }

    private Frames() {
    }

    /** A small solid PNG of {@code hue}. */
    public static byte[] png(Hue hue) {
        BufferedImage img = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
        int rgb = switch (hue) {
            case RED -> 0xE02020;
            case GREEN -> 0x20C020;
            case BLUE -> 0x2040E0;
        };
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return TestChats.png(img);
    }

    /** The colour of the MP4 {@code file}'s first frame. */
    public static Hue hue(Path file) {
        try {
            return hue(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The colour of the MP4 {@code mp4}'s first frame. */
    public static Hue hue(byte[] mp4) {
        BufferedImage frame;
        try {
            Picture p = FrameGrab.createFrameGrab(ByteBufferSeekableByteChannel.readFromByteBuffer(ByteBuffer.wrap(mp4)))
                    .getNativeFrame();
            frame = AWTUtil.toBufferedImage(p);
        } catch (IOException | org.jcodec.api.JCodecException e) {
            throw new AssertionError("not a readable MP4: " + e);
        }
        long r = 0;
        long g = 0;
        long b = 0;
        for (int y = 0; y < frame.getHeight() / 3; y++) {
            for (int x = 0; x < frame.getWidth(); x++) {
                int rgb = frame.getRGB(x, y);
                r += (rgb >> 16) & 0xFF;
                g += (rgb >> 8) & 0xFF;
                b += rgb & 0xFF;
            }
        }
        return r >= g && r >= b ? Hue.RED : g >= b ? Hue.GREEN : Hue.BLUE;
    }
}
