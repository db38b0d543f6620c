package dev.nemobot.core.backend;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.internal.http2.ErrorCode;
import okhttp3.internal.http2.StreamResetException;

/**
 * When a failed request may be sent a second time, and the guard that makes that knowable for requests that are not
 * idempotent.
 *
 * <p>A server (or a proxy in front of it) closes a kept-alive connection once it has been idle for a while. OkHttp
 * checks a pooled connection thoroughly only after 10 s of idleness, so a request can go out on a connection the
 * server has already closed; it then fails with "unexpected end of stream". OkHttp sends a GET again by itself, but
 * not our POSTs: their bodies are one-shot on purpose, since a second {@code /run_sse} or upload that the server
 * did receive is a second charge. So:
 * <ul>
 *   <li>{@link Guard}, a network interceptor, runs on the chosen connection just before the request is written.
 *       For a request that is not idempotent on an HTTP/1 connection that has been idle for a while it looks
 *       whether the server has closed the connection (a read that sees the end of the stream at once); if so it
 *       closes the socket and fails with {@link StaleConnectionException} <em>before anything is written</em>.
 *       Otherwise it marks the attempt as sent and lets it go. A connection whose last exchange began less than
 *       {@link #RECENT} ago is not looked at: servers close idle connections after seconds (uvicorn and Node 5 s,
 *       load balancers a minute or more), and the look costs a timed read (at least a millisecond, a poller
 *       registration and an exception) on every request of a busy client.</li>
 *   <li>{@link #mayRetry} allows one more attempt after an I/O failure (never a time-out, never a cancelled call)
 *       when the request is idempotent (GET, HEAD: the contract's reads) or provably never reached the server
 *       (the guard never marked it sent: the connection failed, or the guard found it closed), or the server
 *       refused it unprocessed ({@link #refusedUnprocessed}) and its body can be written again in full
 *       ({@link RequestBodies#canResend}).</li>
 * </ul>
 * A request that was written and then failed is never sent again here, whatever the method, unless the server said
 * it did not process it: the server may have received it. Stateless and thread-safe.
 */
final class StaleConnections {
    /** Thrown by the guard: the pooled connection was closed by the server; the request was not written. */
    static final class StaleConnectionException extends IOException {
        private static final long serialVersionUID = 1L;

        StaleConnectionException() {
            super("the server had closed the idle connection; nothing was sent");
        }
    }

    /** Tag of one attempt: whether its request may have reached the server. */
    static final class Attempt {
        private volatile boolean sent;

        boolean sent() {
            return sent;
        }
    }

    /** A connection used more recently than this is taken to be open still. */
    static final Duration RECENT = Duration.ofSeconds(1);

    private StaleConnections() {
    }

    /** {@code r} with a fresh {@link Attempt} tag: build every attempt's request through here. */
    static Request attempt(Request r) {
        return r.newBuilder().tag(Attempt.class, new Attempt()).build();
    }

    static boolean idempotent(Request r) {
        return r.method().equals("GET") || r.method().equals("HEAD");
    }

    /** Whether {@code failed}, which ended {@code call} with {@code e}, may be sent once more. */
    static boolean mayRetry(Call call, Request failed, IOException e) {
        if (call.isCanceled() || e instanceof InterruptedIOException) {
            return false; // cancelled by us, or out of time: a second try would only wait again
        }
        if (idempotent(failed)) {
            return true;
        }
        // refused unprocessed: sent again when its body can be written again in full
        return !sent(failed) || refusedUnprocessed(e) && RequestBodies.canResend(failed.body());
    }

    /** Whether {@code attempt}, which failed with {@code e}, is known not to have been processed by the server. */
    static boolean unprocessed(Request attempt, IOException e) {
        return !sent(attempt) || refusedUnprocessed(e);
    }

    /**
     * Whether {@code e} is an HTTP/2 server's {@code REFUSED_STREAM}: by the protocol (RFC 9113, 8.7) the request was
     * closed before any processing, so it is safe to send again whatever its method. A server refuses a stream past
     * its limit of streams on one connection (100 to 256 on real servers); OkHttp learns the limit from the server's
     * first SETTINGS frame only, so calls opened at once on a new connection can pass it.
     */
    static boolean refusedUnprocessed(IOException e) {
        if (refused(e)) {
            return true;
        }
        // refused while its body was being written: OkHttp throws the write's failure (at times a bare "stream
        // closed") with the answer's, the refusal, suppressed
        for (Throwable also : e.getSuppressed()) {
            if (refused(also)) {
                return true;
            }
        }
        return false;
    }

    private static boolean refused(Throwable e) {
        return e instanceof StreamResetException reset && reset.errorCode == ErrorCode.REFUSED_STREAM;
    }

    /** Whether {@code attempt} (a request as given to its call) may have reached the server. */
    static boolean sent(Request attempt) {
        Attempt a = attempt.tag(Attempt.class);
        return a == null || a.sent();
    }

    /**
     * The network interceptor: looks at a pooled connection before a request that is not idempotent goes out on it,
     * unless the connection began an exchange within {@code recent}. One per client; thread-safe.
     */
    static final class Guard implements Interceptor {
        private final Clock clock;
        private final long recentMillis;
        /** When each connection last began an exchange (weak keys: a closed connection's entry goes with it). */
        private final Cache<Connection, Long> lastUsed = Caffeine.newBuilder().weakKeys().executor(Runnable::run).build();

        Guard(Clock clock, Duration recent) {
            this.clock = clock;
            this.recentMillis = recent.toMillis();
        }

        @Override
        public Response intercept(Chain chain) throws IOException {
            Request r = chain.request();
            Connection c = chain.connection();
            // an HTTP/2 connection is never looked at (nor its use noted: one entry written by every call at once)
            if (c != null && isHttp1(c.protocol())) {
                long now = clock.millis();
                Long last = lastUsed.getIfPresent(c);
                lastUsed.put(c, now);
                boolean recent = last != null && now - last < recentMillis;
                if (!recent && !idempotent(r) && closedByPeer(c.socket())) {
                    lastUsed.invalidate(c);
                    c.socket().close(); // so the pool never hands it out again
                    throw new StaleConnectionException();
                }
            }
            Attempt a = r.tag(Attempt.class);
            if (a != null) {
                a.sent = true;
            }
            return chain.proceed(r);
        }
    }

    private static boolean isHttp1(Protocol p) {
        return p == Protocol.HTTP_1_1 || p == Protocol.HTTP_1_0;
    }

    /**
     * True when the server has closed {@code socket}: a read returns the end of the stream (or fails) at once. An
     * idle HTTP/1 connection has nothing to read, so a healthy one times out after 1 ms. This is the check OkHttp
     * itself makes on connections idle for more than 10 s.
     */
    static boolean closedByPeer(Socket socket) throws IOException {
        if (socket.isClosed() || socket.isInputShutdown()) {
            return true;
        }
        int timeout = socket.getSoTimeout();
        try {
            socket.setSoTimeout(1);
            // a byte here would be an answer nobody asked for: the connection is unusable either way
            socket.getInputStream().read();
            return true;
        } catch (SocketTimeoutException healthy) {
            return false;
        } catch (IOException broken) {
            return true;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(timeout);
            }
        }
    }
}
