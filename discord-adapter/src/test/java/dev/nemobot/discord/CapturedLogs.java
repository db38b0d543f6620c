package dev.nemobot.discord;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every log line of the test run (message and exception texts) so tests can check no secret leaked. */
public final class CapturedLogs extends AppenderBase<ILoggingEvent> {
    private static final List<String> LINES = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(event.getFormattedMessage());
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
        }
        if (LINES.size() < 100_000) {
            LINES.add(line.toString());
        }
    }

    static String all() {
        return String.join("\n", LINES);
    }
}
