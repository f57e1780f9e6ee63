package se.nestit.audience.cli;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.DefaultJoranConfigurator;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration, in code: parsing a {@code logback.xml} took a fifth of a second of every
 * run's start (an XML parser and logback's configuration model). Logs go to standard error, as
 * standard output carries the summary table; messages name customer_ids and hashes, never emails.
 * A file named by {@code -Dlogback.configurationFile} replaces all of this, as it always did; when
 * that file cannot be found, this configuration applies.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {

    /** The level's system property or, when there is none, environment variable. */
    static final String LEVEL = "LOG_LEVEL";

    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null) {
            DefaultJoranConfigurator file = new DefaultJoranConfigurator();
            file.setContext(context);
            if (file.configure(context) == ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY) {
                return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
            }
        }
        configure(context, level(System.getProperty(LEVEL, System.getenv(LEVEL))));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    static void configure(LoggerContext context, Level rootLevel) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        // The Google Ads client library logs every request; its detail log holds whole requests and
        // headers, which is more than anyone should find in a scheduler's log. Failures still show.
        context.getLogger("com.google.ads.googleads.lib.request.summary").setLevel(Level.WARN);
        context.getLogger("com.google.ads.googleads.lib.request.detail").setLevel(Level.OFF);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(rootLevel);
        root.addAppender(stderr);
    }

    /**
     * The root level {@code LOG_LEVEL} names, read as logback read {@code ${LOG_LEVEL:-INFO}}: INFO
     * when unset, case and surrounding blanks ignored, and DEBUG for a value it does not know (an
     * empty one too).
     */
    static Level level(String value) {
        return value == null ? Level.INFO : Level.toLevel(value, Level.DEBUG);
    }
}
