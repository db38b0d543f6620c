package dev.nemobot.core.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import okio.Source;
import okio.Timeout;
import org.junit.jupiter.api.Test;

class SseReaderTest {

    /** What the reader reported, as readable strings. */
    static final class Recorder implements SseReader.Callback {
        final List<String> seen = new ArrayList<>();

        @Override
        public void onEvent(String lastEventId, String type, String data) {
            seen.add("event id=" + lastEventId + " type=" + type + " data=" + data);
        }

        @Override
        public void onComment(String comment) {
            seen.add("comment " + comment);
        }

        @Override
        public void onRetry(long millis) {
            seen.add("retry " + millis);
        }
    }

    private static List<String> read(String stream) throws IOException {
        Recorder r = new Recorder();
        new SseReader(new Buffer().writeUtf8(stream), r).processAll();
        return r.seen;
    }

    /** A source that hands out its bytes in the given pieces, one piece per read, like a network. */
    static Source pieces(byte[] all, int... cuts) {
        return new Source() {
            int pos;
            int next;

            @Override
            public long read(Buffer sink, long byteCount) {
                if (pos >= all.length) {
                    return -1;
                }
                int end = next < cuts.length ? Math.min(cuts[next++], all.length) : all.length;
                if (end <= pos) {
                    end = Math.min(pos + 1, all.length);
                }
                int n = (int) Math.min(byteCount, end - pos);
                sink.write(all, pos, n);
                pos += n;
                return n;
            }

            @Override
            public Timeout timeout() {
                return Timeout.NONE;
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void dataLinesEndAnEventAtTheBlankLine() throws IOException {
        assertThat(read("data: {\"a\":1}\n\n")).containsExactly("event id=null type=null data={\"a\":1}");
    }

    @Test
    void multiLineDataIsJoinedWithLineFeeds() throws IOException {
        assertThat(read("data: one\ndata:two\ndata:  three\n\n"))
                .containsExactly("event id=null type=null data=one\ntwo\n three");
    }

    @Test
    void crLfAndLoneCrEndLinesLikeLf() throws IOException {
        List<String> expected = List.of("event id=7 type=x data=a\nb", "comment ping");
        assertThat(read("id: 7\nevent: x\ndata: a\ndata: b\n\n: ping\n")).isEqualTo(expected);
        assertThat(read("id: 7\r\nevent: x\r\ndata: a\r\ndata: b\r\n\r\n: ping\r\n")).isEqualTo(expected);
        assertThat(read("id: 7\revent: x\rdata: a\rdata: b\r\r: ping\r")).isEqualTo(expected);
        assertThat(read("id: 7\r\nevent: x\rdata: a\ndata: b\r\n\r: ping\n")).isEqualTo(expected);
    }

    @Test
    void idIsKeptAcrossEventsAndUpdatedByEach() throws IOException {
        assertThat(read("id: 1\ndata: a\n\ndata: b\n\nid: 3\ndata: c\n\n")).containsExactly(
                "event id=1 type=null data=a", "event id=1 type=null data=b", "event id=3 type=null data=c");
    }

    @Test
    void eventTypeBelongsToOneBlockOnly() throws IOException {
        assertThat(read("event: heartbeat\n\ndata: x\n\n"))
                .containsExactly("event id=null type=heartbeat data=", "event id=null type=null data=x");
    }

    @Test
    void heartbeatFormsAreReported() throws IOException {
        assertThat(read(": ping\n\ndata:\n\ndata\n\nevent: heartbeat\ndata:\n\n")).containsExactly(
                "comment ping", "event id=null type=null data=", "event id=null type=null data=",
                "event id=null type=heartbeat data=");
    }

    @Test
    void blankLinesAloneAndUnknownFieldsReportNothing() throws IOException {
        assertThat(read("\n\n\nfoo: bar\n\nid: 4\n\n")).isEmpty();
    }

    @Test
    void retryAndByteOrderMarkAreHandled() throws IOException {
        assertThat(read("\uFEFFretry: 2500\nretry: x\ndata: a\n\n"))
                .containsExactly("retry 2500", "event id=null type=null data=a");
    }

    @Test
    void anUnfinishedEventAtTheEndIsDropped() throws IOException {
        assertThat(read("data: a\n\ndata: b\n")).containsExactly("event id=null type=null data=a");
        assertThat(read("data: a\n\ndata: b")).containsExactly("event id=null type=null data=a");
    }

    @Test
    void unicodeSurvivesEverySplit() throws IOException {
        String stream = "id: 1\r\ndata: {\"text\":\"你好 – ok\"}\r\n\r\n";
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        for (int cut = 1; cut < bytes.length; cut++) {
            Recorder r = new Recorder();
            new SseReader(Okio.buffer(pieces(bytes, cut)), r).processAll();
            assertThat(r.seen).as("cut at %d", cut).containsExactly("event id=1 type=null data={\"text\":\"你好 – ok\"}");
        }
    }

    @Test
    void everySplitPositionAndEveryLineEndingGivesTheSameEvents() throws IOException {
        String lf = "id: 1\ndata: {\"a\":\ndata: 2}\n\n: ping\n\nevent: heartbeat\n\ndata:\n\nid: 2\nevent: x\ndata: z\n\n";
        List<String> expected = read(lf);
        assertThat(expected).hasSize(5);
        for (String eol : List.of("\n", "\r\n", "\r")) {
            byte[] bytes = lf.replace("\n", eol).getBytes(StandardCharsets.UTF_8);
            for (int cut = 1; cut < bytes.length; cut++) {
                for (int second = cut + 1; second <= bytes.length; second += 7) {
                    Recorder r = new Recorder();
                    new SseReader(Okio.buffer(pieces(bytes, cut, second)), r).processAll();
                    assertThat(r.seen).as("eol %s cuts %d,%d", eol.replace("\r", "CR").replace("\n", "LF"), cut, second)
                            .isEqualTo(expected);
                }
            }
            Recorder oneByteAtATime = new Recorder();
            int[] everyByte = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                everyByte[i] = i + 1;
            }
            new SseReader(Okio.buffer(pieces(bytes, everyByte)), oneByteAtATime).processAll();
            assertThat(oneByteAtATime.seen).isEqualTo(expected);
        }
    }

    @Test
    void anEventIsReportedWithoutWaitingForTheNextBytes() throws IOException {
        // after "\r\r" the reader must not wait to see whether a "\n" follows before reporting the event
        byte[] first = "data: a\r\r".getBytes(StandardCharsets.UTF_8);
        Source stalling = new Source() {
            boolean given;

            @Override
            public long read(Buffer sink, long byteCount) {
                if (given) {
                    throw new AssertionError("the reader waited for more bytes before reporting the event");
                }
                given = true;
                sink.write(first);
                return first.length;
            }

            @Override
            public Timeout timeout() {
                return Timeout.NONE;
            }

            @Override
            public void close() {
            }
        };
        Recorder r = new Recorder();
        SseReader reader = new SseReader(Okio.buffer(stalling), r);
        assertThat(reader.processNext()).isTrue();
        assertThat(r.seen).containsExactly("event id=null type=null data=a");
    }

    @Test
    void processNextReportsOneThingAtATime() throws IOException {
        Recorder r = new Recorder();
        SseReader reader = new SseReader(new Buffer().writeUtf8(": a\ndata: b\n\n: c\n"), r);
        assertThat(reader.processNext()).isTrue();
        assertThat(r.seen).containsExactly("comment a");
        assertThat(reader.processNext()).isTrue();
        assertThat(reader.processNext()).isTrue();
        assertThat(reader.processNext()).isFalse();
        assertThat(r.seen).containsExactly("comment a", "event id=null type=null data=b", "comment c");
    }

    @Test
    void anEndlessLineIsRefused() {
        BufferedSource huge = new Buffer().writeUtf8("data: ").write(new byte[(int) SseReader.MAX_LINE_BYTES + 10]);
        assertThatThrownBy(() -> new SseReader(huge, new Recorder()).processAll())
                .isInstanceOf(ProtocolException.class);
    }
}
