package dev.nemobot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProxySettingsTest {
    private static final URI TELEGRAM = URI.create("https://api.telegram.org");
    private static final URI GATEWAY = URI.create("wss://gateway.discord.gg/?v=10");

    @Test
    void nothingSetMeansDirect() {
        ProxySettings p = ProxySettings.fromEnvironment(Map.of("NO_PROXY", "localhost"));
        assertThat(p.isEmpty()).isTrue();
        assertThat(p.endpointFor(TELEGRAM)).isEmpty();
        assertThat(p.selector().select(TELEGRAM)).containsExactly(Proxy.NO_PROXY);
    }

    @Test
    void eachSchemeTakesItsVariableAndAllProxyFillsIn() {
        ProxySettings p = ProxySettings.fromEnvironment(Map.of(
                "HTTPS_PROXY", "http://proxy.example:3128",
                "ALL_PROXY", "socks5h://127.0.0.1:1081"));
        assertThat(p.endpointFor(TELEGRAM).orElseThrow().toString()).isEqualTo("HTTPS_PROXY=http://proxy.example:3128");
        assertThat(p.endpointFor(GATEWAY).orElseThrow().kind()).isEqualTo(ProxySettings.Kind.HTTP);
        ProxySettings.Endpoint plain = p.endpointFor(URI.create("http://nemo.example/api")).orElseThrow();
        assertThat(plain.kind()).isEqualTo(ProxySettings.Kind.SOCKS5);
        assertThat(plain.port()).isEqualTo(1081);
        Proxy chosen = p.selector().select(URI.create("ws://gw.example:8080")).getFirst();
        assertThat(chosen.type()).isEqualTo(Proxy.Type.SOCKS);
        assertThat(((InetSocketAddress) chosen.address()).isUnresolved()).as("looked up when used").isTrue();
    }

    @Test
    void lowerCaseWinsAsInCurlAndABareHostIsAnHttpProxyOnPort1080() {
        ProxySettings p = ProxySettings.fromEnvironment(Map.of(
                "HTTPS_PROXY", "http://upper.example:1", "https_proxy", "lower.example"));
        ProxySettings.Endpoint e = p.endpointFor(TELEGRAM).orElseThrow();
        assertThat(e.setting()).isEqualTo("https_proxy");
        assertThat(e.host()).isEqualTo("lower.example");
        assertThat(e.port()).isEqualTo(1080);
        assertThat(e.kind()).isEqualTo(ProxySettings.Kind.HTTP);
    }

    @Test
    void noProxyTakesSuffixesWildcardsPortsAddressesAndRanges() {
        Map<String, String> env = new HashMap<>();
        env.put("HTTPS_PROXY", "http://proxy.example:3128");
        env.put("HTTP_PROXY", "http://proxy.example:3128");
        env.put("NO_PROXY", ".internal.example, telegram.org:8443,10.0.0.0/8 ,127.0.0.1,[::1],*.corp");
        ProxySettings p = ProxySettings.fromEnvironment(env);
        assertThat(p.endpointFor(URI.create("https://a.b.internal.example/x"))).isEmpty();
        assertThat(p.endpointFor(URI.create("https://internal.example"))).isEmpty();
        assertThat(p.endpointFor(URI.create("https://notinternal.example"))).isPresent();
        assertThat(p.endpointFor(URI.create("https://api.telegram.org:8443"))).isEmpty();
        assertThat(p.endpointFor(TELEGRAM)).as("another port").isPresent();
        assertThat(p.endpointFor(URI.create("http://10.1.2.3:9000"))).isEmpty();
        assertThat(p.endpointFor(URI.create("http://11.1.2.3:9000"))).isPresent();
        assertThat(p.endpointFor(URI.create("http://127.0.0.1:9000"))).isEmpty();
        assertThat(p.endpointFor(URI.create("http://[::1]:9000"))).isEmpty();
        assertThat(p.endpointFor(URI.create("http://x.corp"))).isEmpty();
        assertThat(p.endpointFor(URI.create("http://localhost"))).as("only what NO_PROXY names").isPresent();

        env.put("no_proxy", "*");
        assertThat(ProxySettings.fromEnvironment(env).endpointFor(TELEGRAM)).isEmpty();
        env.put("no_proxy", "");
        assertThat(ProxySettings.fromEnvironment(env).endpointFor(URI.create("http://127.0.0.1:9000")))
                .as("an empty no_proxy wins over NO_PROXY").isPresent();
    }

    @Test
    void credentialsComeFromTheUserInfoAndNeverShow() {
        ProxySettings p = ProxySettings.fromEnvironment(Map.of(
                "HTTPS_PROXY", "socks5://al%40ice:p%3Ass+w0rd@127.0.0.1:1080"));
        ProxySettings.Endpoint e = p.endpointFor(TELEGRAM).orElseThrow();
        assertThat(e.user()).contains("al@ice");
        assertThat(e.password().orElseThrow().reveal()).isEqualTo("p:ss+w0rd");
        assertThat(e.toString()).isEqualTo("HTTPS_PROXY=socks5://***@127.0.0.1:1080").doesNotContain("ice", "w0rd");
        assertThat(String.valueOf(e.credentials().orElseThrow().getPassword())).isEqualTo("p:ss+w0rd");
    }

    @Test
    void badValuesFailNamingTheVariableWithoutTheirPassword() {
        assertThatThrownBy(() -> ProxySettings.fromEnvironment(Map.of("HTTPS_PROXY", "https://u:secretpw@p:443")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("HTTPS_PROXY")
                .hasMessageContaining("TLS").hasMessageNotContaining("secretpw");
        assertThatThrownBy(() -> ProxySettings.fromEnvironment(Map.of("all_proxy", "socks4://p:1080")))
                .hasMessageContaining("all_proxy").hasMessageContaining("SOCKS4");
        assertThatThrownBy(() -> ProxySettings.fromEnvironment(Map.of("HTTP_PROXY", "http://p:3128/some/path")))
                .hasMessageContaining("HTTP_PROXY");
        assertThatThrownBy(() -> ProxySettings.fromEnvironment(Map.of("HTTP_PROXY", "http://p:3128",
                "NO_PROXY", "a.example:99999"))).hasMessageContaining("NO_PROXY");
    }

    @Test
    void anUnreachableProxyIsOneClearLineAtStartWithoutThePassword() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        ProxySettings p = ProxySettings.fromEnvironment(Map.of("HTTPS_PROXY",
                "http://bob:hunter2@127.0.0.1:" + closed));
        long started = System.nanoTime();
        assertThatThrownBy(() -> p.checkReachable(List.of(TELEGRAM), Duration.ofSeconds(3)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("HTTPS_PROXY=http://***@127.0.0.1:" + closed + " cannot be reached (")
                .hasMessageNotContaining("hunter2").hasMessageNotContaining("bob")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));

        ProxySettings unresolvable = ProxySettings.fromEnvironment(Map.of("HTTPS_PROXY", "http://proxy.invalid:3128"));
        assertThatThrownBy(() -> unresolvable.checkReachable(List.of(TELEGRAM), Duration.ofSeconds(3)))
                .hasMessageContaining("does not resolve");
        // a proxy no target uses is not checked
        unresolvable.checkReachable(List.of(URI.create("http://127.0.0.1:1")), Duration.ofSeconds(3));
        Optional<ProxySettings.Endpoint> none = unresolvable.endpointFor(URI.create("ftp://x"));
        assertThat(none).isEmpty();
    }
}
