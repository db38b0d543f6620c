package dev.nemobot.core.backend;

import dev.nemobot.config.Secret;
import dev.nemobot.core.work.Cancellation;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;

/**
 * NemoVideo's backend, every call of its contract ({@code shared/docs/nemovideo-api.md}). Implementations add the
 * bearer token and the three attribution headers to every request, and turn every failure into a
 * {@link NemoException}. Calls block the calling thread (meant for virtual threads); implementations are
 * thread-safe and do not limit how many calls run at once.
 */
public interface NemoBackend {

    /** {@code POST /api/auth/anonymous-token} with {@code X-Client-Id}. */
    TokenGrant anonymousToken(String clientId);

    /** {@code POST /api/tasks/me/with-session/nemo_agent} in {@code language} (e.g. "en", "zh"). */
    SessionInfo createSession(Secret token, String language);

    /** Multipart upload of one file, streamed. */
    UploadResult upload(Secret token, String sessionId, String fileName, String contentType, Path file);

    /** Multipart upload of one file, streamed from {@code in} (not closed here); {@code size} -1 when unknown. */
    UploadResult upload(Secret token, String sessionId, String fileName, String contentType, InputStream in, long size);

    /** The URL form of upload: the backend fetches {@code url} itself. */
    UploadResult uploadUrl(Secret token, String sessionId, URI url);

    /** {@code GET /api/credits/balance/simple}. */
    Credits credits(Secret token);

    /** {@code GET /api/state/nemo_agent/me/<sid>/latest}, decoded (leniently: a strange draft is not a failure). */
    SessionState state(Secret token, String sessionId);

    /**
     * Sends one message with {@code /run_sse} and streams its events to {@code listener} until the turn ends.
     * Reconnects a dropped stream with {@code Last-Event-ID} (at least 2 s apart, 3 tries). An error answer, or a
     * request that provably never reached the server, is thrown; a request that got no answer after it may have
     * reached the server ends {@link TurnEnd#STREAM_LOST} (it is never sent twice). Error events inside the stream go
     * to the listener.
     */
    TurnEnd runTurn(Secret token, String sessionId, String text, TurnListener listener, Cancellation cancellation);

    /**
     * {@code POST /api/render/proxy/lambda} with {@code id} (e.g. {@code render_<ts>}) and {@code draft} as the state
     * call gave it.
     */
    RenderJob submitRender(Secret token, String sessionId, String id, Draft draft);

    /** {@code GET /api/render/proxy/lambda/<id>}. */
    RenderJob renderStatus(Secret token, String id);

    /**
     * Streams the finished MP4 to {@code target}: from {@code job.outputUrl()} (without our token when it is on
     * another host), else from {@code /api/render/proxy/<id>/download}; not when it is larger than {@code maxBytes}
     * (the largest file the chats it is for take): an answer that announces more is not read at all, one that
     * announces no size is read no further than {@code maxBytes}.
     *
     * @return the number of bytes written
     * @throws dev.nemobot.core.backend.VideoTooLarge   when the video is larger than {@code maxBytes} (nothing is
     *                                                  left at target; its link may be sent instead)
     * @throws dev.nemobot.core.backend.DownloadRefused when the answer points where videos may not come from, or what
     *                                                  came is not an MP4/MOV (nothing is left at target)
     */
    long download(Secret token, RenderJob job, Path target, long maxBytes);
}
