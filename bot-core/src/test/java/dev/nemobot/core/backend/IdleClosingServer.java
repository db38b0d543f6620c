package dev.nemobot.core.backend;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A tiny HTTP/1.1 server on 127.0.0.1 that answers every request with keep-alive (no {@code Connection: close}) and
 * then closes the connection as soon as it is idle, as a backend or proxy with a short idle timeout does. A client
 * that pools connections then finds the one it reuses already closed. Requests are read with their
 * {@code Content-Length} body; every request is recorded with the number of the connection it came on.
 * Thread-safe; close it after the test.
 */
final class IdleClosingServer implements AutoCloseable {

    /** One request as the server read it. */
    record Seen(int connection, String method, String path, String body) {
    }

    /** What to answer: status, content type and body; the answer function returns null to drop unanswered. */
    record Answer(int status, String contentType, String body) {
        static Answer json(String body) {
            return new Answer(200, "application/json", body);
        }
    }

    private final ServerSocket socket;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Function<Seen, Answer> answers;
    private final List<Seen> seen = new ArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger closedIdle = new AtomicInteger();

    IdleClosingServer(Function<Seen, Answer> answers) throws IOException {
        this.answers = answers;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    /** Every request so far, in order. */
    List<Seen> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
    }

    /** Connections the server closed after answering (its idle close), so far. */
    int closedIdle() {
        return closedIdle.get();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                int n = connections.incrementAndGet();
                threads.execute(() -> serve(s, n));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s, int connection) {
        boolean answered = false;
        try (s) {
            answered = answer(s, connection);
        } catch (IOException e) {
            // the client went away
        }
        if (answered) {
            // the answer was complete and the connection idle: it is closed now (by the try-with-resources)
            closedIdle.incrementAndGet();
        }
    }

    /** Reads one request and answers it; false when there was none or it was dropped unanswered. */
    private boolean answer(Socket s, int connection) throws IOException {
        InputStream in = new BufferedInputStream(s.getInputStream());
        String requestLine = line(in);
        if (requestLine == null || requestLine.isEmpty()) {
            return false; // the client opened and closed without asking anything
        }
        String[] parts = requestLine.split(" ");
        int length = 0;
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            if (colon > 0 && h.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                length = Integer.parseInt(h.substring(colon + 1).trim());
            }
        }
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        Seen r = new Seen(connection, parts[0], parts[1].replaceFirst("\\?.*$", ""), body);
        synchronized (seen) {
            seen.add(r);
        }
        Answer a = answers.apply(r);
        if (a == null) {
            return false; // dropped unanswered: the request arrived, the client gets no answer
        }
        byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
        OutputStream out = s.getOutputStream();
        out.write(("HTTP/1.1 " + a.status() + " X\r\nContent-Type: " + a.contentType() + "\r\nContent-Length: "
                + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        return true;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        threads.shutdownNow();
    }
}
