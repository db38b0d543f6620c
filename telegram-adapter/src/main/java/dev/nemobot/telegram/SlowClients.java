package dev.nemobot.telegram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps slow clients from holding the webhook server, on top of Jetty's idle timeout (which a client sending a byte
 * now and then never meets). Each connection has {@code requestTimeout} to send a whole request, headers and body,
 * counted from its opening or from the answer to its previous request; one that has not is closed. And when more than
 * {@code maxConnections} are open, the one waiting longest for its request is closed to make room: the server goes on
 * taking connections, so a real delivery (which sends its request at once) is never left in the listen backlog behind
 * connections that send nothing. A connection whose request was read is never closed here until it is answered.
 *
 * <p>Jetty has no limit on the time to read a request's headers, and its connection limits stop accepting rather than
 * make room, hence this listener. Closures are logged as one WARN line, then counted for a minute. Thread-safe.
 */
final class SlowClients implements Connection.Listener {
    private static final Logger log = LoggerFactory.getLogger(WebhookServer.class);

    private final long timeoutNanos;
    private final Duration timeout;
    private final int maxConnections;
    private final LongSupplier nanoClock;
    private final Object lock = new Object();
    /** Connections awaiting (the rest of) a request, in the order their wait began: the first has waited longest. */
    private final LinkedHashMap<Connection, Long> waiting = new LinkedHashMap<>();
    /** Connections whose request was read, until it is answered. */
    private final Set<Connection> served = new HashSet<>();
    private int timedOut;
    private int evicted;
    /** Connections opened so far. */
    private long opened;
    private long lastLine;
    private boolean logged;

    SlowClients(Duration requestTimeout, int maxConnections, LongSupplier nanoClock) {
        this.timeout = requestTimeout;
        this.timeoutNanos = requestTimeout.toNanos();
        this.maxConnections = maxConnections;
        this.nanoClock = nanoClock;
    }

    /** Checks the deadlines every so often on {@code scheduler} until it stops. */
    void sweepOn(Scheduler scheduler) {
        long every = Math.clamp(timeout.toMillis() / 10, 20, 1000);
        Runnable[] task = new Runnable[1];
        task[0] = () -> {
            sweep();
            try {
                scheduler.schedule(task[0], every, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopped) {
                // the server stopped
            }
        };
        scheduler.schedule(task[0], every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpened(Connection connection) {
        Connection victim = null;
        synchronized (lock) {
            opened++;
            waiting.put(connection, nanoClock.getAsLong());
            if (waiting.size() + served.size() > maxConnections) {
                Iterator<Connection> oldest = waiting.keySet().iterator();
                Connection first = oldest.next();
                if (first != connection) {
                    oldest.remove();
                    victim = first;
                    evicted++;
                }
            }
        }
        if (victim != null) {
            victim.getEndPoint().close();
            report();
        }
    }

    /** How many connections were opened so far (a test waits for its own to be seen). */
    long opened() {
        synchronized (lock) {
            return opened;
        }
    }

    @Override
    public void onClosed(Connection connection) {
        synchronized (lock) {
            waiting.remove(connection);
            served.remove(connection);
        }
    }

    /** {@code connection}'s request has been read whole: it is not closed here until {@link #answered}. */
    void requestRead(Connection connection) {
        synchronized (lock) {
            if (waiting.remove(connection) != null) {
                served.add(connection);
            }
        }
    }

    /** {@code connection}'s request is answered: the wait for its next request begins. */
    void answered(Connection connection) {
        synchronized (lock) {
            boolean tracked = served.remove(connection) | waiting.remove(connection) != null;
            if (tracked && connection.getEndPoint().isOpen()) {
                waiting.put(connection, nanoClock.getAsLong());
            }
        }
    }

    /** Closes the connections whose request is overdue. */
    void sweep() {
        long now = nanoClock.getAsLong();
        List<Connection> overdue = new ArrayList<>();
        synchronized (lock) {
            for (Iterator<Map.Entry<Connection, Long>> it = waiting.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Connection, Long> e = it.next();
                if (now - e.getValue() < timeoutNanos) {
                    break;
                }
                it.remove();
                overdue.add(e.getKey());
            }
            timedOut += overdue.size();
        }
        for (Connection c : overdue) {
            c.getEndPoint().close();
        }
        report();
    }

    /** One WARN line at the first closure, then one a minute with the count, while there are any. */
    private void report() {
        long now = nanoClock.getAsLong();
        int late;
        int made;
        boolean first;
        synchronized (lock) {
            if (timedOut + evicted == 0 || (logged && now - lastLine < WebhookServer.WARN_EVERY.toNanos())) {
                return;
            }
            late = timedOut;
            made = evicted;
            first = !logged;
            timedOut = 0;
            evicted = 0;
            logged = true;
            lastLine = now;
        }
        List<String> what = new ArrayList<>();
        if (late > 0) {
            what.add(late + " that had not sent a whole request within " + timeout.toMillis() / 1000.0 + " s");
        }
        if (made > 0) {
            what.add(made + " waiting longest, to make room for new ones (at most " + maxConnections + " open)");
        }
        String when = first ? "; more are counted for a minute"
                : ", in the last " + WebhookServer.WARN_EVERY.toSeconds() + " s";
        log.warn("telegram: webhook: closed {} connection(s): {}{}", late + made, String.join(", and ", what), when);
    }
}
