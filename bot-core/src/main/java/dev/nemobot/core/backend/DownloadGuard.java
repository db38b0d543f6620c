package dev.nemobot.core.backend;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import okhttp3.Dns;
import okhttp3.HttpUrl;

/**
 * Where a finished video may be downloaded from, the backend's answer being untrusted: the API's own origin (its
 * scheme, host and port), or exactly an origin the operator listed in {@code NEMO_DOWNLOAD_HOSTS} ({@code host} for
 * the scheme's default port, {@code host:port} for another; https only, http too when the API itself is http, as the
 * simulator is); never another port of an allowed host. Never from a private, loopback, link-local, unique-local,
 * multicast or wildcard address unless the URL's host is the API's own host (as {@code NEMO_API_URL} names it): a
 * listed name that resolves to such an address, even the API's, is refused. The address check is in {@link #dns()},
 * so it holds for the address actually connected to (a name that resolves differently the second time gains
 * nothing), and for every redirect hop; {@link #refusal} checks a URL before it is asked for. Thread-safe.
 */
final class DownloadGuard {
    private final HttpUrl api;
    /** The listed origins: host (canonical, lower case, an IPv6 address without brackets) and port, or -1 for the default. */
    private final Set<Listed> listed;
    private final Dns system;
    private final Dns guarded;

    /** A {@code NEMO_DOWNLOAD_HOSTS} entry: a host, and its port (-1: the scheme's default). */
    private record Listed(String host, int port) {
    }

    /**
     * @param api          the backend's API base
     * @param allowedHosts further origins videos may come from: {@code host} or {@code host:port} (an IPv6 address
     *                     in brackets), as {@code NEMO_DOWNLOAD_HOSTS} gives them
     * @param system       the resolver to check the answers of
     */
    public DownloadGuard(HttpUrl api, List<String> allowedHosts, Dns system) {
        this.api = Objects.requireNonNull(api, "api");
        this.system = Objects.requireNonNull(system, "system");
        Set<Listed> l = new HashSet<>();
        for (String entry : allowedHosts) {
            l.add(parse(entry));
        }
        this.listed = Set.copyOf(l);
        this.guarded = this::lookup;
    }

    /** {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}, the host made canonical as URLs have it. */
    private static Listed parse(String entry) {
        String e = entry.strip().toLowerCase(Locale.ROOT);
        int port = -1;
        int colon = e.lastIndexOf(':');
        if (colon > e.lastIndexOf(']') && (e.startsWith("[") || e.indexOf(':') == colon)) {
            try {
                port = Integer.parseInt(e.substring(colon + 1));
            } catch (NumberFormatException bad) {
                throw new IllegalArgumentException("not host or host:port: " + entry);
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("not a port: " + entry);
            }
            e = e.substring(0, colon);
        }
        HttpUrl u = HttpUrl.parse("http://" + (e.contains(":") && !e.startsWith("[") ? "[" + e + "]" : e) + "/");
        if (u == null) {
            throw new IllegalArgumentException("not host or host:port: " + entry);
        }
        return new Listed(u.host(), port);
    }

    /** An address a download must not reach; never carries the URL (it may hold a signature). */
    public static final class AddressRefused extends UnknownHostException {
        public AddressRefused(String message) {
            super(message);
        }
    }

    /** Why {@code url} may not be downloaded from, or empty when it may. */
    public Optional<String> refusal(HttpUrl url) {
        String host = url.host().toLowerCase(Locale.ROOT);
        boolean apiOrigin = url.scheme().equals(api.scheme()) && host.equals(apiHost()) && url.port() == api.port();
        if (!apiOrigin) {
            boolean https = url.scheme().equals("https");
            if (!https && !(url.scheme().equals("http") && api.scheme().equals("http"))) {
                return Optional.of("not https");
            }
            int defaultPort = HttpUrl.defaultPort(url.scheme());
            boolean isListed = listed.contains(new Listed(host, url.port()))
                    || (url.port() == defaultPort && listed.contains(new Listed(host, -1)));
            if (!isListed) {
                return Optional.of(hostAndPort(url) + " is neither the API's origin nor in NEMO_DOWNLOAD_HOSTS");
            }
        }
        if (isLiteral(host) && !host.equals(apiHost())) {
            // an address in the URL is connected to without a lookup: check it here
            try {
                InetAddress a = InetAddress.getByName(host);
                if (internal(a)) {
                    return Optional.of("address " + a.getHostAddress() + " is internal");
                }
            } catch (UnknownHostException e) {
                return Optional.of("address " + host + " is not valid");
            }
        }
        return Optional.empty();
    }

    private static String hostAndPort(HttpUrl url) {
        String h = url.host();
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + url.port();
    }

    private String apiHost() {
        return api.host().toLowerCase(Locale.ROOT);
    }

    /** The resolver for downloads: {@code system}'s answers without the internal addresses the API is not at. */
    public Dns dns() {
        return guarded;
    }

    private List<InetAddress> lookup(String hostname) throws UnknownHostException {
        List<InetAddress> all = system.lookup(hostname);
        if (hostname.equalsIgnoreCase(api.host())) {
            return all; // the API's own host: where we send our token anyway
        }
        List<InetAddress> ok = new ArrayList<>(all.size());
        for (InetAddress a : all) {
            if (!internal(a)) {
                ok.add(a);
            }
        }
        if (ok.isEmpty()) {
            throw new AddressRefused(hostname + " resolves only to internal addresses ("
                    + all.stream().map(InetAddress::getHostAddress).distinct().limit(3).toList() + ")");
        }
        return ok;
    }

    /** Not a public unicast address: loopback, private, link-local, unique-local (fc00::/7), multicast, wildcard. */
    static boolean internal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xFE) == 0xFC) {
                return true; // unique local
            }
            if (isMappedV4(b)) {
                try {
                    return internal(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
            return false;
        }
        int first = b[0] & 0xFF;
        int second = b[1] & 0xFF;
        // 0.0.0.0/8 ("this network"), 100.64.0.0/10 (carrier-grade NAT), 192.0.0.0/24, 198.18.0.0/15 (benchmarks)
        return first == 0 || (first == 100 && (second & 0xC0) == 64) || (first == 192 && second == 0 && b[2] == 0)
                || (first == 198 && (second & 0xFE) == 18) || first >= 240;
    }

    private static boolean isMappedV4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
    }

    private static boolean isLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }
}
