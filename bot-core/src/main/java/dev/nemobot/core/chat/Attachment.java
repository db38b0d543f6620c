package dev.nemobot.core.chat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A file a user sent. The bytes are read only when the engine decides to upload them, through {@link #source()};
 * the platform checks what it can (size, declared type) before building one.
 *
 * @param name        a file name, sanitised by the adapter (no path)
 * @param contentType the declared MIME type, or {@code application/octet-stream} when unknown
 * @param size        the size in bytes as the platform declared it, or -1 when unknown
 * @param source      opens the bytes; each call opens a fresh stream the caller must close
 * @param unnamedPhoto a photo the user gave no file name (Telegram's photos): {@code name} is one the adapter made
 *                     up, so users are told "your photo", never the name
 */
public record Attachment(String name, String contentType, long size, Source source, boolean unnamedPhoto) {
    /**
     * The largest file the bot takes: 20 MB (20 × 1024 × 1024 bytes), the backend's upload limit (as the simulator
     * counts) and also what the public Telegram Bot API lets a bot download. The one copy: the engine's checks and
     * every adapter's own early refusal and capped download use it.
     */
    public static final long MAX_BYTES = 20L * 1024 * 1024;

    public Attachment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        contentType = contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType;
    }

    /** A file with the name the user gave it. */
    public Attachment(String name, String contentType, long size, Source source) {
        this(name, contentType, size, source, false);
    }

    /** A photo without a file name of its own: {@code name} is only what it is uploaded under. */
    public static Attachment unnamedPhoto(String name, String contentType, long size, Source source) {
        return new Attachment(name, contentType, size, source, true);
    }

    /** Opens the attachment's bytes (a download, for a platform). Never exposes the URL it reads from. */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }
}
