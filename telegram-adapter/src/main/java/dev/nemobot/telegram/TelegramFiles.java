package dev.nemobot.telegram;

import dev.nemobot.config.Secret;
import dev.nemobot.core.chat.Attachment;
import dev.nemobot.core.chat.CappedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.telegram.telegrambots.meta.api.methods.GetFile;
import org.telegram.telegrambots.meta.api.objects.File;

/**
 * Opens the bytes of a file a user sent: {@code getFile}, then a download from the configured Bot API server
 * (TelegramBots' own {@code File#getFileUrl} is fixed to api.telegram.org). The download URL holds the bot token: it
 * is built here, used once and never logged, put in an exception text, or handed to anyone. A self-hosted server
 * started with {@code --local} answers an absolute path on its own disk; that file is read directly. Thread-safe.
 */
final class TelegramFiles {
    private final BotApi api;
    private final OkHttpClient http;
    private final HttpUrl apiUrl;
    private final Secret token;
    private final boolean localPaths;

    /** @param localPaths whether an absolute file_path may be read from this machine (never for the public API) */
    TelegramFiles(BotApi api, OkHttpClient http, HttpUrl apiUrl, Secret token, boolean localPaths) {
        this.api = api;
        this.http = http;
        this.apiUrl = apiUrl;
        this.token = token;
        this.localPaths = localPaths;
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
            if (!localPaths) {
                throw new IOException("the public Bot API gave a local file path; refusing to read it");
            }
            return local(Path.of(path));
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

    /** A file of a --local Bot API server: readable only when the bot runs on the same machine. */
    private static InputStream local(Path path) throws IOException {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IOException("the Bot API server runs with --local and its file is not readable here: "
                    + "run the bot on the same machine (or volume) as the server");
        }
        if (Files.size(path) > Attachment.MAX_BYTES) {
            throw new IOException("the file is " + Files.size(path) + " bytes, over the limit of " + Attachment.MAX_BYTES + " bytes");
        }
        return new CappedInputStream(Files.newInputStream(path), Attachment.MAX_BYTES, null);
    }

    /** An exception's description without anything that could hold the URL. */
    private String describe(IOException e) {
        String message = e.getMessage();
        return token.occursIn(message) || message == null ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + message;
    }
}
