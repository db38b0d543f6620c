package dev.nemobot.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nemobot.config.ProxySettings;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real OkHttp client against a MockWebServer playing an HTTP proxy on 127.0.0.1. */
class ProxyRoutingTest {
    private final MockWebServer proxyServer = new MockWebServer();

    @BeforeEach
    void start() throws IOException {
        proxyServer.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        proxyServer.close();
    }

    private ProxySettings proxy(String login) {
        return ProxySettings.fromEnvironment(Map.of("HTTP_PROXY",
                "http://" + login + "127.0.0.1:" + proxyServer.getPort(), "NO_PROXY", ""));
    }

    private OkHttpClient client(ProxySettings proxy) {
        return ProxyRouting.apply(new OkHttpClient.Builder(), proxy).build();
    }

    private static Request post(String url) {
        // one-shot, as every request of the backend client is: OkHttp would not send it again after a 407
        return new Request.Builder().url(url).post(new RequestBody() {
            @Override
            public okhttp3.MediaType contentType() {
                return null;
            }

            @Override
            public boolean isOneShot() {
                return true;
            }

            @Override
            public void writeTo(okio.BufferedSink sink) throws IOException {
                sink.writeUtf8("{}");
            }
        }).build();
    }

    @Test
    void aPlainHttpRequestGoesToTheProxyByUrlWithItsLoginAtOnce() throws Exception {
        proxyServer.enqueue(new MockResponse.Builder().code(200).body("ok").build());
        try (Response r = client(proxy("bob:s%40cret@")).newCall(post("http://nemo.test:8080/api/x")).execute()) {
            assertThat(r.body().string()).isEqualTo("ok");
        }
        RecordedRequest seen = proxyServer.takeRequest();
        assertThat(seen.getTarget()).as("asked by URL").isEqualTo("http://nemo.test:8080/api/x");
        assertThat(seen.getHeaders().get("Proxy-Authorization"))
                .isEqualTo(okhttp3.Credentials.basic("bob", "s@cret"));
    }

    @Test
    void aRefusedLoginIsOneMessageNamingTheMaskedSettingNotTheServersAnswer() {
        proxyServer.enqueue(new MockResponse.Builder().code(407)
                .addHeader("Proxy-Authenticate", "Basic realm=\"p\"").build());
        assertThatThrownBy(() -> client(proxy("bob:wrong@")).newCall(post("http://nemo.test/api/x")).execute())
                .isInstanceOf(ProxyRefused.class)
                .hasMessage("HTTP_PROXY=http://***@127.0.0.1:" + proxyServer.getPort() + " refused its login (HTTP 407)");
        assertThat(proxyServer.getRequestCount()).as("the one-shot request went once").isEqualTo(1);
    }

    @Test
    void aProxyAskingForALoginNoneIsGivenSaysSo() {
        proxyServer.enqueue(new MockResponse.Builder().code(407)
                .addHeader("Proxy-Authenticate", "Basic realm=\"p\"").build());
        assertThatThrownBy(() -> client(proxy("")).newCall(new Request.Builder().url("http://nemo.test/").build())
                .execute())
                .isInstanceOf(ProxyRefused.class).hasMessageContaining("asks for a login (HTTP 407)");
    }

    @Test
    void withoutAProxyNothingChanges() throws Exception {
        proxyServer.enqueue(new MockResponse.Builder().code(200).body("direct").build());
        HttpUrl url = proxyServer.url("/x");
        try (Response r = client(ProxySettings.none()).newCall(new Request.Builder().url(url).build()).execute()) {
            assertThat(r.body().string()).isEqualTo("direct");
        }
        RecordedRequest seen = proxyServer.takeRequest();
        assertThat(seen.getTarget()).isEqualTo("/x");
        assertThat(seen.getHeaders().get("Proxy-Authorization")).isNull();
    }
}
