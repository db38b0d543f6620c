package dev.nemobot.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small proxy on 127.0.0.1 for tests, speaking on one port what clash and v2ray call a "mixed" port: HTTP
 * (CONNECT tunnels, and absolute-URL requests, each forwarded on a connection of its own with {@code Connection:
 * close} and the header {@value #VIA} added) and SOCKS5 (CONNECT, by IPv4, IPv6 or host name). With a login it
 * demands it (Basic {@code Proxy-Authorization}, answered 407 without it; SOCKS5 user/password, RFC 1929). Host names
 * under {@code .test} (reserved, never resolved anywhere else) lead to 127.0.0.1, so a client that tried them
 * directly could not connect; other names must resolve to a loopback address. It records each target as the client
 * named it ({@code host:port}) with how it was asked for.
 */
final class TestProxy implements AutoCloseable {
    /** Added to every request forwarded by URL, so a server can tell it came through here. */
    static final String VIA = "X-Test-Proxy";

    /** One forwarded connection: {@code how} is CONNECT, GET/POST/... (a request by URL) or SOCKS5. */
    record Target(String how, String hostPort) {
    }

    private final ServerSocket server;
    private final Optional<String> user;
    private final Optional<String> password;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Target> targets = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();

    private TestProxy(Optional<String> user, Optional<String> password) throws IOException {
        this.user = user;
        this.password = password;
        this.server = new ServerSocket(0, 200, InetAddress.getByName("127.0.0.1"));
        threads.submit(this::accept);
    }

    static TestProxy open() throws IOException {
        return new TestProxy(Optional.empty(), Optional.empty());
    }

    static TestProxy withLogin(String user, String password) throws IOException {
        return new TestProxy(Optional.of(user), Optional.of(password));
    }

    int port() {
        return server.getLocalPort();
    }

    List<Target> targets() {
        return List.copyOf(targets);
    }

    /** How many connections went to each {@code host:port}, by how they were asked for. */
    Map<String, Map<String, Integer>> seen() {
        Map<String, Map<String, Integer>> out = new TreeMap<>();
        for (Target t : targets) {
            out.computeIfAbsent(t.hostPort(), k -> new TreeMap<>()).merge(t.how(), 1, Integer::sum);
        }
        return out;
    }

    /** Connections refused for a missing or wrong login. */
    List<String> refusals() {
        return List.copyOf(refusals);
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.submit(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setSoTimeout(120_000);
            InputStream in = client.getInputStream();
            int first = in.read();
            if (first == 5) {
                socks5(client, in);
            } else if (first > 0) {
                http(client, in, (byte) first);
            }
        } catch (IOException e) {
            // the client or the server went away: nothing to record
        }
    }

    // ---------------------------------------------------------------- SOCKS5 (RFC 1928, 1929)

    private void socks5(Socket client, InputStream in) throws IOException {
        OutputStream out = client.getOutputStream();
        byte[] methods = in.readNBytes(in.read());
        int wanted = user.isPresent() ? 2 : 0;
        boolean offered = false;
        for (byte m : methods) {
            offered |= m == wanted;
        }
        if (!offered) {
            refusals.add("SOCKS5 without the login method");
            out.write(new byte[] {5, (byte) 0xFF});
            return;
        }
        out.write(new byte[] {5, (byte) wanted});
        if (wanted == 2) {
            in.read(); // sub-negotiation version 1
            String u = new String(in.readNBytes(in.read()), StandardCharsets.UTF_8);
            String p = new String(in.readNBytes(in.read()), StandardCharsets.UTF_8);
            boolean ok = u.equals(user.get()) && p.equals(password.orElse(""));
            out.write(new byte[] {1, (byte) (ok ? 0 : 1)});
            if (!ok) {
                refusals.add("SOCKS5 wrong login");
                return;
            }
        }
        byte[] head = in.readNBytes(4); // VER CMD RSV ATYP
        String host = switch (head[3]) {
            case 1 -> InetAddress.getByAddress(in.readNBytes(4)).getHostAddress();
            case 4 -> "[" + InetAddress.getByAddress(in.readNBytes(16)).getHostAddress() + "]";
            case 3 -> new String(in.readNBytes(in.read()), StandardCharsets.US_ASCII);
            default -> throw new IOException("bad address type");
        };
        byte[] p = in.readNBytes(2);
        int port = ((p[0] & 0xFF) << 8) | (p[1] & 0xFF);
        Socket upstream;
        try {
            upstream = connect(host, port);
        } catch (IOException e) {
            out.write(new byte[] {5, 5, 0, 1, 0, 0, 0, 0, 0, 0});
            return;
        }
        targets.add(new Target("SOCKS5", host + ":" + port));
        out.write(new byte[] {5, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        out.flush();
        relay(client, in, upstream, new byte[0]);
    }

    // ---------------------------------------------------------------- HTTP

    private void http(Socket client, InputStream in, byte first) throws IOException {
        OutputStream out = client.getOutputStream();
        Head head = Head.read(in, first);
        if (head == null) {
            return;
        }
        if (user.isPresent()) {
            String expected = "Basic " + Base64.getEncoder().encodeToString(
                    (user.get() + ":" + password.orElse("")).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(head.header("proxy-authorization"))) {
                refusals.add(head.method() + " without the login");
                head.drainBody(in);
                out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                        + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                return;
            }
        }
        if (head.method().equals("CONNECT")) {
            String target = head.target();
            int colon = target.lastIndexOf(':');
            Socket upstream;
            try {
                upstream = connect(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)));
            } catch (IOException | RuntimeException e) {
                out.write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                return;
            }
            targets.add(new Target("CONNECT", target));
            out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            relay(client, in, upstream, head.rest());
            return;
        }
        URI url = URI.create(head.target());
        int port = url.getPort() == -1 ? 80 : url.getPort();
        Socket upstream = connect(url.getHost(), port);
        targets.add(new Target(head.method(), url.getHost() + ":" + port));
        StringBuilder forwarded = new StringBuilder(head.method()).append(' ')
                .append(url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                .append(url.getRawQuery() == null ? "" : "?" + url.getRawQuery()).append(' ').append(head.version())
                .append("\r\n");
        for (String[] h : head.headers()) {
            String name = h[0].toLowerCase(Locale.ROOT);
            if (!name.startsWith("proxy-") && !name.equals("connection")) {
                forwarded.append(h[0]).append(": ").append(h[1]).append("\r\n");
            }
        }
        forwarded.append(VIA).append(": 1\r\nConnection: close\r\n\r\n");
        try (upstream) {
            OutputStream up = upstream.getOutputStream();
            up.write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
            up.write(head.rest());
            up.flush();
            threads.submit(() -> pump(in, up, upstream));
            // the answer's head says the connection closes, so the client opens a new one (through here) next time
            InputStream down = upstream.getInputStream();
            int b = down.read();
            Head answer = b < 0 ? null : Head.read(down, (byte) b);
            if (answer == null) {
                return;
            }
            StringBuilder back = new StringBuilder(answer.method()).append(' ').append(answer.target()).append(' ')
                    .append(answer.version()).append("\r\n");
            for (String[] h : answer.headers()) {
                if (!h[0].equalsIgnoreCase("connection")) {
                    back.append(h[0]).append(": ").append(h[1]).append("\r\n");
                }
            }
            back.append("Connection: close\r\n\r\n");
            out.write(back.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(answer.rest());
            down.transferTo(out);
            out.flush();
        }
    }

    /** A request's or an answer's head, and the bytes read past it. */
    private record Head(String method, String target, String version, List<String[]> headers, byte[] rest) {
        static Head read(InputStream in, byte first) throws IOException {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            buf.write(first);
            byte[] chunk = new byte[8192];
            int end;
            while ((end = indexOfEnd(buf.toByteArray())) < 0) {
                int n = in.read(chunk);
                if (n < 0 || buf.size() > 65_536) {
                    return null;
                }
                buf.write(chunk, 0, n);
            }
            byte[] all = buf.toByteArray();
            String text = new String(all, 0, end, StandardCharsets.ISO_8859_1);
            String[] lines = text.split("\r\n");
            String[] start = lines[0].split(" ", 3);
            List<String[]> headers = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.add(new String[] {lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip()});
                }
            }
            byte[] rest = java.util.Arrays.copyOfRange(all, end + 4, all.length);
            return new Head(start[0], start.length > 1 ? start[1] : "", start.length > 2 ? start[2] : "", headers, rest);
        }

        String header(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst().orElse(null);
        }

        /** Reads the body a refused request still sends, so the client sees the 407 rather than a reset. */
        void drainBody(InputStream in) throws IOException {
            String length = header("content-length");
            if (length != null) {
                in.skipNBytes(Math.max(0, Long.parseLong(length) - rest.length));
            }
        }

        private static int indexOfEnd(byte[] b) {
            for (int i = 0; i + 3 < b.length; i++) {
                if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                    return i;
                }
            }
            return -1;
        }
    }

    // ---------------------------------------------------------------- plumbing

    /** {@code *.test} is 127.0.0.1; anything else must be a loopback address. */
    private static Socket connect(String host, int port) throws IOException {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        InetAddress address = h.toLowerCase(Locale.ROOT).endsWith(".test")
                ? InetAddress.getByName("127.0.0.1") : InetAddress.getByName(h);
        if (!address.isLoopbackAddress()) {
            throw new IOException("only loopback targets");
        }
        Socket s = new Socket();
        s.connect(new InetSocketAddress(address, port), 5_000);
        return s;
    }

    private void relay(Socket client, InputStream in, Socket upstream, byte[] already) throws IOException {
        try (upstream) {
            OutputStream up = upstream.getOutputStream();
            up.write(already);
            up.flush();
            threads.submit(() -> pump(in, up, upstream));
            upstream.getInputStream().transferTo(client.getOutputStream());
        }
    }

    /** Client to server until the client stops sending; then the server hears the end too. */
    private static void pump(InputStream from, OutputStream to, Socket upstream) {
        try {
            from.transferTo(to);
            to.flush();
            upstream.shutdownOutput();
        } catch (IOException e) {
            // one side closed
        }
    }
}
