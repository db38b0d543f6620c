package dev.nemobot.simulator;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.LoggerFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The simulator over TLS, as the real backend is: Jetty serving the same {@link HttpHandler} (through a small
 * {@link HttpExchange} of its own: {@code jetty-http-spi} would make itself the JVM's HttpServer provider), offering HTTP/2 and HTTP/1.1 by ALPN, so a client that speaks HTTP/2 multiplexes all its
 * streams over a few connections. The certificate is self-signed, made at start for 127.0.0.1 and localhost (a
 * client trusts it through {@link #certificatePem()}; nothing else does). Requests run on virtual threads.
 */
final class TlsListener {
    private final HeldCertificate certificate;
    private final int maxStreams;
    private final HandshakeCertificates server;

    /** @param maxStreams the {@code SETTINGS_MAX_CONCURRENT_STREAMS} of each HTTP/2 connection */
    TlsListener(String host, int maxStreams) {
        if (maxStreams < 1) {
            throw new IllegalArgumentException("maxStreams must be at least 1: " + maxStreams);
        }
        this.maxStreams = maxStreams;
        HeldCertificate.Builder b = new HeldCertificate.Builder()
                .commonName("nemo-simulator")
                .addSubjectAlternativeName("localhost")
                .addSubjectAlternativeName("127.0.0.1")
                .addSubjectAlternativeName("::1")
                .duration(7, java.util.concurrent.TimeUnit.DAYS);
        if (!host.equals("localhost") && !host.equals("127.0.0.1") && !host.equals("::1") && !host.equals("0.0.0.0")) {
            b.addSubjectAlternativeName(host);
        }
        this.certificate = b.build();
        this.server = new HandshakeCertificates.Builder().heldCertificate(certificate).build();
    }

    /** The certificate to trust, PEM-encoded (it is its own issuer). */
    String certificatePem() {
        return certificate.certificatePem();
    }

    /** A started listener on {@code at} handing every request to {@code handler}; {@code stop} ends it. */
    HttpServer bind(InetSocketAddress at, int backlog, HttpHandler handler) throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("nemo-simulator-jetty");
        // a request's handler blocks (an answer streams for minutes): each runs on a virtual thread of its own
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server jetty = new Server(threads);

        HttpConfiguration http = new HttpConfiguration();
        http.addCustomizer(new SecureRequestCustomizer(false)); // the certificate names 127.0.0.1: no SNI needed
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        HttpConnectionFactory h1 = new HttpConnectionFactory(http);
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
        h2.setMaxConcurrentStreams(maxStreams);
        // an answer may be silent between two chunks for as long as a stage lasts: the turn's heartbeats, not an idle
        // time-out of ours, keep it alive (as over HTTP/1.1 on the JDK's server)
        h2.setStreamIdleTimeout(0);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
        alpn.setDefaultProtocol(h1.getProtocol());
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setSslContext(server.sslContext());
        tls.setSniRequired(false);
        SslConnectionFactory ssl = new SslConnectionFactory(tls, alpn.getProtocol());

        ServerConnector connector = new ServerConnector(jetty, ssl, alpn, h2, h1);
        connector.setHost(at.getAddress().getHostAddress());
        connector.setPort(at.getPort());
        connector.setAcceptQueueSize(backlog);
        connector.setIdleTimeout(0);
        jetty.addConnector(connector);
        jetty.setHandler(new Adapter(handler));
        try {
            jetty.start();
        } catch (Exception e) {
            try {
                jetty.stop();
            } catch (Exception ignored) {
                // failed to start: nothing to stop
            }
            throw e instanceof IOException io ? io : new IOException("cannot start the TLS listener on " + at, e);
        }
        return new Listener(jetty, new InetSocketAddress(at.getAddress(), connector.getLocalPort()));
    }

    /** Hands each request to the JDK-style handler on its (virtual) thread; a thrown exception aborts the answer. */
    private static final class Adapter extends Handler.Abstract {
        private final HttpHandler handler;

        Adapter(HttpHandler handler) {
            this.handler = handler;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Exchange ex = new Exchange(request, response);
            try {
                handler.handle(ex);
                ex.finish();
                callback.succeeded();
            } catch (Throwable t) {
                // the JDK's server closes the connection without ending the answer: here the stream (HTTP/2) or the
                // connection (HTTP/1.1) is reset, which the client sees the same way
                callback.failed(t);
            }
            return true;
        }
    }

    /** The one {@link HttpExchange} over Jetty's request and response, for the router's needs. */
    private static final class Exchange extends HttpExchange {
        private final Request request;
        private final Response response;
        private final Headers requestHeaders = new Headers();
        private final Headers responseHeaders = new Headers();
        private final Map<String, Object> attributes = new HashMap<>();
        private InputStream in;
        private OutputStream out;
        private int code = -1;

        Exchange(Request request, Response response) {
            this.request = request;
            this.response = response;
            for (HttpField f : request.getHeaders()) {
                requestHeaders.add(f.getName(), f.getValue());
            }
            this.in = Content.Source.asInputStream(request);
            this.out = Content.Sink.asOutputStream(response);
        }

        /** Ends the answer if the handler left it open. */
        void finish() throws IOException {
            if (code == -1) {
                sendResponseHeaders(500, -1);
            }
            out.close();
        }

        @Override
        public Headers getRequestHeaders() {
            return requestHeaders;
        }

        @Override
        public Headers getResponseHeaders() {
            return responseHeaders;
        }

        @Override
        public URI getRequestURI() {
            return URI.create(request.getHttpURI().getPathQuery());
        }

        @Override
        public String getRequestMethod() {
            return request.getMethod();
        }

        @Override
        public HttpContext getHttpContext() {
            return null;
        }

        @Override
        public void close() {
            try {
                in.close();
                out.close();
            } catch (IOException e) {
                // the client went away: nothing more to send
            }
        }

        @Override
        public InputStream getRequestBody() {
            return in;
        }

        @Override
        public OutputStream getResponseBody() {
            return out;
        }

        /** As the JDK's: {@code length} -1 no body, 0 a body of unknown length (streamed), else that many bytes. */
        @Override
        public void sendResponseHeaders(int rCode, long length) throws IOException {
            if (code != -1) {
                throw new IOException("headers already sent");
            }
            code = rCode;
            response.setStatus(rCode);
            HttpFields.Mutable h = response.getHeaders();
            responseHeaders.forEach((name, values) -> values.forEach(v -> h.add(name, v)));
            if (length > 0) {
                h.put(HttpHeader.CONTENT_LENGTH, length);
            } else if (length < 0) {
                h.put(HttpHeader.CONTENT_LENGTH, 0L);
            } else {
                out.flush(); // a stream: the client sees the headers now, before the first event
            }
        }

        @Override
        public InetSocketAddress getRemoteAddress() {
            return (InetSocketAddress) request.getConnectionMetaData().getRemoteSocketAddress();
        }

        @Override
        public int getResponseCode() {
            return code;
        }

        @Override
        public InetSocketAddress getLocalAddress() {
            return (InetSocketAddress) request.getConnectionMetaData().getLocalSocketAddress();
        }

        @Override
        public String getProtocol() {
            return request.getConnectionMetaData().getProtocol();
        }

        @Override
        public Object getAttribute(String name) {
            return attributes.get(name);
        }

        @Override
        public void setAttribute(String name, Object value) {
            attributes.put(name, value);
        }

        @Override
        public void setStreams(InputStream i, OutputStream o) {
            if (i != null) {
                in = i;
            }
            if (o != null) {
                out = o;
            }
        }

        @Override
        public HttpPrincipal getPrincipal() {
            return null;
        }
    }

    /** The listener as the simulator's {@link HttpServer}: only what it calls ({@link #stop}, the address). */
    private static final class Listener extends HttpServer {
        private final Server jetty;
        private final InetSocketAddress address;

        Listener(Server jetty, InetSocketAddress address) {
            this.jetty = jetty;
            this.address = address;
        }

        @Override
        public void bind(InetSocketAddress addr, int backlog) {
            throw new UnsupportedOperationException("bound at start");
        }

        @Override
        public void start() {
            // started when made
        }

        @Override
        public void setExecutor(Executor executor) {
            throw new UnsupportedOperationException("requests run on virtual threads");
        }

        @Override
        public Executor getExecutor() {
            return null;
        }

        /** Stops at once: open answers are cut, as the JDK's server's {@code stop(0)} does. */
        @Override
        public void stop(int delay) {
            try {
                jetty.stop();
            } catch (Exception e) {
                LoggerFactory.getLogger(TlsListener.class).warn("stopping the TLS listener: {}", e.toString());
            }
        }

        @Override
        public HttpContext createContext(String path, HttpHandler handler) {
            throw new UnsupportedOperationException("one handler, given at start");
        }

        @Override
        public HttpContext createContext(String path) {
            throw new UnsupportedOperationException("one handler, given at start");
        }

        @Override
        public void removeContext(String path) {
            throw new UnsupportedOperationException("one handler, given at start");
        }

        @Override
        public void removeContext(HttpContext context) {
            throw new UnsupportedOperationException("one handler, given at start");
        }

        @Override
        public InetSocketAddress getAddress() {
            return address;
        }
    }
}
