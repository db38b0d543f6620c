package dev.nemobot.core.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Prepared statements kept per SQLite connection, keyed by their text. The SQLite driver compiles a statement from
 * its text on every {@code prepareStatement} (pgjdbc keeps its own cache; the pool keeps none): under load a third
 * of the store's writer thread went on compiling the same few statements again.
 *
 * <p>{@link #around} gives a view of a pooled connection whose {@code prepareStatement(String)} hands out the
 * connection's statement for that text, prepared once on the driver's own connection (so the pool does not close
 * it when the connection goes back); {@code close()} on it only clears its parameters for the next user. A
 * statement whose call failed is closed and prepared afresh next time. When the pool retires a connection, its
 * statements close with it and its entry goes with the connection (weak keys). A pooled connection serves one
 * thread at a time, so each connection's statements do too.
 */
final class StatementCache {
    private final Map<Connection, Map<String, PreparedStatement>> byConnection =
            Collections.synchronizedMap(new WeakHashMap<>());

    /** {@code pooled} with its statements cached; everything but {@code prepareStatement(String)} goes to it. */
    Connection around(Connection pooled) throws SQLException {
        Connection raw = pooled.unwrap(Connection.class);
        Map<String, PreparedStatement> statements = byConnection.computeIfAbsent(raw, k -> new HashMap<>());
        InvocationHandler h = (proxy, m, args) -> {
            if (m.getName().equals("prepareStatement") && args != null && args.length == 1
                    && args[0] instanceof String sql) {
                PreparedStatement ps = statements.get(sql);
                if (ps == null || ps.isClosed()) {
                    ps = raw.prepareStatement(sql);
                    statements.put(sql, ps);
                }
                return reusable(ps, () -> statements.remove(sql));
            }
            return invoke(pooled, m, args);
        };
        return (Connection) Proxy.newProxyInstance(StatementCache.class.getClassLoader(),
                new Class<?>[] {Connection.class}, h);
    }

    private static PreparedStatement reusable(PreparedStatement ps, Runnable evict) {
        InvocationHandler h = (proxy, m, args) -> {
            switch (m.getName()) {
                case "close" -> {
                    if (!ps.isClosed()) {
                        ps.clearParameters();
                    }
                    return null;
                }
                case "unwrap", "isWrapperFor" -> {
                    return invoke(ps, m, args);
                }
                default -> {
                    try {
                        return m.invoke(ps, args);
                    } catch (InvocationTargetException e) {
                        // left in an unknown state: prepared afresh next time
                        evict.run();
                        try {
                            ps.close();
                        } catch (SQLException ignored) {
                            // already failing; the caller gets the first error
                        }
                        throw e.getCause();
                    }
                }
            }
        };
        return (PreparedStatement) Proxy.newProxyInstance(StatementCache.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, h);
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
