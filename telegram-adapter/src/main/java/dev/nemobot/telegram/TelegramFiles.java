package dev.nemobot.telegram;

import dev.nemobot.config.Secret;
import dev.nemobot.core.chat.Attachment;
import dev.nemobot.core.chat.kit.CappedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.methods.GetFile;
import org.telegram.telegrambots.meta.api.objects.File;

/**
 * Opens the bytes of a file a user sent: {@code getFile}, then a download from the configured Bot API server
 * (TelegramBots' own {@code File#getFileUrl} is fixed to api.telegram.org). The download URL holds the bot token: it
 * is built here, used once and never logged, put in an exception text, or handed to anyone.
 *
 * <p>A self-hosted server started with {@code --local} answers an absolute path on its own disk instead. Such a path
 * is read only when, links resolved, it names a regular file under the configured directory (the server's working
 * directory, {@code TELEGRAM_LOCAL_FILES_DIR}); anything else (no directory configured, a path outside it, a link or
 * {@code ..} leading out of it, the public API naming a local file) is refused with one WARN line and not read. Those
 * paths hold the bot token (the server keeps each bot's files in a folder named by it): no line or exception text
 * repeats them. Thread-safe.
 */
final class TelegramFiles {
    private static final Logger log = LoggerFactory.getLogger(TelegramFiles.class);

    private final BotApi api;
    private final OkHttpClient http;
    private final HttpUrl apiUrl;
    private final Secret token;
    private final boolean selfHosted;
    private final Optional<Path> localDir;

    /**
     * @param selfHosted whether the server is a self-hosted one (the public API never names local files)
     * @param localDir   the only directory an absolute file_path may be read from; empty, none is read
     */
    TelegramFiles(BotApi api, OkHttpClient http, HttpUrl apiUrl, Secret token, boolean selfHosted,
                  Optional<Path> localDir) {
        this.api = api;
        this.http = http;
        this.apiUrl = apiUrl;
        this.token = token;
        this.selfHosted = selfHosted;
        this.localDir = Objects.requireNonNull(localDir, "localDir");
    }

    /**
     * Opens file {@code fileId}. The stream fails if the file turns out larger than {@link Attachment#MAX_BYTES} (what the public Bot API lets a bot download).
     *
     * @throws IOException if Telegram will not give the file or the download fails; the message never holds a URL
     */
    InputStream open(String fileId) throws IOException {
        File file;
        try {
            file = api.call(GetFile.builder().fileId(fileId).build());
        } catch (BotApiException e) {
            throw new IOException("getFile failed: " + e.getMessage());
        }
        if (file.getFileSize() != null && file.getFileSize() > Attachment.MAX_BYTES) {
            throw new IOException("the file is " + file.getFileSize() + " bytes, over the download limit of " + Attachment.MAX_BYTES + " bytes");
        }
        String path = file.getFilePath();
        if (path == null || path.isBlank()) {
            throw new IOException("getFile gave no file_path");
        }
        if (path.startsWith("/")) {
            return local(path);
        }
        if (Arrays.stream(path.split("/", -1)).anyMatch(s -> s.equals("..") || s.equals("."))) {
            // it would lead the download out of /file/bot<token>/ to another address of the server
            log.warn("telegram: getFile answered a file_path with . or .. in it: refused, not downloaded");
            throw new IOException("refused a file_path with . or ..");
        }
        HttpUrl url = apiUrl.newBuilder().addPathSegment("file").addPathSegment("bot" + token.reveal())
                .addPathSegments(path).build();
        Response response;
        try {
            response = http.newCall(new Request.Builder().url(url).get().build()).execute();
        } catch (IOException e) {
            throw new IOException("downloading the file failed: " + describe(e));
        }
        if (!response.isSuccessful()) {
            int code = response.code();
            response.close();
            throw new IOException("downloading the file failed: HTTP " + code);
        }
        return new CappedInputStream(response.body().byteStream(), Attachment.MAX_BYTES, response);
    }

    /**
     * A file of a --local Bot API server, read only from under {@link #localDir} once links are resolved. The path
     * holds the bot token: it is never logged nor put in an exception text.
     */
    private InputStream local(String given) throws IOException {
        if (!selfHosted) {
            log.warn("telegram: Telegram's public Bot API answered getFile with a local file path: refused, not read");
            throw new IOException("the public Bot API gave a local file path");
        }
        if (localDir.isEmpty()) {
            log.warn("telegram: the Bot API server answered getFile with a local file path (it runs with --local), "
                    + "but TELEGRAM_LOCAL_FILES_DIR is not set: refused, not read; set it to the server's working "
                    + "directory (--dir) to read its files");
            throw new IOException("a local file path, and no TELEGRAM_LOCAL_FILES_DIR");
        }
        Path dir = localDir.get();
        Path root;
        try {
            root = dir.toRealPath();
        } catch (IOException e) {
            log.warn("telegram: TELEGRAM_LOCAL_FILES_DIR ({}) cannot be read here ({}): a local file of the Bot API "
                    + "server was not read; run the bot on the same machine (or volume) as the server", dir,
                    e.getClass().getSimpleName());
            throw new IOException("TELEGRAM_LOCAL_FILES_DIR cannot be read");
        }
        Path real;
        try {
            real = Path.of(given).toRealPath();
        } catch (InvalidPathException | IOException e) {
            // e's message would repeat the path
            log.warn("telegram: the Bot API server named a local file that cannot be reached here ({}): not read; "
                    + "run the bot on the same machine (or volume) as the server", e.getClass().getSimpleName());
            throw new IOException("the local file cannot be reached");
        }
        if (!real.startsWith(root)) {
            log.warn("telegram: the Bot API server named a local file outside TELEGRAM_LOCAL_FILES_DIR ({}) once "
                    + "links and .. are resolved: refused, not read", dir);
            throw new IOException("the local file is outside TELEGRAM_LOCAL_FILES_DIR");
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new IOException("the local file cannot be reached: " + e.getClass().getSimpleName());
        }
        if (!attributes.isRegularFile()) {
            log.warn("telegram: the Bot API server named a local file under TELEGRAM_LOCAL_FILES_DIR that is not a "
                    + "regular file: refused, not read");
            throw new IOException("the local file is not a regular file");
        }
        if (attributes.size() > Attachment.MAX_BYTES) {
            throw new IOException("the file is " + attributes.size() + " bytes, over the limit of "
                    + Attachment.MAX_BYTES + " bytes");
        }
        InputStream in;
        try {
            // the path checked, without following a link put there since
            in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            log.warn("telegram: a local file of the Bot API server is not readable by the bot ({})",
                    e.getClass().getSimpleName());
            throw new IOException("the local file is not readable");
        }
        return new CappedInputStream(in, Attachment.MAX_BYTES, null);
    }

    /** An exception's description without anything that could hold the URL. */
    private String describe(IOException e) {
        String message = e.getMessage();
        return token.occursIn(message) || message == null ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + message;
    }
}
