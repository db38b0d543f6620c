package dev.nemobot.config;

import java.io.IOException;
import java.net.IDN;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * The outbound proxy, read from the conventional environment variables as curl reads them: {@code HTTPS_PROXY} for
 * https and wss addresses, {@code HTTP_PROXY} for http and ws, {@code ALL_PROXY} for either when the specific one is
 * unset, and {@code NO_PROXY} for the hosts reached directly; the lower-case names win over the upper-case ones. A
 * proxy is {@code http://[user:password@]host[:port]} (HTTP, with CONNECT for TLS) or
 * {@code socks5://} / {@code socks5h://[user:password@]host[:port]} (SOCKS5; the port defaults to 1080 as in curl).
 * The password never appears in a message: {@link Endpoint#toString()} shows {@code ***} for the user-info.
 * Immutable and thread-safe.
 */
public final class ProxySettings {
    /** The variables read, each also in lower case. */
    public static final List<String> VARIABLES = List.of("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY");
    private static final int DEFAULT_PORT = 1080;
    private static final ProxySettings NONE = new ProxySettings(Optional.empty(), Optional.empty(), Optional.empty(),
            List.of());
    /** The credentials of every proxy in use in this process, for the JDK's SOCKS5 client. */
    private static final Collection<Endpoint> SOCKS_CREDENTIALS = new CopyOnWriteArrayList<>();

    /** How a proxy is spoken to. */
    public enum Kind {
        /** An HTTP proxy: CONNECT for TLS (and WebSocket), absolute URLs for plain http. */
        HTTP,
        /** A SOCKS5 proxy, which resolves the host names OkHttp gives it. */
        SOCKS5
    }

    /**
     * One proxy.
     *
     * @param setting  the variable it came from ({@code HTTPS_PROXY}, or {@code https_proxy} when that was set)
     * @param password present when the URL has a user
     */
    public record Endpoint(String setting, Kind kind, String host, int port, Optional<String> user,
                           Optional<Secret> password) {
        public Endpoint {
            Objects.requireNonNull(setting, "setting");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
        }

        /** The JDK's description of it, with an unresolved address (the proxy's name is looked up when used). */
        public Proxy proxy() {
            return new Proxy(kind == Kind.HTTP ? Proxy.Type.HTTP : Proxy.Type.SOCKS,
                    InetSocketAddress.createUnresolved(host, port));
        }

        /** Whether {@code address} is this proxy's. */
        public boolean isAt(String otherHost, int otherPort) {
            return otherPort == port && otherHost != null && otherHost.equalsIgnoreCase(host);
        }

        /** {@code user:password} for a Basic {@code Proxy-Authorization}, when the URL has a user. */
        public Optional<PasswordAuthentication> credentials() {
            return user.map(u -> new PasswordAuthentication(u,
                    password.map(p -> p.reveal().toCharArray()).orElse(new char[0])));
        }

        /** E.g. {@code HTTPS_PROXY=http://***@proxy.example.com:3128}: never the user or password. */
        @Override
        public String toString() {
            String h = host.contains(":") ? "[" + host + "]" : host;
            return setting + "=" + (kind == Kind.HTTP ? "http" : "socks5") + "://" + (user.isPresent() ? "***@" : "")
                    + h + ":" + port;
        }
    }

    private final Optional<Endpoint> http;
    private final Optional<Endpoint> https;
    private final Optional<Endpoint> all;
    private final List<NoProxyRule> noProxy;

    private ProxySettings(Optional<Endpoint> http, Optional<Endpoint> https, Optional<Endpoint> all,
                          List<NoProxyRule> noProxy) {
        this.http = http;
        this.https = https;
        this.all = all;
        this.noProxy = List.copyOf(noProxy);
    }

    /** Every connection direct. */
    public static ProxySettings none() {
        return NONE;
    }

    /** Reads {@link #VARIABLES} (lower case first) from {@code env}; a malformed value fails naming the variable. */
    public static ProxySettings fromEnvironment(Map<String, String> env) {
        Optional<Endpoint> http = endpoint(env, "HTTP_PROXY");
        Optional<Endpoint> https = endpoint(env, "HTTPS_PROXY");
        Optional<Endpoint> all = endpoint(env, "ALL_PROXY");
        if (http.isEmpty() && https.isEmpty() && all.isEmpty()) {
            return NONE;
        }
        List<NoProxyRule> rules = variable(env, "NO_PROXY")
                .map(v -> NoProxyRule.parse(v.value(), v.name())).orElse(List.of());
        return new ProxySettings(http, https, all, rules);
    }

    /** True when no proxy is configured. */
    public boolean isEmpty() {
        return http.isEmpty() && https.isEmpty() && all.isEmpty();
    }

    /**
     * The proxy for {@code uri} ({@code http}, {@code https}, {@code ws} or {@code wss}), or empty for a direct
     * connection (no proxy for that scheme, or the host matches {@code NO_PROXY}).
     */
    public Optional<Endpoint> endpointFor(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Optional<Endpoint> specific = switch (scheme) {
            case "https", "wss" -> https;
            case "http", "ws" -> http;
            default -> Optional.empty();
        };
        Optional<Endpoint> chosen = specific.or(() -> all);
        if (chosen.isEmpty() || uri.getHost() == null) {
            return Optional.empty();
        }
        int port = uri.getPort() != -1 ? uri.getPort() : switch (scheme) {
            case "https", "wss" -> 443;
            default -> 80;
        };
        String host = bare(uri.getHost());
        return noProxy.stream().anyMatch(r -> r.matches(host, port)) ? Optional.empty() : chosen;
    }

    /** The configured proxy at {@code host:port}, if any (to answer its authentication challenge). */
    public Optional<Endpoint> endpointAt(String host, int port) {
        return Stream.of(https, http, all).flatMap(Optional::stream).filter(e -> e.isAt(bare(host), port)).findFirst();
    }

    /** Whether {@code host} is the host name (or address) of a configured proxy. */
    public boolean isProxyHost(String host) {
        return Stream.of(https, http, all).flatMap(Optional::stream).anyMatch(e -> e.host().equals(bare(host)));
    }

    /**
     * A selector answering {@link #endpointFor} for http(s) and ws(s) addresses and "direct" for anything else; for
     * OkHttp's {@code proxySelector}.
     */
    public ProxySelector selector() {
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                return List.of(endpointFor(uri).map(Endpoint::proxy).orElse(Proxy.NO_PROXY));
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
                // the client reports the failure itself; there is no other proxy to fall back to
            }
        };
    }

    /**
     * Fails, in one line naming the variable (never the password), when the proxy that {@code targets} would go
     * through cannot be connected to within {@code timeout}: a wrong address is refused at start rather than
     * leaving every call to hang or fail later.
     *
     * @throws ConfigException naming the setting, the masked proxy and why
     */
    public void checkReachable(Collection<URI> targets, Duration timeout) {
        Set<Endpoint> used = new LinkedHashSet<>();
        targets.forEach(t -> endpointFor(t).ifPresent(used::add));
        for (Endpoint e : used) {
            String why;
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(e.host(), e.port()), (int) timeout.toMillis());
                continue;
            } catch (UnknownHostException ex) {
                why = "its host name does not resolve";
            } catch (SocketTimeoutException ex) {
                why = "no answer within " + timeout.toSeconds() + " s";
            } catch (IOException ex) {
                why = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage().toLowerCase(Locale.ROOT);
            }
            throw new ConfigException(e + " cannot be reached (" + why + "): every connection to Telegram, Discord "
                    + "and the NemoVideo API goes through it. Fix the address, or unset " + e.setting());
        }
    }

    /**
     * Makes the JDK's SOCKS5 client (used by OkHttp and by WebSockets for a {@code socks5://} proxy) log in to
     * the SOCKS5 proxies among {@code endpoints} with their user and password. Java offers no per-connection
     * SOCKS credentials, only the process-wide {@link java.net.Authenticator}: this installs one that answers SOCKS5
     * requests for these proxies only and passes every other request to the authenticator it replaces.
     */
    public void registerSocksCredentials() {
        List<Endpoint> socks = new ArrayList<>();
        for (Optional<Endpoint> e : List.of(http, https, all)) {
            e.filter(x -> x.kind() == Kind.SOCKS5 && x.user().isPresent()).ifPresent(socks::add);
        }
        if (socks.isEmpty()) {
            return;
        }
        synchronized (SOCKS_CREDENTIALS) {
            socks.stream().filter(e -> !SOCKS_CREDENTIALS.contains(e)).forEach(SOCKS_CREDENTIALS::add);
            java.net.Authenticator previous = java.net.Authenticator.getDefault();
            if (!(previous instanceof SocksAuthenticator)) {
                java.net.Authenticator.setDefault(new SocksAuthenticator(previous));
            }
        }
    }

    /** Answers the JDK's SOCKS5 client for the registered proxies; everything else goes to the one it replaced. */
    private static final class SocksAuthenticator extends java.net.Authenticator {
        private final java.net.Authenticator previous;

        SocksAuthenticator(java.net.Authenticator previous) {
            this.previous = previous;
        }

        @Override
        protected PasswordAuthentication getPasswordAuthentication() {
            if ("SOCKS5".equals(getRequestingProtocol())) {
                for (Endpoint e : SOCKS_CREDENTIALS) {
                    if (e.isAt(getRequestingHost(), getRequestingPort())) {
                        return e.credentials().orElse(null);
                    }
                }
            }
            if (previous == null) {
                return null;
            }
            return previous.requestPasswordAuthenticationInstance(getRequestingHost(), getRequestingSite(),
                    getRequestingPort(), getRequestingProtocol(), getRequestingPrompt(), getRequestingScheme(),
                    getRequestingURL(), getRequestorType());
        }
    }

    private record Variable(String name, String value) {
    }

    /** The lower-case variable when set (as curl prefers it), else the upper-case one; blank counts as unset. */
    private static Optional<Variable> variable(Map<String, String> env, String upper) {
        String lower = upper.toLowerCase(Locale.ROOT);
        String v = env.get(lower);
        String name = lower;
        if (v == null) {
            v = env.get(upper);
            name = upper;
        }
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(new Variable(name, v.strip()));
    }

    private static Optional<Endpoint> endpoint(Map<String, String> env, String upper) {
        return variable(env, upper).map(v -> parse(v.name(), v.value()));
    }

    static Endpoint parse(String key, String raw) {
        String expected = "a proxy URL such as http://proxy.example.com:3128, http://user:password@proxy:3128 or "
                + "socks5://127.0.0.1:1080";
        String v = raw.contains("://") ? raw : "http://" + raw; // curl takes a bare host:port as an HTTP proxy
        URI uri;
        try {
            uri = new URI(v);
        } catch (URISyntaxException e) {
            throw invalid(key, raw, expected);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        Kind kind = switch (scheme) {
            case "http" -> Kind.HTTP;
            case "socks5", "socks5h" -> Kind.SOCKS5;
            case "https" -> throw invalid(key, raw, "an http:// or socks5:// proxy: a proxy spoken to over TLS "
                    + "(https://) is not supported; an http:// proxy still carries TLS end to end through CONNECT");
            case "socks4", "socks4a", "socks" -> throw invalid(key, raw, "an http:// or socks5:// proxy: SOCKS4 is "
                    + "not supported");
            default -> throw invalid(key, raw, expected);
        };
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (uri.getHost() == null || !(path.isEmpty() || path.equals("/")) || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw invalid(key, raw, expected + " (a host, no path)");
        }
        if (uri.getPort() == 0) {
            throw invalid(key, raw, expected + " (a port from 1 to 65535)");
        }
        Optional<String> user = Optional.empty();
        Optional<Secret> password = Optional.empty();
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            String u = decode(colon < 0 ? info : info.substring(0, colon));
            String p = colon < 0 ? "" : decode(info.substring(colon + 1));
            if (u.isEmpty()) {
                throw invalid(key, raw, expected + " (a user before the password)");
            }
            if (kind == Kind.SOCKS5 && (u.length() > 255 || p.getBytes(StandardCharsets.UTF_8).length > 255)) {
                throw invalid(key, raw, "a SOCKS5 user and password of at most 255 bytes each");
            }
            user = Optional.of(u);
            password = p.isEmpty() ? Optional.empty() : Optional.of(Secret.of(p));
        }
        return new Endpoint(key, kind, bare(uri.getHost()), uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort(), user,
                password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Never repeats a value holding credentials. */
    private static ConfigException invalid(String key, String raw, String expected) {
        return raw.contains("@") ? ConfigException.invalidSecret(key, expected) : ConfigException.invalid(key, raw, expected);
    }

    private static String bare(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        h = h.toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /**
     * One {@code NO_PROXY} entry, as curl reads them: {@code *} (everything), a host name matching itself and its
     * sub-domains (a leading {@code .} or {@code *.} is the same), an IP address or CIDR range (matched against an
     * address in the URL, never looked up), each with an optional {@code :port}.
     */
    private record NoProxyRule(String host, int port, byte[] network, int prefix) {
        static List<NoProxyRule> parse(String value, String key) {
            List<NoProxyRule> out = new ArrayList<>();
            for (String part : value.split("[,\\s]+")) {
                String e = part.strip().toLowerCase(Locale.ROOT);
                if (e.isEmpty()) {
                    continue;
                }
                if (e.equals("*")) {
                    out.add(new NoProxyRule("*", -1, null, 0));
                    continue;
                }
                int port = -1;
                String host = e;
                if (host.startsWith("[")) {
                    int close = host.indexOf(']');
                    if (close < 0) {
                        throw ConfigException.invalid(key, value, "host names, IP addresses or CIDR ranges separated "
                                + "by commas, such as localhost,.example.com,10.0.0.0/8,[::1]");
                    }
                    String rest = host.substring(close + 1);
                    port = rest.startsWith(":") ? port(rest.substring(1), key, value) : -1;
                    host = host.substring(1, close) + (rest.startsWith("/") ? rest : "");
                } else if (host.chars().filter(c -> c == ':').count() == 1) {
                    int colon = host.indexOf(':');
                    port = port(host.substring(colon + 1), key, value);
                    host = host.substring(0, colon);
                }
                if (host.startsWith("*.")) {
                    host = host.substring(2);
                } else if (host.startsWith(".")) {
                    host = host.substring(1);
                }
                if (host.endsWith(".")) {
                    host = host.substring(0, host.length() - 1);
                }
                int slash = host.indexOf('/');
                String addressPart = slash < 0 ? host : host.substring(0, slash);
                byte[] network = literal(addressPart);
                int prefix = network == null ? 0 : network.length * 8;
                if (slash >= 0) {
                    if (network == null) {
                        throw ConfigException.invalid(key, value, "a CIDR range such as 10.0.0.0/8");
                    }
                    prefix = port(host.substring(slash + 1), key, value);
                    if (prefix > network.length * 8) {
                        throw ConfigException.invalid(key, value, "a CIDR prefix of at most " + network.length * 8);
                    }
                }
                if (!host.isEmpty()) {
                    out.add(new NoProxyRule(network == null ? IDN.toASCII(host, IDN.ALLOW_UNASSIGNED) : addressPart,
                            port, network, prefix));
                }
            }
            return out;
        }

        private static int port(String s, String key, String value) {
            try {
                int p = Integer.parseInt(s);
                if (p >= 0 && p <= 65535) {
                    return p;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw ConfigException.invalid(key, value, "host names with an optional :port, such as localhost:8080");
        }

        boolean matches(String h, int p) {
            if (port != -1 && port != p) {
                return false;
            }
            if (host.equals("*")) {
                return true;
            }
            if (network != null) {
                byte[] a = literal(h);
                return a != null && a.length == network.length && samePrefix(a, network, prefix);
            }
            return h.equals(host) || h.endsWith("." + host);
        }

        private static boolean samePrefix(byte[] a, byte[] b, int bits) {
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((a[i / 8] & mask) != (b[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        /** The bytes of an IPv4 or IPv6 literal, or null for a host name (never looked up). */
        private static byte[] literal(String h) {
            boolean v4 = h.matches("\\d{1,3}(\\.\\d{1,3}){3}");
            boolean v6 = h.contains(":") && h.matches("[0-9a-f:.]+");
            if (!v4 && !v6) {
                return null;
            }
            try {
                return InetAddress.getByName(h).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
    }
}
