package dev.nemobot.simulator;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Passes a request body through while keeping its first {@link RecordedRequest#MAX_BODY} bytes for the log. */
final class RecordingInput extends FilterInputStream {
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

    RecordingInput(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0 && kept.size() < RecordedRequest.MAX_BODY) {
            kept.write(b);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            int room = RecordedRequest.MAX_BODY - kept.size();
            if (room > 0) {
                kept.write(b, off, Math.min(room, n));
            }
        }
        return n;
    }

    byte[] kept() {
        return kept.toByteArray();
    }

    /** The whole body, or null when it is longer than {@code max} (the rest is then drained). */
    byte[] readAll(int max) throws IOException {
        byte[] all = readNBytes(max + 1);
        if (all.length > max) {
            transferTo(java.io.OutputStream.nullOutputStream());
            return null;
        }
        return all;
    }
}
