package se.nestit.audience.privacy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Takes over the root logger for a while: every event at or above {@code level} goes to a list
 * instead of the console, and on close the console appenders and the old level come back.
 */
final class CapturedLogs implements AutoCloseable {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Level savedLevel = root.getLevel();
    private final List<Appender<ILoggingEvent>> detached = new ArrayList<>();
    private final ListAppender<ILoggingEvent> list = new ListAppender<>();

    CapturedLogs(Level level) {
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            detached.add(it.next());
        }
        detached.forEach(root::detachAppender);
        list.start();
        root.addAppender(list);
        root.setLevel(level);
    }

    /** Everything captured: each event's logger, level, formatted message, and throwables with their stacks. */
    String text() {
        StringBuilder s = new StringBuilder();
        synchronized (list) {
            for (ILoggingEvent e : List.copyOf(list.list)) {
                s.append(e.getLevel())
                        .append(' ')
                        .append(e.getLoggerName())
                        .append(' ')
                        .append(e.getFormattedMessage())
                        .append('\n');
                for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                    s.append(t.getClassName())
                            .append(": ")
                            .append(t.getMessage())
                            .append('\n');
                    for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                        s.append("  ").append(frame.getSTEAsString()).append('\n');
                    }
                    for (IThrowableProxy suppressed : t.getSuppressed()) {
                        s.append("suppressed ")
                                .append(suppressed.getClassName())
                                .append(": ")
                                .append(suppressed.getMessage())
                                .append('\n');
                    }
                }
                e.getMDCPropertyMap()
                        .forEach((k, v) -> s.append("  mdc ")
                                .append(k)
                                .append('=')
                                .append(v)
                                .append('\n'));
            }
        }
        return s.toString();
    }

    int size() {
        return list.list.size();
    }

    @Override
    public void close() {
        root.detachAppender(list);
        list.stop();
        detached.forEach(root::addAppender);
        root.setLevel(savedLevel);
    }
}
