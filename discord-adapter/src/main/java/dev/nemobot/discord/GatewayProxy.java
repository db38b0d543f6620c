package dev.nemobot.discord;

import com.neovisionaries.ws.client.WebSocketFactory;
import dev.nemobot.config.ProxySettings;
import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends the gateway's WebSocket through the configured proxy. JDA's WebSocket client (nv-websocket-client) speaks
 * HTTP CONNECT to an HTTP proxy itself, with Basic credentials; it has no SOCKS support, but opens its sockets with
 * {@code new Socket()}, which the JDK sends through a SOCKS proxy when the process-wide {@link ProxySelector} names
 * one for {@code socket://host:port}. So for a SOCKS5 proxy the gateway's hosts (the configured one and, for
 * Discord's own, every {@code *.discord.gg} host a resume may name) are registered with a process-wide selector that
 * answers for them only and passes every other address to the selector it replaced. The client resolves the
 * gateway's name itself before connecting, so over SOCKS5 that one name is looked up locally, not by the proxy.
 */
final class GatewayProxy {
    /** Discord's own gateway hosts, all under this domain. */
    private static final String DISCORD_GATEWAY_DOMAIN = "discord.gg";
    /** Host (or domain, with a leading dot) to the SOCKS proxy its sockets go through. */
    private static final Map<String, Proxy> SOCKS_HOSTS = new ConcurrentHashMap<>();

    private GatewayProxy() {
    }

    /** A WebSocket factory reaching {@code gateway} through {@code proxy} (unchanged when it is reached directly). */
    static WebSocketFactory factory(URI gateway, ProxySettings proxy) {
        WebSocketFactory factory = new WebSocketFactory();
        Optional<ProxySettings.Endpoint> endpoint = proxy.endpointFor(gateway);
        if (endpoint.isEmpty()) {
            return factory;
        }
        ProxySettings.Endpoint e = endpoint.get();
        if (e.kind() == ProxySettings.Kind.HTTP) {
            factory.getProxySettings().setHost(e.host()).setPort(e.port()).setSecure(false);
            e.credentials().ifPresent(c -> factory.getProxySettings()
                    .setCredentials(c.getUserName(), new String(c.getPassword())));
            return factory;
        }
        proxy.registerSocksCredentials();
        String host = gateway.getHost().toLowerCase(Locale.ROOT);
        SOCKS_HOSTS.put(host, e.proxy());
        if (host.equals(DISCORD_GATEWAY_DOMAIN) || host.endsWith("." + DISCORD_GATEWAY_DOMAIN)) {
            SOCKS_HOSTS.put("." + DISCORD_GATEWAY_DOMAIN, e.proxy());
        }
        synchronized (GatewayProxy.class) {
            ProxySelector current = ProxySelector.getDefault();
            if (!(current instanceof SocksForGateway)) {
                ProxySelector.setDefault(new SocksForGateway(current));
            }
        }
        return factory;
    }

    /** SOCKS for the registered gateway hosts' plain sockets; everything else as {@code previous} says. */
    private static final class SocksForGateway extends ProxySelector {
        private final ProxySelector previous;

        SocksForGateway(ProxySelector previous) {
            this.previous = previous;
        }

        @Override
        public List<Proxy> select(URI uri) {
            if ("socket".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null) {
                String host = uri.getHost().toLowerCase(Locale.ROOT);
                Proxy p = SOCKS_HOSTS.get(host);
                int dot = host.indexOf('.');
                while (p == null && dot >= 0) {
                    p = SOCKS_HOSTS.get(host.substring(dot));
                    dot = host.indexOf('.', dot + 1);
                }
                if (p != null) {
                    return List.of(p);
                }
            }
            return previous == null ? List.of(Proxy.NO_PROXY) : previous.select(uri);
        }

        @Override
        public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
            if (previous != null) {
                previous.connectFailed(uri, sa, ioe);
            }
        }
    }
}
