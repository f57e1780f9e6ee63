package se.nestit.audience.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class SecretsTest {

    private static final String CONFIG = """
            destinations:
              meta:
                type: meta
                access_token: EAAB-written-out
                app_secret: ${META_APP_SECRET}
                ad_account_id: '123'
              dm:
                type: google-data-manager
                credentials: /etc/key.json
            """;

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(Secrets.class);

    @BeforeEach
    void capture() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logs);
    }

    @Test
    void aSecretWrittenOutInAFileOthersCanReadIsWarnedAbout() throws IOException {
        Path file = write(CONFIG, "rw-r--r--");

        List<String> literals = Secrets.warnAboutLiterals(file, YamlNode.read(file));

        assertEquals(List.of("destinations.meta.access_token"), literals, "references and non-secret keys are fine");
        assertEquals(1, logs.list.size());
        String warning = logs.list.get(0).getFormattedMessage();
        assertTrue(warning.contains("destinations.meta.access_token holds a secret written out"), warning);
        assertTrue(warning.contains("write it as ${ENV_VAR} or make the file readable by its owner only"), warning);
        assertFalse(warning.contains("EAAB-written-out"), "the warning never shows the secret");
    }

    @Test
    void aFileOnlyItsOwnerReadsIsNotWarnedAbout() throws IOException {
        Path file = write(CONFIG, "rw-------");
        Secrets.warnAboutLiterals(file, YamlNode.read(file));
        assertEquals(List.of(), logs.list);
    }

    @Test
    void aCredentialFileOthersCanReadIsWarnedAbout() throws IOException {
        Path key = write("{}", "rw-r-----");
        Secrets.warnIfReadableByOthers(key, "service account key");
        assertEquals(1, logs.list.size());
        assertTrue(logs.list.get(0).getFormattedMessage().contains("service account key can be read by other users"));
    }

    private Path write(String content, String permissions) throws IOException {
        Path file = Files.writeString(Files.createTempFile(dir, "f", ".yaml"), content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }
}
