package dev.nemobot.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/** Anonymous accounts, their tokens and credits. Thread-safe (one monitor). */
final class Accounts {
    static final Duration TOKEN_LIFE = Duration.ofDays(7);

    /** One client id's account: credits survive token renewal. Fields guarded by the Accounts monitor. */
    static final class Account {
        final String clientId;
        final String bindId;
        long available;
        long frozen;

        Account(String clientId, String bindId, long available) {
            this.clientId = clientId;
            this.bindId = bindId;
            this.available = available;
        }
    }

    record Token(String value, Account account, Instant expiresAt, long epoch) {
    }

    private final Env env;
    private final Map<String, Token> byValue = new HashMap<>();
    private final Map<String, Token> byClient = new HashMap<>();
    private final Map<String, Account> accounts = new HashMap<>();
    private final Map<String, Deque<Instant>> newClientsByIp = new HashMap<>();

    Accounts(Env env) {
        this.env = env;
    }

    synchronized Token issue(String clientId, String ip) {
        Instant now = env.now();
        Token current = byClient.get(clientId);
        if (current != null && !expired(current, now)) {
            throw new ApiException(429, "a token was already issued to this client and is still valid");
        }
        Account account = accounts.get(clientId);
        if (account == null) {
            Deque<Instant> recent = newClientsByIp.computeIfAbsent(ip, k -> new ArrayDeque<>());
            Instant windowStart = now.minus(TOKEN_LIFE);
            while (!recent.isEmpty() && !recent.peekFirst().isAfter(windowStart)) {
                recent.removeFirst();
            }
            if (recent.size() >= env.config.tokensPerIp()) {
                throw new ApiException(429, "too many new clients from this address, try again later");
            }
            recent.addLast(now);
            account = new Account(clientId, "bind_" + env.hex(8), env.config.startCredits());
            accounts.put(clientId, account);
        }
        Token token = new Token("nmv_usr_" + env.hex(16), account, now.plus(TOKEN_LIFE), env.faults.expiryEpoch());
        byValue.put(token.value(), token);
        byClient.put(clientId, token);
        return token;
    }

    /** Every token issued so far, renewals included. */
    synchronized int issued() {
        return byValue.size();
    }

    /** The token of an {@code Authorization: Bearer …} header; 1001 when missing, unknown or expired. */
    synchronized Token authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(1001, "missing or malformed token");
        }
        Token token = byValue.get(authorization.substring(7).trim());
        if (token == null) {
            throw new ApiException(1001, "unknown token");
        }
        if (expired(token, env.now())) {
            throw new ApiException(1001, "token expired");
        }
        return token;
    }

    private boolean expired(Token t, Instant now) {
        return !now.isBefore(t.expiresAt()) || env.faults.tokenExpired(t.value(), t.epoch());
    }

    /** Freezes {@code cost} credits for a turn; 2001 (with {@code data.bind_id}) when there are not enough. */
    synchronized void reserve(Account a, int cost) {
        if (a.available < cost) {
            ObjectNode data = Json.obj();
            data.put("bind_id", a.bindId);
            data.put("available", a.available);
            data.put("required", cost);
            throw new ApiException(2001, "not enough credits", data, 0);
        }
        a.available -= cost;
        a.frozen += cost;
    }

    /** The turn ended: frozen credits are spent. */
    synchronized void settle(Account a, int cost) {
        a.frozen = Math.max(0, a.frozen - cost);
    }

    synchronized ObjectNode balance(Account a) {
        ObjectNode data = Json.obj();
        data.put("available", a.available);
        data.put("frozen", a.frozen);
        data.put("total", a.available + a.frozen);
        return data;
    }

    synchronized long available(String token) {
        Token t = byValue.get(token);
        if (t == null) {
            throw new IllegalArgumentException("unknown token");
        }
        return t.account().available;
    }

    synchronized long available(Account a) {
        return a.available;
    }
}
