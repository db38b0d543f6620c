package dev.nemobot.simulator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.jcodec.common.Codec;
import org.jcodec.common.DemuxerTrack;
import org.jcodec.common.DemuxerTrackMeta;
import org.jcodec.common.io.ByteBufferSeekableByteChannel;
import org.jcodec.containers.mp4.demuxer.MP4Demuxer;

/** What jcodec's demuxer reads back from an MP4. */
record Mp4Check(int videoTracks, int audioTracks, Codec codec, double seconds, int frames, int width, int height) {
    static Mp4Check of(byte[] mp4) throws IOException {
        try (MP4Demuxer demuxer = MP4Demuxer.createMP4Demuxer(
                ByteBufferSeekableByteChannel.readFromByteBuffer(ByteBuffer.wrap(mp4)))) {
            List<DemuxerTrack> video = demuxer.getVideoTracks();
            DemuxerTrackMeta meta = video.getFirst().getMeta();
            int frames = 0;
            DemuxerTrack track = video.getFirst();
            while (track.nextFrame() != null) {
                frames++;
            }
            return new Mp4Check(video.size(), demuxer.getAudioTracks().size(), meta.getCodec(),
                    meta.getTotalDuration(), frames,
                    meta.getVideoCodecMeta().getSize().getWidth(), meta.getVideoCodecMeta().getSize().getHeight());
        }
    }
}
