package dev.nemobot.core.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import okhttp3.internal.http2.ErrorCode;
import okhttp3.internal.http2.StreamResetException;
import org.junit.jupiter.api.Test;

/** Which failures say that the server did not process the request (the wire itself: NemoClientRefusedStreamTest). */
class StaleConnectionsTest {
    @Test
    void aStreamTheServerRefusedWasNotProcessedAnyOtherResetMayHaveBeen() {
        assertThat(StaleConnections.refusedUnprocessed(new StreamResetException(ErrorCode.REFUSED_STREAM))).isTrue();
        assertThat(StaleConnections.refusedUnprocessed(new StreamResetException(ErrorCode.CANCEL))).isFalse();
        assertThat(StaleConnections.refusedUnprocessed(new IOException("Connection reset"))).isFalse();
    }

    @Test
    void aBodyWriteThatFailedAsTheServerRefusedTheStreamWasNotProcessed() {
        // OkHttp throws the body write's failure with the answer's, the refusal, suppressed
        IOException write = new IOException("stream closed");
        write.addSuppressed(new StreamResetException(ErrorCode.REFUSED_STREAM));
        assertThat(StaleConnections.refusedUnprocessed(write)).isTrue();
        assertThat(new NemoException.Network("upload: connection failed", write).unprocessed()).isTrue();
    }

    @Test
    void anEarlierAttemptsRefusalSaysNothingOfTheLastOne() {
        IOException last = new StreamResetException(ErrorCode.INTERNAL_ERROR);
        last.addSuppressed(new NemoHttp.EarlierAttempt(1, new StreamResetException(ErrorCode.REFUSED_STREAM)));
        assertThat(StaleConnections.refusedUnprocessed(last)).isFalse();
        assertThat(new NemoException.Network("run_sse: connection failed", last).unprocessed()).isFalse();
        assertThat(new NemoException.Network("no cause", null).unprocessed()).isFalse();
    }
}
