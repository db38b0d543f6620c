package dev.nemobot.core.chat.kit;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A download that fails with an {@link IOException} as soon as more than {@code maxBytes} have arrived, whatever the
 * sender declared (a declared size is a word, the bytes are what counts); closing it closes the stream and then its
 * owner (an HTTP response, say). The one capped stream of the project: every adapter's attachment download uses it.
 * Not thread-safe (one reader).
 */
public final class CappedInputStream extends FilterInputStream {
    private final long maxBytes;
    private final AutoCloseable owner;
    private long count;

    /**
     * @param in       the bytes
     * @param maxBytes the most that may be read
     * @param owner    closed after {@code in} when this stream is closed, or null
     */
    public CappedInputStream(InputStream in, long maxBytes, AutoCloseable owner) {
        super(in);
        this.maxBytes = maxBytes;
        this.owner = owner;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    private void counted(int n) throws IOException {
        count += n;
        if (count > maxBytes) {
            throw new IOException("the file is larger than " + maxBytes + " bytes");
        }
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            if (owner != null) {
                try {
                    owner.close();
                } catch (Exception ignored) {
                    // the stream is closed already; nothing else to release
                }
            }
        }
    }
}
