package dev.nemobot.core.conversation;

import dev.nemobot.core.chat.Attachment;
import dev.nemobot.core.chat.kit.FileType;
import dev.nemobot.core.text.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a user's file before any of it reaches the backend: the declared size before the download starts, then
 * the type by the first bytes (never the name or the declared MIME type), then the real size while it streams.
 * Only {@link FileType#HEAD_BYTES} are held in memory: the rest flows through to the upload as it is read. One
 * place for all of it, so every upload path gets the same rules. Stateless and thread-safe.
 */
final class AttachmentCheck {
    private AttachmentCheck() {
    }

    /** Why a file is not sent; each says what to do instead. */
    public sealed interface Problem {
        /** The text for the user; {@code name} is the file's cleaned name. */
        String text(Messages m, String name);

        /** Over {@link Attachment#MAX_BYTES}, declared or counted while reading. */
        record TooLarge() implements Problem {
            @Override
            public String text(Messages m, String name) {
                return m.fileTooLarge(name);
            }
        }

        /** No bytes at all. */
        record Empty() implements Problem {
            @Override
            public String text(Messages m, String name) {
                return m.fileEmpty(name);
            }
        }

        /** Bytes of a type the backend does not take; {@code looksLike} names it when it is a known one. */
        record NotAccepted(Optional<String> looksLike) implements Problem {
            public NotAccepted {
                Objects.requireNonNull(looksLike, "looksLike");
            }

            @Override
            public String text(Messages m, String name) {
                return m.fileNotAccepted(name, looksLike);
            }
        }

        /** The platform's stream failed, or gave another size than it announced. */
        record Unreadable() implements Problem {
            @Override
            public String text(Messages m, String name) {
                return m.attachmentUnreadable(name);
            }
        }
    }

    /** Thrown out of an upload attempt when the file itself is the problem (not the backend). */
    public static final class Refused extends RuntimeException {
        private final transient Problem problem;

        public Refused(Problem problem) {
            super(problem.getClass().getSimpleName(), null, false, false);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    /** A problem visible before the download: the platform declared a size over the limit. */
    public static Optional<Problem> beforeDownload(Attachment a) {
        return a.size() > Attachment.MAX_BYTES ? Optional.of(new Problem.TooLarge()) : Optional.empty();
    }

    /**
     * Opens {@code a} and reads its first bytes.
     *
     * @return the checked file, whose {@link Checked#stream()} gives every byte (the first ones again); the caller
     *         closes it
     * @throws Refused when the file is too large, empty, of a type not accepted, or cannot be read
     */
    public static Checked open(Attachment a) {
        Optional<Problem> early = beforeDownload(a);
        if (early.isPresent()) {
            throw new Refused(early.get());
        }
        InputStream in;
        try {
            in = a.source().open();
        } catch (IOException | RuntimeException e) {
            throw new Refused(new Problem.Unreadable());
        }
        if (in == null) {
            throw new Refused(new Problem.Unreadable());
        }
        byte[] head = new byte[FileType.HEAD_BYTES];
        int n = 0;
        try {
            for (int r; n < head.length && (r = in.read(head, n, head.length - n)) != -1; ) {
                n += r;
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(in);
            throw new Refused(new Problem.Unreadable());
        }
        if (n == 0) {
            closeQuietly(in);
            throw new Refused(new Problem.Empty());
        }
        Optional<FileType> type = FileType.sniff(head, n);
        if (type.isEmpty()) {
            closeQuietly(in);
            throw new Refused(new Problem.NotAccepted(FileType.describeOther(head, n)));
        }
        if (a.size() >= 0 && n > a.size()) {
            closeQuietly(in);
            throw new Refused(new Problem.Unreadable());
        }
        CheckedStream stream = new CheckedStream(head, n, in, a.size());
        return new Checked(type.get(), type.get().uploadName(a.name()), a.size(), stream);
    }

    /**
     * A file that passed the first checks.
     *
     * @param type   what its bytes are
     * @param name   the cleaned name with the type's extension
     * @param size   the declared size (-1 when unknown); the stream fails rather than give another
     */
    public record Checked(FileType type, String name, long size, CheckedStream stream) implements AutoCloseable {
        public Checked {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(stream, "stream");
        }

        /**
         * What went wrong while the stream was read, if the file was the cause (over the limit, other size than
         * declared, the platform's stream failed). Check it when an upload fails: the backend client reports such
         * a failure as its own.
         */
        public Optional<Problem> problem() {
            return stream.problem();
        }

        @Override
        public void close() {
            closeQuietly(stream);
        }
    }

    /**
     * The whole file: the head read already, then the rest; fails with an {@link IOException} past the limit or
     * the declared size. Not thread-safe (one reader, the upload).
     */
    public static final class CheckedStream extends InputStream {
        private final byte[] head;
        private final int headLength;
        private final InputStream rest;
        private final long declared;
        private int headAt;
        private long count;
        private volatile Problem problem;

        CheckedStream(byte[] head, int headLength, InputStream rest, long declared) {
            this.head = head;
            this.headLength = headLength;
            this.rest = rest;
            this.declared = declared;
        }

        Optional<Problem> problem() {
            return Optional.ofNullable(problem);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n == -1 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (problem != null) {
                throw new IOException("attachment refused");
            }
            if (len == 0) {
                return 0;
            }
            if (headAt < headLength) {
                int n = Math.min(len, headLength - headAt);
                System.arraycopy(head, headAt, b, off, n);
                headAt += n;
                count += n;
                return n;
            }
            int n;
            try {
                n = rest.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                throw fail(new Problem.Unreadable(), "reading the attachment failed");
            }
            if (n == -1) {
                if (declared >= 0 && count != declared) {
                    throw fail(new Problem.Unreadable(), "attachment shorter than declared");
                }
                return -1;
            }
            count += n;
            if (count > Attachment.MAX_BYTES) {
                throw fail(new Problem.TooLarge(), "attachment over the limit");
            }
            if (declared >= 0 && count > declared) {
                throw fail(new Problem.Unreadable(), "attachment longer than declared");
            }
            return n;
        }

        private IOException fail(Problem p, String message) {
            problem = p;
            return new IOException(message);
        }

        @Override
        public void close() throws IOException {
            rest.close();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // the platform's stream failing to close changes nothing for the user
        }
    }
}
