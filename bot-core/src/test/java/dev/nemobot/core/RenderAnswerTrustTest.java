package dev.nemobot.core;

import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.RecordingPlatform;
import dev.nemobot.core.testing.RecordingPlatform.Sent;
import dev.nemobot.simulator.RecordedRequest;
import dev.nemobot.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import javax.net.SocketFactory;
import okhttp3.Dns;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A backend whose finished render's answer points elsewhere (the simulator's fault knob), against the real engine,
 * client and simulator. Names resolve through the test's own {@link Dns} ({@code evil.test} to 127.0.0.1,
 * {@code metadata.test} to 169.254.169.254) and every socket of the client refuses to connect outside loopback (and
 * counts the attempt), so nothing here leaves the machine even when a check is missing.
 */
class RenderAnswerTrustTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String REFUSED = "could not fetch it safely";
    static final byte[] MP4 = mp4();
    static final long BIG = 64L * 1024 * 1024;

    private final ChatUser ann = user("telegram", "1", Locale.ENGLISH);
    private final AtomicInteger outsideLoopback = new AtomicInteger();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final AtomicLong bigBytesWritten = new AtomicLong();
    /** Bytes of videos (.mp4 answers) the client read. */
    private final AtomicLong videoBytesRead = new AtomicLong();
    private HttpServer other;
    /** A port of the API's host (127.0.0.1) that no setting allows: it must never be asked for anything. */
    private HttpServer forbidden;
    private final AtomicInteger forbiddenRequests = new AtomicInteger();
    private OkHttpClient shared;

    @BeforeEach
    void start() throws IOException {
        other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        other.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            requests.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
            try (ex) {
                switch (path) {
                    case "/v.mp4" -> {
                        ex.getResponseHeaders().set("Content-Type", "video/mp4");
                        ex.sendResponseHeaders(200, MP4.length);
                        ex.getResponseBody().write(MP4);
                    }
                    case "/big.mp4" -> {
                        // chunked: no length announced, so only reading can tell
                        ex.getResponseHeaders().set("Content-Type", "video/mp4");
                        ex.sendResponseHeaders(200, 0);
                        OutputStream out = ex.getResponseBody();
                        byte[] chunk = new byte[64 * 1024];
                        System.arraycopy(MP4, 0, chunk, 0, MP4.length);
                        try {
                            for (long sent = 0; sent < BIG; sent += chunk.length) {
                                out.write(chunk);
                                bigBytesWritten.addAndGet(chunk.length);
                                chunk = new byte[chunk.length];
                            }
                        } catch (IOException closedByTheClient) {
                            // expected once the client stops reading
                        }
                    }
                    case "/page.html" -> {
                        byte[] html = "<!doctype html><html><body>instance metadata</body></html>"
                                .getBytes(StandardCharsets.UTF_8);
                        ex.getResponseHeaders().set("Content-Type", "video/mp4"); // it says so; the bytes do not
                        ex.sendResponseHeaders(200, html.length);
                        ex.getResponseBody().write(html);
                    }
                    case "/hop" -> {
                        ex.getResponseHeaders().set("Location", "http://evil.test:" + port() + "/v.mp4");
                        ex.sendResponseHeaders(302, -1);
                    }
                    case "/hop-to-another-port" -> {
                        ex.getResponseHeaders().set("Location", "http://127.0.0.1:" + forbiddenPort() + "/v.mp4");
                        ex.sendResponseHeaders(302, -1);
                    }
                    default -> ex.sendResponseHeaders(404, -1);
                }
            }
        });
        other.start();
        forbidden = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        forbidden.createContext("/", ex -> {
            forbiddenRequests.incrementAndGet();
            try (ex) {
                ex.getResponseHeaders().set("Content-Type", "video/mp4");
                ex.sendResponseHeaders(200, MP4.length);
                ex.getResponseBody().write(MP4);
            }
        });
        forbidden.start();
        Dns dns = host -> switch (host) {
            case "evil.test" -> List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
            case "metadata.test" -> List.of(InetAddress.getByAddress(host, new byte[] {(byte) 169, (byte) 254,
                    (byte) 169, (byte) 254}));
            default -> Dns.SYSTEM.lookup(host);
        };
        shared = new OkHttpClient.Builder().dns(dns).socketFactory(new LoopbackOnly())
                .addNetworkInterceptor(this::countVideoBytes).build();
    }

    @AfterEach
    void stop() {
        other.stop(0);
        forbidden.stop(0);
        shared.connectionPool().evictAll();
        shared.dispatcher().executorService().shutdown();
    }

    private int port() {
        return other.getAddress().getPort();
    }

    /** Counts the bytes the client reads of every answer of a path ending in .mp4 (a download of a video). */
    private Response countVideoBytes(Interceptor.Chain chain) throws IOException {
        Response r = chain.proceed(chain.request());
        String path = chain.request().url().encodedPath();
        if (!path.endsWith(".mp4")) {
            return r;
        }
        ResponseBody body = r.body();
        BufferedSource counted = Okio.buffer(new ForwardingSource(body.source()) {
            @Override
            public long read(Buffer sink, long byteCount) throws IOException {
                long n = super.read(sink, byteCount);
                if (n > 0) {
                    videoBytesRead.addAndGet(n);
                }
                return n;
            }
        });
        return r.newBuilder().body(ResponseBody.create(counted, body.contentType(), body.contentLength())).build();
    }

    private int forbiddenPort() {
        return forbidden.getAddress().getPort();
    }

    /** The other server's origin, as NEMO_DOWNLOAD_HOSTS lists it. */
    private String otherOrigin() {
        return "127.0.0.1:" + port();
    }

    private int requestsFor(String path) {
        return requests.getOrDefault(path, new AtomicInteger()).get();
    }

    /** Runs one generation with auto export; the render's answer gives {@code id} and {@code url}. */
    private RecordingPlatform export(EngineFixture f, String id, String url) {
        return export(f, id, url, 50_000_000);
    }

    private RecordingPlatform export(EngineFixture f, String id, String url, long uploadLimit) {
        f.simulator().faults().completedRendersAnswer(id, url);
        RecordingPlatform p = new RecordingPlatform("telegram", uploadLimit);
        f.engine().attach(p).accept(file(ann, ConversationFlowTest.ANIMATE, png("photo.png")));
        p.await(s -> s instanceof Sent.Video || (s.shownText() != null && s.shownText().contains("workspace/claim")),
                WAIT, "the export's end");
        assertThat(f.engine().awaitIdle(WAIT)).isTrue();
        return p;
    }

    private EngineFixture fixture(List<String> downloadHosts, long maxDownload) {
        UnaryOperator<dev.nemobot.config.Settings> settings =
                s -> s.withNemo(s.nemo().withDownloadHosts(downloadHosts));
        return EngineFixture.start(SimulatorConfig.fast(), settings,
                c -> c.httpClient(shared).maxDownloadBytes(maxDownload), b -> b);
    }

    private EngineFixture fixture() {
        return fixture(List.of(), 50_000_000);
    }

    private static void assertRefused(RecordingPlatform p, EngineFixture f) throws IOException {
        assertThat(p.sent()).noneMatch(s -> s instanceof Sent.Video);
        assertThat(p.sent()).filteredOn(s -> s.shownText() != null && s.shownText().contains(REFUSED))
                .singleElement().satisfies(s -> assertThat(s.shownText())
                        .contains(EngineFixture.WEB_URL + "/workspace/claim?task=").doesNotContain("http://127.0.0.1")
                        .doesNotContain("evil.test").doesNotContain("metadata").doesNotContain("169.254"));
        assertNothingLeftIn(f.dataDir().resolve("tmp"));
    }

    private static void assertNothingLeftIn(Path tmp) throws IOException {
        if (Files.isDirectory(tmp)) {
            try (var files = Files.list(tmp)) {
                assertThat(files.toList()).as("no file left behind").isEmpty();
            }
        }
    }

    @Test
    void anOutputUrlOnAnotherHostIsNotFetched() throws Exception {
        try (EngineFixture f = fixture()) {
            RecordingPlatform p = export(f, null, "http://evil.test:" + port() + "/v.mp4");
            assertThat(requestsFor("/v.mp4")).as("requests to the other host").isZero();
            assertRefused(p, f);
        }
    }

    @Test
    void anAllowedHostThatResolvesToALinkLocalAddressIsNotConnectedTo() throws Exception {
        // the operator allowed the name; its address is a cloud metadata service's
        try (EngineFixture f = fixture(List.of("metadata.test:" + port()), 50_000_000)) {
            RecordingPlatform p = export(f, null, "http://metadata.test:" + port() + "/latest/meta-data/");
            assertThat(outsideLoopback.get()).as("connections tried outside loopback").isZero();
            assertRefused(p, f);
        }
    }

    @Test
    void aLinkLocalAddressInTheUrlIsNotConnectedToEvenWhenAllowed() throws Exception {
        try (EngineFixture f = fixture(List.of("169.254.169.254"), 50_000_000)) {
            RecordingPlatform p = export(f, null, "http://169.254.169.254/latest/meta-data/");
            assertThat(outsideLoopback.get()).as("connections tried outside loopback").isZero();
            assertRefused(p, f);
        }
    }

    @Test
    void anOutputUrlOnAnotherPortOfTheApisHostIsNotFetched() throws Exception {
        try (EngineFixture f = fixture()) {
            RecordingPlatform p = export(f, null, "http://127.0.0.1:" + forbiddenPort() + "/v.mp4");
            assertThat(forbiddenRequests.get()).as("requests to another port of the API's host").isZero();
            assertRefused(p, f);
        }
    }

    @Test
    void aRedirectToAnotherPortOfTheApisHostIsNotFollowed() throws Exception {
        try (EngineFixture f = fixture(List.of(otherOrigin()), 50_000_000)) {
            // the first hop is on a listed origin, the second on a port of the same host that is not listed
            RecordingPlatform p = export(f, null, "http://127.0.0.1:" + port() + "/hop-to-another-port");
            assertThat(requestsFor("/hop-to-another-port")).isEqualTo(1);
            assertThat(forbiddenRequests.get()).as("requests to the redirect's target").isZero();
            assertRefused(p, f);
        }
    }

    @Test
    void aListedHostAndPortIsDownloadedFrom() throws Exception {
        try (EngineFixture f = fixture(List.of(otherOrigin()), 50_000_000)) {
            RecordingPlatform p = export(f, null, "http://127.0.0.1:" + port() + "/v.mp4");
            assertThat(requestsFor("/v.mp4")).isEqualTo(1);
            assertThat(p.sent()).filteredOn(s -> s instanceof Sent.Video).hasSize(1);
        }
    }

    @Test
    void aRedirectToAnotherHostIsNotFollowed() throws Exception {
        try (EngineFixture f = fixture(List.of(otherOrigin()), 50_000_000)) {
            // the first hop is on a listed origin (127.0.0.1 and the other server's port), the second is not
            RecordingPlatform p = export(f, null, "http://127.0.0.1:" + port() + "/hop");
            assertThat(requestsFor("/hop")).isEqualTo(1);
            assertThat(requestsFor("/v.mp4")).as("requests to the redirect's target").isZero();
            assertRefused(p, f);
        }
    }

    @Test
    void aRenderIdThatClimbsOutOfTheDataDirectoryNamesNoFile() throws Exception {
        try (EngineFixture f = fixture()) {
            RecordingPlatform p = export(f, "../../x", null);
            assertThat(p.sent()).filteredOn(s -> s instanceof Sent.Video).hasSize(1);
            Path data = f.dataDir().toAbsolutePath().normalize();
            assertThat(p.videoSources()).singleElement()
                    .satisfies(src -> assertThat(src.startsWith(data)).as("%s is under %s", src, data).isTrue())
                    .satisfies(src -> assertThat(src.getFileName().toString()).startsWith("render_"));
            assertNothingLeftIn(f.dataDir().resolve("tmp"));
        }
    }

    @Test
    void aVideoLargerThanEveryPlatformTakesIsNotReadToTheEndAndItsLinkIsSent() throws Exception {
        try (EngineFixture f = fixture(List.of(otherOrigin()), 1_000_000)) {
            String url = "http://127.0.0.1:" + port() + "/big.mp4";
            RecordingPlatform p = export(f, null, url);
            assertThat(requestsFor("/big.mp4")).isEqualTo(1);
            assertThat(bigBytesWritten.get()).as("bytes the server could write of " + BIG).isLessThan(BIG / 4);
            assertLinkOnly(p, f, url, "too large to send here.");
        }
    }

    @Test
    void theSimulatorsVideoLargerThanThePlatformTakesIsSentAsItsLinkWithoutDownloadingIt() throws Exception {
        // as the bot runs: the client's cap is the largest upload limit of the platforms in use
        long uploadLimit = 1000;
        try (EngineFixture f = fixture(List.of(), uploadLimit)) {
            RecordingPlatform p = export(f, null, null, uploadLimit);
            RecordedRequest status = f.simulator().requests().stream()
                    .filter(r -> r.path().startsWith("/api/render/proxy/lambda/")).toList().getLast();
            String url = f.simulator().baseUrl() + "/files/"
                    + status.path().substring(status.path().lastIndexOf('/') + 1) + ".mp4";
            assertThat(Checks.count(f.simulator(), "GET", "/files/")).as("the video asked for once").isEqualTo(1);
            assertThat(videoBytesRead.get()).as("bytes of the video read").isZero();
            assertLinkOnly(p, f, url, "too large to send here: this chat takes files up to");
        }
    }

    /** No video; one message with the reason, the video's own link and the task link. */
    private static void assertLinkOnly(RecordingPlatform p, EngineFixture f, String url, String reason)
            throws IOException {
        assertThat(p.sent()).noneMatch(s -> s instanceof Sent.Video);
        assertThat(p.sent()).noneMatch(s -> s.shownText() != null && s.shownText().contains(REFUSED));
        assertThat(p.sent()).filteredOn(s -> s.shownText() != null && s.shownText().contains(url))
                .singleElement().satisfies(s -> assertThat(s.shownText()).contains(reason)
                        .contains(EngineFixture.WEB_URL + "/workspace/claim?task="));
        assertNothingLeftIn(f.dataDir().resolve("tmp"));
    }

    @Test
    void anAnswerThatIsNotAnMp4IsNotSentAsTheVideo() throws Exception {
        try (EngineFixture f = fixture(List.of(otherOrigin()), 50_000_000)) {
            RecordingPlatform p = export(f, null, "http://127.0.0.1:" + port() + "/page.html");
            assertThat(requestsFor("/page.html")).isEqualTo(1);
            assertRefused(p, f);
        }
    }

    @Test
    void theApisOwnOutputUrlIsStillDownloadedAndSent() throws Exception {
        try (EngineFixture f = fixture()) {
            RecordingPlatform p = export(f, null, null);
            assertThat(p.sent()).filteredOn(s -> s instanceof Sent.Video).hasSize(1);
            assertThat(p.sent()).noneMatch(s -> s.shownText() != null && s.shownText().contains(REFUSED));
        }
    }

    /** A small valid-looking MP4 head: an ftyp box (isom), then padding. */
    private static byte[] mp4() {
        byte[] b = new byte[4096];
        byte[] ftyp = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm', 'm', 'p',
            '4', '1'};
        System.arraycopy(ftyp, 0, b, 0, ftyp.length);
        return b;
    }

    /** Sockets that connect only to loopback addresses, counting every other attempt. */
    private final class LoopbackOnly extends SocketFactory {
        @Override
        public Socket createSocket() {
            return new Socket() {
                @Override
                public void connect(SocketAddress endpoint, int timeout) throws IOException {
                    if (endpoint instanceof InetSocketAddress a && a.getAddress() != null
                            && !a.getAddress().isLoopbackAddress()) {
                        outsideLoopback.incrementAndGet();
                        throw new ConnectException("the test refuses to connect outside loopback: " + a);
                    }
                    super.connect(endpoint, timeout);
                }
            };
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            throw new UnknownHostException("unused");
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            throw new UnknownHostException("unused");
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            throw new UnknownHostException("unused");
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            throw new UnknownHostException("unused");
        }
    }
}
