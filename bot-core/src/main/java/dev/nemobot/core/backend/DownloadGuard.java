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
 * Where a finished video may be downloaded from, the backend's answer being untrusted: https only (http too when the
 * API itself is http, as the simulator is), from the API's host or one the operator allowed
 * ({@code NEMO_DOWNLOAD_HOSTS}), and never from a private, loopback, link-local, unique-local, multicast or wildcard
 * address unless the API itself resolves to that address. The address check is in {@link #dns()}, so it holds for
 * the address actually connected to (a name that resolves differently the second time gains nothing), and for every
 * redirect hop; {@link #refusal} checks a URL before it is asked for. Thread-safe.
 */
public final class DownloadGuard {
    private final HttpUrl api;
    private final Set<String> hosts;
    private final Dns system;
    private final Dns guarded;

    /**
     * @param api          the backend's API base
     * @param allowedHosts further hosts videos may come from (lower case)
     * @param system       the resolver to check the answers of
     */
    public DownloadGuard(HttpUrl api, List<String> allowedHosts, Dns system) {
        this.api = Objects.requireNonNull(api, "api");
        this.system = Objects.requireNonNull(system, "system");
        Set<String> h = new HashSet<>();
        h.add(api.host().toLowerCase(Locale.ROOT));
        allowedHosts.forEach(x -> h.add(stripBrackets(x.toLowerCase(Locale.ROOT))));
        this.hosts = Set.copyOf(h);
        this.guarded = this::lookup;
    }

    /** An address a download must not reach; never carries the URL (it may hold a signature). */
    public static final class AddressRefused extends UnknownHostException {
        public AddressRefused(String message) {
            super(message);
        }
    }

    /** Why {@code url} may not be downloaded from, or empty when it may. */
    public Optional<String> refusal(HttpUrl url) {
        boolean https = url.scheme().equals("https");
        if (!https && !(url.scheme().equals("http") && api.scheme().equals("http"))) {
            return Optional.of("not https");
        }
        String host = url.host().toLowerCase(Locale.ROOT);
        if (!hosts.contains(host)) {
            return Optional.of("host " + host + " is neither the API's nor in NEMO_DOWNLOAD_HOSTS");
        }
        if (isLiteral(host)) {
            // an address in the URL is connected to without a lookup: check it here
            try {
                InetAddress a = InetAddress.getByName(host);
                if (internal(a) && !apiAddresses().contains(a)) {
                    return Optional.of("address " + a.getHostAddress() + " is internal");
                }
            } catch (UnknownHostException e) {
                return Optional.of("address " + host + " is not valid");
            }
        }
        return Optional.empty();
    }

    /** The resolver for downloads: {@code system}'s answers without the internal addresses the API is not at. */
    public Dns dns() {
        return guarded;
    }

    private List<InetAddress> lookup(String hostname) throws UnknownHostException {
        List<InetAddress> all = system.lookup(hostname);
        List<InetAddress> ok = new ArrayList<>(all.size());
        Set<InetAddress> apiAt = null;
        for (InetAddress a : all) {
            if (internal(a)) {
                if (apiAt == null) {
                    apiAt = apiAddresses();
                }
                if (!apiAt.contains(a)) {
                    continue;
                }
            }
            ok.add(a);
        }
        if (ok.isEmpty()) {
            throw new AddressRefused(hostname + " resolves only to internal addresses ("
                    + all.stream().map(InetAddress::getHostAddress).distinct().limit(3).toList() + ")");
        }
        return ok;
    }

    private Set<InetAddress> apiAddresses() {
        String host = api.host();
        try {
            return Set.copyOf(isLiteral(host) ? List.of(InetAddress.getByName(host)) : system.lookup(host));
        } catch (UnknownHostException e) {
            return Set.of();
        }
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

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
