package dev.nemobot.core.net;

import java.io.IOException;

/**
 * The proxy refused the connection (its login is wrong or missing). The message names the setting and the proxy
 * with its login masked, and holds no URL of the request: it may be shown as it is.
 */
public final class ProxyRefused extends IOException {
    ProxyRefused(String message) {
        super(message);
    }
}
