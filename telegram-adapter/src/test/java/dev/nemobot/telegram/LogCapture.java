package dev.nemobot.telegram;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;

/** Keeps every log line of the test run (message and exception chain), so tests can check nothing leaked. */
public final class LogCapture extends AppenderBase<ILoggingEvent> {
    private static final List<String> LINES = new ArrayList<>();
    private static final List<Event> EVENTS = new ArrayList<>();

    /** One logged event: its level, logger, formatted message and whether it carried an exception. */
    record Event(String level, String logger, String message, boolean throwable) {
    }

    @Override
    protected void append(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
            for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) {
                line.append(' ').append(s.getSTEAsString());
            }
        }
        synchronized (LINES) {
            LINES.add(line.toString());
            EVENTS.add(new Event(event.getLevel().toString(), event.getLoggerName(), event.getFormattedMessage(),
                    event.getThrowableProxy() != null));
        }
    }

    /** How many events were logged so far: a mark for {@link #eventsSince}. */
    static int mark() {
        synchronized (LINES) {
            return EVENTS.size();
        }
    }

    /** The events logged since {@code mark}, oldest first; a copy. */
    static List<Event> eventsSince(int mark) {
        synchronized (LINES) {
            return List.copyOf(EVENTS.subList(mark, EVENTS.size()));
        }
    }

    /** Checks that logging reached this appender at all, and that no line holds the fake's bot token. */
    static void assertNoTokenLogged() {
        List<String> lines = lines();
        if (lines.isEmpty()) {
            throw new AssertionError("no log line captured: is this module's logback-test.xml in use?");
        }
        for (String line : lines) {
            if (line.contains(FakeBotApi.TOKEN)) {
                throw new AssertionError("the bot token was logged: " + line.replace(FakeBotApi.TOKEN, "<TOKEN>"));
            }
        }
    }

    /** Checks that no line holds {@code secret} (a webhook secret, say). */
    static void assertNotLogged(String secret) {
        for (String line : lines()) {
            if (line.contains(secret)) {
                throw new AssertionError("a secret was logged: " + line.replace(secret, "<SECRET>"));
            }
        }
    }

    static List<String> lines() {
        synchronized (LINES) {
            return List.copyOf(LINES);
        }
    }
}
