package se.nestit.audience.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The log's format, target and levels, as the logback.xml this configuration replaced had them. */
class LogConfiguratorTest {

    @Test
    void logbackFindsItAsAService() {
        assertTrue(ServiceLoader.load(Configurator.class).stream().anyMatch(p -> p.type() == LogConfigurator.class));
    }

    @Test
    void aLineIsTimeLevelAndMessageOnStandardError() {
        LoggerContext context = new LoggerContext();
        LogConfigurator.configure(context, Level.INFO);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        ConsoleAppender<ILoggingEvent> stderr = assertInstanceOf(ConsoleAppender.class, root.getAppender("STDERR"));
        assertEquals("System.err", stderr.getTarget());
        assertTrue(stderr.isStarted());

        Instant at = Instant.parse("2026-11-22T03:04:05.678Z");
        LoggingEvent event = new LoggingEvent(
                "x", root, Level.WARN, "{}: kept, it holds files a run does not write", null, new Object[] {"runs/a"});
        event.setInstant(at);
        String time = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
                .withZone(ZoneId.systemDefault())
                .format(at);
        assertEquals(
                time + " WARN  runs/a: kept, it holds files a run does not write" + System.lineSeparator(),
                new String(stderr.getEncoder().encode(event), StandardCharsets.UTF_8));
    }

    @Test
    void theGoogleAdsRequestLogsShowFailuresOnly() {
        LoggerContext context = new LoggerContext();
        LogConfigurator.configure(context, Level.DEBUG);
        assertEquals(
                Level.WARN,
                context.getLogger("com.google.ads.googleads.lib.request.summary")
                        .getLevel());
        assertEquals(
                Level.OFF,
                context.getLogger("com.google.ads.googleads.lib.request.detail").getLevel());
        assertEquals(Level.DEBUG, context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
    }

    /** What logback made of {@code <root level="${LOG_LEVEL:-INFO}">}, value by value. */
    @ParameterizedTest
    @CsvSource(
            value = {
                "<unset>, INFO",
                "debug, DEBUG",
                "WARN, WARN",
                "' info ', INFO",
                "error, ERROR",
                "OFF, OFF",
                "trace, TRACE",
                "ALL, ALL",
                "'', DEBUG",
                "' ', DEBUG",
                "verbose, DEBUG",
                "null, DEBUG"
            },
            nullValues = "<unset>")
    void logLevelIsReadAsLogbackReadIt(String value, String level) {
        assertEquals(Level.toLevel(level), LogConfigurator.level(value));
    }

    @Test
    void aConfigurationFileNamedOnTheCommandLineReplacesIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mine.xml");
        Files.writeString(file, "<configuration><root level=\"ERROR\"/></configuration>");
        LoggerContext context = configuredWith(file.toString());
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.ERROR, root.getLevel());
        assertNull(root.getAppender("STDERR"));
        assertNull(
                context.getLogger("com.google.ads.googleads.lib.request.detail").getLevel());
    }

    @Test
    void aConfigurationFileThatIsNotThereLeavesThisOne(@TempDir Path dir) {
        LoggerContext context = configuredWith(dir.resolve("missing.xml").toString());
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        Appender<ILoggingEvent> stderr = root.getAppender("STDERR");
        assertInstanceOf(ConsoleAppender.class, stderr);
        assertEquals(
                Level.OFF,
                context.getLogger("com.google.ads.googleads.lib.request.detail").getLevel());
    }

    private static LoggerContext configuredWith(String file) {
        LoggerContext context = new LoggerContext();
        String saved = System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY);
        System.setProperty(ClassicConstants.CONFIG_FILE_PROPERTY, file);
        try {
            LogConfigurator configurator = new LogConfigurator();
            configurator.setContext(context);
            assertEquals(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, configurator.configure(context));
        } finally {
            if (saved == null) {
                System.clearProperty(ClassicConstants.CONFIG_FILE_PROPERTY);
            } else {
                System.setProperty(ClassicConstants.CONFIG_FILE_PROPERTY, saved);
            }
        }
        return context;
    }
}
