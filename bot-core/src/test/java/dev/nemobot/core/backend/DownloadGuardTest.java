package dev.nemobot.core.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nemobot.config.ProxySettings;
import dev.nemobot.core.net.ProxyRouting;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/** The guard's rules, with a resolver of the test's own (nothing is looked up or connected to). */
class DownloadGuardTest {
    private static final Map<String, String> NAMES = Map.of(
            "api.example.com", "203.0.113.10", "cdn.example.com", "198.51.100.7", "inside.example.com", "10.1.2.3",
            "v6.example.com", "fd00::1", "mapped.example.com", "::ffff:127.0.0.1", "localhost", "127.0.0.1");
    private static final Dns DNS = host -> {
        String a = NAMES.get(host);
        if (a == null) {
            throw new java.net.UnknownHostException(host);
        }
        return List.of(InetAddress.getByName(a));
    };

    private final DownloadGuard https = new DownloadGuard(HttpUrl.get("https://api.example.com/"),
            List.of("cdn.example.com", "inside.example.com", "v6.example.com", "mapped.example.com"), DNS);

    @Test
    void httpsFromTheApiOrAnAllowedHostOnly() {
        assertThat(https.refusal(HttpUrl.get("https://api.example.com/files/a.mp4"))).isEmpty();
        assertThat(https.refusal(HttpUrl.get("https://cdn.example.com/a.mp4?sig=x"))).isEmpty();
        assertThat(https.refusal(HttpUrl.get("http://cdn.example.com/a.mp4"))).hasValue("not https");
        assertThat(https.refusal(HttpUrl.get("https://other.example.com/a.mp4"))).isPresent();
        assertThat(https.refusal(HttpUrl.get("https://203.0.113.10/a.mp4"))).as("not the API's name").isPresent();
    }

    @Test
    void httpOnlyWhenTheApiIsHttp() {
        DownloadGuard http = new DownloadGuard(HttpUrl.get("http://127.0.0.1:8080/"), List.of("127.0.0.1:9090"), DNS);
        assertThat(http.refusal(HttpUrl.get("http://127.0.0.1:8080/a.mp4"))).as("the simulator itself").isEmpty();
        assertThat(http.refusal(HttpUrl.get("http://127.0.0.1:9090/a.mp4"))).as("a listed port").isEmpty();
    }

    @Test
    void onlyTheApisOriginAndExactlyTheListedOrigins() {
        DownloadGuard local = new DownloadGuard(HttpUrl.get("http://127.0.0.1:8080/"), List.of(), DNS);
        assertThat(local.refusal(HttpUrl.get("http://127.0.0.1:9090/a.mp4"))).as("another port of the API's host")
                .hasValueSatisfying(why -> assertThat(why).contains("127.0.0.1:9090"));
        assertThat(local.refusal(HttpUrl.get("https://127.0.0.1:8080/a.mp4"))).as("another scheme").isPresent();

        assertThat(https.refusal(HttpUrl.get("https://api.example.com:8443/a.mp4"))).as("the API's host, not its port")
                .isPresent();
        assertThat(https.refusal(HttpUrl.get("https://cdn.example.com:443/a.mp4"))).as("the default port").isEmpty();
        assertThat(https.refusal(HttpUrl.get("https://cdn.example.com:8443/a.mp4"))).as("a port not listed")
                .isPresent();

        DownloadGuard ports = new DownloadGuard(HttpUrl.get("https://api.example.com/"),
                List.of("cdn.example.com:8443", "[2001:DB8:0::7]:9000", "[2001:db8::8]"), DNS);
        assertThat(ports.refusal(HttpUrl.get("https://cdn.example.com:8443/a.mp4"))).isEmpty();
        assertThat(ports.refusal(HttpUrl.get("https://cdn.example.com/a.mp4"))).as("443 is not 8443").isPresent();
        assertThat(ports.refusal(HttpUrl.get("https://[2001:db8::7]:9000/a.mp4"))).isEmpty();
        assertThat(ports.refusal(HttpUrl.get("https://[2001:db8::7]/a.mp4"))).isPresent();
        assertThat(ports.refusal(HttpUrl.get("https://[2001:db8::8]/a.mp4"))).isEmpty();
        assertThat(ports.refusal(HttpUrl.get("https://[2001:db8::8]:8443/a.mp4"))).isPresent();
    }

    @Test
    void aListedAddressOrNameThatIsInternalIsRefusedEvenWhereTheApiIs() throws Exception {
        // the API on loopback: a listed name that resolves there is still not the API's host
        DownloadGuard local = new DownloadGuard(HttpUrl.get("http://127.0.0.1:8080/"),
                List.of("localhost:8080", "[::1]:8080", "127.0.0.1:9090"), DNS);
        assertThatThrownBy(() -> local.dns().lookup("localhost")).isInstanceOf(DownloadGuard.AddressRefused.class);
        assertThat(local.refusal(HttpUrl.get("http://[::1]:8080/a.mp4"))).as("loopback, not the API's host")
                .isPresent();
        assertThat(local.refusal(HttpUrl.get("http://127.0.0.1:9090/a.mp4"))).as("the API's host, listed port")
                .isEmpty();
    }

    @Test
    void internalAddressesAreDroppedFromLookupsUnlessTheApiIsThere() throws Exception {
        assertThat(https.dns().lookup("cdn.example.com")).extracting(InetAddress::getHostAddress)
                .containsExactly("198.51.100.7");
        for (String host : List.of("inside.example.com", "v6.example.com", "mapped.example.com", "localhost")) {
            assertThatThrownBy(() -> https.dns().lookup(host)).as(host)
                    .isInstanceOf(DownloadGuard.AddressRefused.class);
        }
        DownloadGuard local = new DownloadGuard(HttpUrl.get("http://localhost:8080/"), List.of(), DNS);
        assertThat(local.dns().lookup("localhost")).as("the API itself is on loopback").hasSize(1);
        assertThatThrownBy(() -> local.dns().lookup("inside.example.com"))
                .isInstanceOf(DownloadGuard.AddressRefused.class);
    }

    @Test
    void whatCountsAsInternal() throws Exception {
        for (String a : List.of("127.0.0.1", "10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0",
                "100.64.0.1", "224.0.0.1", "::1", "::", "fe80::1", "fc00::1", "fd12::1", "ff02::1",
                "::ffff:169.254.169.254")) {
            assertThat(DownloadGuard.internal(InetAddress.getByName(a))).as(a).isTrue();
        }
        for (String a : List.of("8.8.8.8", "203.0.113.10", "2606:4700::1111")) {
            assertThat(DownloadGuard.internal(InetAddress.getByName(a))).as(a).isFalse();
        }
    }

    /** With a proxy on loopback (moved here from ProxyRoutingTest with the guard, which is the backend's own). */
    @Test
    void theDownloadGuardStillLetsTheClientReachAProxyOnLoopback() throws Exception {
        DownloadGuard guard = new DownloadGuard(HttpUrl.get("https://api.nemo.test/"), List.of(), Dns.SYSTEM);
        assertThatThrownBy(() -> guard.dns().lookup("127.0.0.1")).isInstanceOf(DownloadGuard.AddressRefused.class);
        ProxySettings proxy = ProxySettings.fromEnvironment(Map.of("HTTP_PROXY", "http://127.0.0.1:3128",
                "NO_PROXY", ""));
        Dns dns = ProxyRouting.exceptProxies(guard.dns(), Dns.SYSTEM, proxy);
        assertThat(dns.lookup("127.0.0.1")).containsExactly(InetAddress.getByName("127.0.0.1"));
        assertThatThrownBy(() -> dns.lookup("localhost")).as("any other internal name stays refused")
                .isInstanceOf(DownloadGuard.AddressRefused.class);
    }
}
