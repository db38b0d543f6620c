package dev.nemobot.core.conversation;

import dev.nemobot.core.chat.kit.FileType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nemobot.core.chat.Attachment;
import dev.nemobot.core.testing.TestChats;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AttachmentCheckTest {
    private static final byte[] PNG = TestChats.pngBytes(64, 48);

    /** An endless stream: a PNG signature, then zeros; counts what was read from it. */
    private static final class Endless extends InputStream {
        final AtomicLong read = new AtomicLong();
        private final byte[] start;

        Endless(byte[] start) {
            this.start = start;
        }

        @Override
        public int read() {
            long i = read.getAndIncrement();
            return i < start.length ? start[(int) i] & 0xFF : 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) {
                b[off + i] = (byte) read();
            }
            return len;
        }
    }

    private static Attachment of(String name, byte[] bytes, long size) {
        return TestChats.bytes(name, "image/jpeg", bytes, size);
    }

    private static AttachmentCheck.Problem refusal(Attachment a) {
        try (AttachmentCheck.Checked c = AttachmentCheck.open(a)) {
            throw new AssertionError("accepted as " + c.type());
        } catch (AttachmentCheck.Refused r) {
            return r.problem();
        }
    }

    @Test
    void theStreamGivesEveryByteTheHeadIncluded() throws IOException {
        try (AttachmentCheck.Checked c = AttachmentCheck.open(of("../x.jpg", PNG, PNG.length))) {
            assertThat(c.type()).isEqualTo(FileType.PNG);
            assertThat(c.name()).isEqualTo("x.png");
            assertThat(c.size()).isEqualTo(PNG.length);
            assertThat(c.stream().readAllBytes()).isEqualTo(PNG);
            assertThat(c.problem()).isEmpty();
        }
    }

    @Test
    void aLyingNameOrMimeTypeChangesNothing() {
        byte[] pdf = "%PDF-1.4\n%âãÏÓ\n1 0 obj".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(refusal(of("photo.jpg", pdf, pdf.length)))
                .isEqualTo(new AttachmentCheck.Problem.NotAccepted(java.util.Optional.of("PDF")));
        byte[] html = "<!doctype html><html><script>alert(1)</script>".getBytes(StandardCharsets.US_ASCII);
        assertThat(refusal(of("photo.png", html, html.length)))
                .isEqualTo(new AttachmentCheck.Problem.NotAccepted(java.util.Optional.of("HTML")));
        assertThat(refusal(of("photo.png", new byte[0], 0))).isInstanceOf(AttachmentCheck.Problem.Empty.class);
        assertThat(refusal(of("photo.png", new byte[0], -1))).isInstanceOf(AttachmentCheck.Problem.Empty.class);
    }

    @Test
    void aDeclaredSizeOverTheLimitIsRefusedWithoutOpeningTheFile() {
        AtomicInteger opened = new AtomicInteger();
        Attachment big = new Attachment("big.png", "image/png", Attachment.MAX_BYTES + 1, () -> {
            opened.incrementAndGet();
            return new ByteArrayInputStream(PNG);
        });
        assertThat(AttachmentCheck.beforeDownload(big)).contains(new AttachmentCheck.Problem.TooLarge());
        assertThat(refusal(big)).isInstanceOf(AttachmentCheck.Problem.TooLarge.class);
        assertThat(opened).hasValue(0);
        assertThat(AttachmentCheck.beforeDownload(of("ok.png", PNG, Attachment.MAX_BYTES))).isEmpty();
    }

    @Test
    void anUndeclaredOversizedFileStopsJustPastTheLimit() throws IOException {
        Endless endless = new Endless(PNG);
        Attachment a = new Attachment("huge.png", "image/png", -1, () -> endless);
        try (AttachmentCheck.Checked c = AttachmentCheck.open(a)) {
            assertThat(c.type()).isEqualTo(FileType.PNG);
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            IOException failure = null;
            try {
                for (int n; (n = c.stream().read(buf)) != -1; ) {
                    total += n;
                }
            } catch (IOException e) {
                failure = e;
            }
            assertThat(failure).isNotNull();
            assertThat(c.problem()).contains(new AttachmentCheck.Problem.TooLarge());
            assertThat(total).isLessThanOrEqualTo(Attachment.MAX_BYTES);
            assertThat(endless.read.get()).as("read no further than one chunk past the limit")
                    .isLessThanOrEqualTo(Attachment.MAX_BYTES + buf.length);
            assertThatThrownBy(() -> c.stream().read()).as("stays failed").isInstanceOf(IOException.class);
        }
    }

    @Test
    void aStreamShorterOrLongerThanDeclaredIsUnreadable() throws IOException {
        try (AttachmentCheck.Checked c = AttachmentCheck.open(of("a.png", PNG, PNG.length + 10))) {
            assertThatThrownBy(() -> c.stream().readAllBytes()).isInstanceOf(IOException.class);
            assertThat(c.problem()).contains(new AttachmentCheck.Problem.Unreadable());
        }
        try (AttachmentCheck.Checked c = AttachmentCheck.open(of("a.png", PNG, PNG.length - 10))) {
            assertThatThrownBy(() -> c.stream().readAllBytes()).isInstanceOf(IOException.class);
            assertThat(c.problem()).contains(new AttachmentCheck.Problem.Unreadable());
        }
        assertThat(refusal(of("a.png", PNG, 3))).as("more in the head than declared")
                .isInstanceOf(AttachmentCheck.Problem.Unreadable.class);
    }

    @Test
    void aPlatformStreamThatFailsIsUnreadable() throws IOException {
        assertThat(refusal(new Attachment("a.png", "image/png", -1, () -> {
            throw new IOException("download failed");
        }))).isInstanceOf(AttachmentCheck.Problem.Unreadable.class);
        assertThat(refusal(new Attachment("a.png", "image/png", -1, () -> {
            throw new IllegalStateException("platform bug");
        }))).isInstanceOf(AttachmentCheck.Problem.Unreadable.class);
        assertThat(refusal(new Attachment("a.png", "image/png", -1, () -> null)))
                .isInstanceOf(AttachmentCheck.Problem.Unreadable.class);

        // fails after the head: found while uploading
        InputStream breaking = new InputStream() {
            int i;

            @Override
            public int read() throws IOException {
                if (i >= 2000) {
                    throw new IOException("connection reset");
                }
                return i < PNG.length ? PNG[i++] & 0xFF : (i++ & 0);
            }
        };
        try (AttachmentCheck.Checked c = AttachmentCheck.open(new Attachment("a.png", "image/png", -1, () -> breaking))) {
            assertThatThrownBy(() -> c.stream().readAllBytes()).isInstanceOf(IOException.class);
            assertThat(c.problem()).contains(new AttachmentCheck.Problem.Unreadable());
        }
    }

    @Test
    void closingTheCheckedFileClosesThePlatformStream() {
        AtomicInteger closed = new AtomicInteger();
        Attachment a = new Attachment("a.png", "image/png", PNG.length, () -> new ByteArrayInputStream(PNG) {
            @Override
            public void close() {
                closed.incrementAndGet();
            }
        });
        AttachmentCheck.open(a).close();
        assertThat(closed).hasValue(1);
        byte[] pdf = "%PDF-1.4".getBytes(StandardCharsets.US_ASCII);
        Attachment refused = new Attachment("a.png", "image/png", pdf.length, () -> new ByteArrayInputStream(pdf) {
            @Override
            public void close() {
                closed.incrementAndGet();
            }
        });
        assertThatThrownBy(() -> AttachmentCheck.open(refused)).isInstanceOf(AttachmentCheck.Refused.class);
        assertThat(closed).as("a refused file's stream is closed too").hasValue(2);
    }
}
