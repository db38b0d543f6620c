package dev.nemobot.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jcodec.common.Codec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

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

    /** Run with -Dsim.measure=true to time the demo size (640x360, 5 s, 24 fps). */
    @Test
    @EnabledIfSystemProperty(named = "sim.measure", matches = "true")
    void measureDefaults() throws Exception {
        SimulatorConfig d = SimulatorConfig.defaults();
        byte[] png = SimClient.png(1280, 720);
        for (int i = 0; i < 2; i++) {
            long t0 = System.nanoTime();
            byte[] mp4 = VideoMaker.encode(VideoMaker.decode(png), "x", d.videoWidth(), d.videoHeight(),
                    d.videoSeconds(), d.videoFps());
            System.out.println("encode 640x360 5 s 24 fps: " + (System.nanoTime() - t0) / 1_000_000 + " ms, "
                    + mp4.length + " bytes");
        }
    }
}
