package dev.nemobot.core.net;

import dev.nemobot.config.ProxySettings;
import java.net.InetSocketAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import okhttp3.Authenticator;
import okhttp3.Connection;
import okhttp3.Credentials;
import okhttp3.Dns;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.Route;

/**
 * The one place an OkHttp client is sent through the configured proxy (every OkHttp client of the bot: the NemoVideo
 * API and render downloads, the Telegram Bot API and its files, Discord's REST and CDN). An HTTP proxy gets the
 * URL's user and password as Basic {@code Proxy-Authorization}, sent with the CONNECT at once and never again after
 * the proxy refused them; a SOCKS5 proxy gets them through the JDK's SOCKS client
 * ({@link ProxySettings#registerSocksCredentials}). Host names are resolved by the proxy in both cases.
 */
public final class ProxyRouting {
    /** The challenge of the 407 OkHttp makes up to offer a login before each CONNECT. */
    private static final String PREEMPTIVE = "OkHttp-Preemptive";

    private ProxyRouting() {
    }

    /** {@code builder} with {@code proxy}'s selector and credentials; unchanged when no proxy is configured. */
    public static OkHttpClient.Builder apply(OkHttpClient.Builder builder, ProxySettings proxy) {
        Objects.requireNonNull(builder, "builder");
        Objects.requireNonNull(proxy, "proxy");
        if (proxy.isEmpty()) {
            return builder;
        }
        proxy.registerSocksCredentials();
        return builder.proxySelector(proxy.selector()).proxyAuthenticator(new Login(proxy))
                .addNetworkInterceptor(new PlainLogin(proxy));
    }

    /**
     * {@code guarded}, except for the proxies' own host names, which {@code system} resolves: a resolver refusing
     * internal addresses (the download guard) must still let the client reach a proxy on 127.0.0.1 or the LAN. The
     * downloads' host names then go to the proxy unresolved, and the proxy picks the address.
     */
    public static Dns exceptProxies(Dns guarded, Dns system, ProxySettings proxy) {
        if (proxy.isEmpty()) {
            return guarded;
        }
        return hostname -> proxy.isProxyHost(hostname) ? system.lookup(hostname) : guarded.lookup(hostname);
    }

    /**
     * The login sent with each plain-http request an HTTP proxy forwards, before it asks: the backend's requests are
     * one-shot (never sent twice), and OkHttp answers a 407 only by sending the request again. Never on an https
     * request, which goes through a tunnel to the server itself: the header would reach the server.
     */
    private record PlainLogin(ProxySettings proxy) implements Interceptor {
        @Override
        public Response intercept(Chain chain) throws IOException {
            Request request = chain.request();
            Connection connection = chain.connection();
            if (request.isHttps() || connection == null || request.header("Proxy-Authorization") != null) {
                return chain.proceed(request);
            }
            Optional<String> login = basic(proxy, connection.route());
            Response response = chain.proceed(login.map(l -> request.newBuilder().header("Proxy-Authorization", l)
                    .build()).orElse(request));
            if (response.code() == 407 && connection.route().proxy().type() == java.net.Proxy.Type.HTTP) {
                // an answer of the proxy's, not the server's: say so rather than hand it on as the server's reply
                response.close();
                throw refused(proxy, connection.route(), login.isPresent());
            }
            return response;
        }
    }

    private static ProxyRefused refused(ProxySettings proxy, Route route, boolean loginSent) {
        String which = route != null && route.proxy().address() instanceof InetSocketAddress at
                ? proxy.endpointAt(at.getHostString(), at.getPort()).map(String::valueOf).orElse("the proxy")
                : "the proxy";
        return new ProxyRefused(which + (loginSent ? " refused its login (HTTP 407)"
                : " asks for a login (HTTP 407): put user:password@ in its URL"));
    }

    /** Basic credentials of the HTTP proxy {@code route} goes through, if it has a login. */
    private static Optional<String> basic(ProxySettings proxy, Route route) {
        if (route == null || route.proxy().type() != java.net.Proxy.Type.HTTP
                || !(route.proxy().address() instanceof InetSocketAddress at)) {
            return Optional.empty();
        }
        return proxy.endpointAt(at.getHostString(), at.getPort())
                .filter(e -> e.kind() == ProxySettings.Kind.HTTP)
                .flatMap(ProxySettings.Endpoint::credentials)
                .map(l -> Credentials.basic(l.getUserName(), new String(l.getPassword()), StandardCharsets.UTF_8));
    }

    /** Basic credentials for the HTTP proxy that asked, once per request. */
    private record Login(ProxySettings proxy) implements Authenticator {
        @Override
        public Request authenticate(Route route, Response response) throws IOException {
            if (response.request().header("Proxy-Authorization") != null) {
                throw refused(proxy, route, true); // refused with these credentials already
            }
            Optional<String> login = basic(proxy, route);
            if (login.isEmpty()) {
                if (PREEMPTIVE.equals(response.header("Proxy-Authenticate"))) {
                    return null; // OkHttp offers a login before a CONNECT: none is configured
                }
                throw refused(proxy, route, false);
            }
            return response.request().newBuilder().header("Proxy-Authorization", login.get()).build();
        }
    }
}
