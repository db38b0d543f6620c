package dev.nemobot.core.backend;

import dev.nemobot.config.Secret;
import dev.nemobot.core.chat.kit.FileType;
import dev.nemobot.core.chat.kit.PrivateFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads a finished video: from the render answer's {@code output.url} when the {@link DownloadGuard} allows its
 * host (our token only ever to our API's own origin), else from {@code /api/render/proxy/<id>/download}; redirects
 * followed by hand, each hop checked; a video larger than the limit is not read (its announced size is over it) or
 * read no further than the limit (it announced none), and is {@link VideoTooLarge}; written to a private
 * {@code .part} file that becomes the target only once it is whole and starts as an MP4 or MOV. Thread-safe.
 */
final class RenderDownloader {
    private static final Logger log = LoggerFactory.getLogger(RenderDownloader.class);

    private static final int MAX_REDIRECTS = 5;

    private final NemoHttp http;
    private final DownloadGuard guard;
    /** The guard's resolver, redirects not followed by OkHttp. */
    private final OkHttpClient downloads;
    private final long maxBytes;

    RenderDownloader(NemoHttp http, List<String> allowedHosts, long maxBytes) {
        this.http = http;
        this.guard = new DownloadGuard(http.base(), allowedHosts, http.dns());
        this.downloads = http.transfer().newBuilder().dns(http.exceptProxies(guard.dns())).followRedirects(false)
                .followSslRedirects(false).build();
        this.maxBytes = maxBytes;
    }

    /** See {@link NemoBackend#download}. */
    long download(Secret token, RenderJob job, Path target, long limit) {
        long max = Math.min(maxBytes, limit);
        NemoException first = null;
        if (job.outputUrl().isPresent()) {
            HttpUrl direct = http.base().resolve(job.outputUrl().get().toString());
            if (direct == null) {
                throw new DownloadRefused("output.url is not an http(s) URL");
            }
            refuseIfNotAllowed(direct);
            try {
                return fetchVideo(direct, token, target, max);
            } catch (NemoException e) {
                log.warn("render {}: output.url failed ({}), trying the download endpoint", job.id(),
                        e.getClass().getSimpleName());
                first = e;
            }
        }
        try {
            return fetchVideo(http.url("api/render/proxy", job.id(), "download"), token, target, max);
        } catch (NemoException e) {
            if (first != null) {
                e.addSuppressed(first);
            }
            throw e;
        }
    }

    private void refuseIfNotAllowed(HttpUrl url) {
        Optional<String> why = guard.refusal(url);
        if (why.isPresent()) {
            throw new DownloadRefused(why.get());
        }
    }

    static boolean sameOrigin(HttpUrl a, HttpUrl b) {
        return a.scheme().equals(b.scheme()) && a.host().equalsIgnoreCase(b.host()) && a.port() == b.port();
    }

    /** GETs the video at {@code url}, following up to {@link #MAX_REDIRECTS} redirects, each checked by the guard. */
    private long fetchVideo(HttpUrl url, Secret token, Path target, long max) {
        for (int hop = 0; ; hop++) {
            // our token goes only to our API's own origin; a CDN or bucket gets a bare GET
            NemoHttp.Auth auth = sameOrigin(url, http.base()) ? NemoHttp.bearer(token) : new NemoHttp.Auth.Nobody();
            Request r = http.request(url, auth).get().build();
            // a foreign URL may carry a signature in its query: the message names the host only
            String what = auth instanceof NemoHttp.Auth.Nobody ? "GET " + url.host() : NemoHttp.what(r);
            Response response;
            Call[] call = new Call[1];
            try {
                response = NemoHttp.send(downloads, r, c -> call[0] = c);
            } catch (IOException e) {
                for (Throwable t = e; t != null; t = t.getCause()) {
                    if (t instanceof DownloadGuard.AddressRefused refused) {
                        throw new DownloadRefused(refused.getMessage());
                    }
                }
                throw http.failures().io(what, e);
            }
            try (response) {
                if (response.isRedirect()) {
                    String location = response.header("Location");
                    HttpUrl next = location == null ? null : url.resolve(location);
                    if (next == null || hop >= MAX_REDIRECTS) {
                        throw http.failure(what, response, next == null ? "a redirect without a usable Location"
                                : "more than " + MAX_REDIRECTS + " redirects");
                    }
                    refuseIfNotAllowed(next);
                    url = next;
                    continue;
                }
                try {
                    return save(response, what, target, max);
                } catch (DownloadRefused | VideoTooLarge e) {
                    // closing an answer read only in part would first read on to keep the connection: drop it now
                    call[0].cancel();
                    throw e;
                }
            }
        }
    }

    private long save(Response response, String what, Path target, long maxBytes) {
        MediaType type = response.body().contentType();
        if (!response.isSuccessful() || NemoHttp.isJson(type)) {
            throw http.failure(what, response, "expected the video, got a JSON answer");
        }
        long announced = response.body().contentLength();
        if (announced > maxBytes) {
            throw new VideoTooLarge(announced, maxBytes); // not read: the chats could not take it
        }
        Path dir = target.toAbsolutePath().getParent();
        Path part = (dir == null ? Path.of(".") : dir).resolve(target.getFileName() + ".part");
        long written = 0;
        boolean moved = false;
        try {
            BufferedSource source = response.body().source();
            Buffer chunk = new Buffer();
            // the first bytes, to tell an MP4 or MOV from anything else before more is written
            Buffer head = new Buffer();
            boolean checked = false;
            Files.deleteIfExists(part);
            try (OutputStream out = Files.newOutputStream(Files.createFile(part, PrivateFiles.ownerOnlyFile(part)))) {
                long n;
                while ((n = readChunk(source, chunk, what)) != -1) {
                    written += n;
                    if (written > maxBytes) {
                        // stop reading: closing the answer unread drops its connection
                        throw new VideoTooLarge(-1, maxBytes);
                    }
                    if (!checked) {
                        chunk.copyTo(head, 0, Math.min(FileType.HEAD_BYTES - head.size(), chunk.size()));
                        if (head.size() >= FileType.HEAD_BYTES) {
                            requireVideo(head);
                            checked = true;
                        }
                    }
                    chunk.writeTo(out);
                }
            }
            if (!checked) {
                requireVideo(head);
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the video to " + target.getFileName(), e);
        } finally {
            if (!moved) {
                deleteQuietly(part);
            }
        }
        return written;
    }

    /** Refuses what does not start as an MP4 or MOV (an ftyp box, or a QuickTime atom). */
    private static void requireVideo(Buffer head) {
        byte[] h = head.snapshot().toByteArray();
        Optional<FileType> type = FileType.sniff(h, h.length);
        if (type.isEmpty() || (type.get() != FileType.MP4 && type.get() != FileType.MOV)) {
            throw new DownloadRefused("the answer is not an MP4 or MOV video ("
                    + type.map(FileType::extension).or(() -> FileType.describeOther(h, h.length))
                    .orElse(h.length == 0 ? "empty" : "unknown bytes") + ")");
        }
    }

    private long readChunk(BufferedSource source, Buffer into, String what) {
        try {
            return source.read(into, 64 * 1024);
        } catch (IOException e) {
            throw http.failures().io(what, e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.debug("could not delete {}", p.getFileName());
        }
    }
}
