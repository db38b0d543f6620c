package dev.nemobot.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jcodec.api.FrameGrab;
import org.jcodec.common.Codec;
import org.jcodec.common.io.ByteBufferSeekableByteChannel;
import org.jcodec.common.model.Picture;
import org.jcodec.scale.AWTUtil;
import org.junit.jupiter.api.Test;

class VideoMakerTest {

    @Test
    void theFastConfigMakesARealH264Clip() throws Exception {
        byte[] mp4 = VideoMaker.encode(VideoMaker.decode(SimClient.png(400, 300)), "x", 160, 90, 2, 8);
        Mp4Check check = Mp4Check.of(mp4);
        assertThat(check.codec()).isEqualTo(Codec.H264);
        assertThat(check.frames()).isEqualTo(16);
        assertThat(check.width()).isEqualTo(160);
        assertThat(check.height()).isEqualTo(90);
    }

    @Test
    void undecodableImageFallsBackToAGradientWithThePrompt() throws Exception {
        assertThat(VideoMaker.decode("RIFF\0\0\0\0WEBPVP8 junk".getBytes())).isNull();
        assertThat(VideoMaker.decode(null)).isNull();
        byte[] mp4 = VideoMaker.encode(null, "a cat on the moon", 96, 64, 1, 6);
        Mp4Check check = Mp4Check.of(mp4);
        assertThat(check.videoTracks()).isEqualTo(1);
        assertThat(check.width()).isEqualTo(96);
        assertThat(check.height()).isEqualTo(64);
        assertThat(check.seconds()).isCloseTo(1.0, within(0.01));
    }

    @Test
    void videosAreCachedPerImageAndSize() {
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            VideoMaker maker = new VideoMaker(ex);
            byte[] png = SimClient.png(64, 64);
            CompletableFuture<byte[]> a = maker.video(png, "p", 32, 32, 1, 2);
            CompletableFuture<byte[]> b = maker.video(png.clone(), "other prompt", 32, 32, 1, 2);
            CompletableFuture<byte[]> c = maker.video(png, "p", 48, 32, 1, 2);
            assertThat(b).isSameAs(a);
            assertThat(c).isNotSameAs(a);
            assertThat(a.join()).isNotEmpty();
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void theTitleIsDrawnOverTheFirstSecondsOnlyAndTheClipIsSilent() throws Exception {
        BufferedImage grey = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grey.createGraphics();
        g.setColor(new Color(0x808080));
        g.fillRect(0, 0, 400, 300);
        g.dispose();
        byte[] titled = VideoMaker.encode(grey, "x", "Golden Hour Drift", 160, 90, 5, 4);
        byte[] plain = VideoMaker.encode(grey, "x", null, 160, 90, 5, 4);

        Mp4Check check = Mp4Check.of(titled);
        assertThat(check.seconds()).isCloseTo(5.0, within(0.01));
        assertThat(check.frames()).isEqualTo(20);
        assertThat(check.videoTracks()).isEqualTo(1);
        assertThat(check.audioTracks()).isZero(); // silent, as the demo says
        // the title band (lower third) differs at 0 s, and not at 4 s (the title lasts 3 s)
        assertThat(bandDifference(frame(titled, 0), frame(plain, 0))).isGreaterThan(20);
        assertThat(bandDifference(frame(titled, 16), frame(plain, 16))).isLessThan(3);
        assertThat(VideoMaker.titleAlpha(0)).isEqualTo(1f);
        assertThat(VideoMaker.titleAlpha(2.75)).isBetween(0.4f, 0.6f);
        assertThat(VideoMaker.titleAlpha(3.0)).isZero();
    }

    private static BufferedImage frame(byte[] mp4, int n) throws Exception {
        Picture p = FrameGrab.createFrameGrab(ByteBufferSeekableByteChannel.readFromByteBuffer(ByteBuffer.wrap(mp4)))
                .seekToFramePrecise(n).getNativeFrame();
        return AWTUtil.toBufferedImage(p);
    }

    /** Mean absolute difference of the grey level over the lower third's middle rows. */
    private static double bandDifference(BufferedImage a, BufferedImage b) {
        long sum = 0;
        int n = 0;
        for (int y = a.getHeight() * 2 / 3; y < a.getHeight() * 5 / 6; y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                sum += Math.abs((a.getRGB(x, y) & 0xFF) - (b.getRGB(x, y) & 0xFF));
                n++;
            }
        }
        return (double) sum / n;
    }
}
