package se.nestit.audience.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.source.InputFile;

/** The config's {@code source:} section: CSV files by default, or a PostgreSQL database. */
class SourceSettingsTest {

    private static final String SECRET = "s3cr3t-Pa55";

    @TempDir
    Path dir;

    private final ConfigLoader loader =
            new ConfigLoader(Map.of("PG_PASSWORD", SECRET, "PG_HOST", "db.example.com")::get);

    private ExporterConfig load(String yaml) throws IOException {
        return loader.load(Files.writeString(dir.resolve("exporter.yaml"), yaml));
    }

    private String refused(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("exporter.yaml"), yaml);
        String message =
                assertThrows(DefinitionException.class, () -> loader.load(file)).getMessage();
        assertFalse(message.contains(SECRET), message);
        return message;
    }

    @Test
    void withoutASourceTheInputsAreCsvFiles() throws IOException {
        assertEquals(new SourceSettings.Csv(), load("data: data\n").source());
        assertEquals(new SourceSettings.Csv(), load("source: { type: csv }\n").source());
    }

    @Test
    void csvFilesAreReadOnAsManyThreadsAsTheConfigSays() throws IOException {
        assertEquals(16, load("source: { threads: 16 }\n").source().threads());
        assertEquals(1, load("source: { type: csv, threads: 1 }\n").source().threads());
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(Math.max(2, cores), load("data: data\n").source().threads(), "a core each, two at least");
    }

    @Test
    void aThreadCountThatIsNoneIsRefusedNamingTheFileAndKey() throws IOException {
        for (String threads : new String[] {"0", "-2", "257", "two", "1.5"}) {
            String message = refused("source: { threads: " + threads + " }\n");
            assertTrue(message.contains("exporter.yaml"), message);
            assertTrue(message.contains("source.threads: "), message);
        }
        assertTrue(refused("source: { threads: 0 }\n").contains("must be between 1 and 256 but was 0"));
    }

    @Test
    void aPostgresSourceNamesTablesAndQueriesPerInput() throws IOException {
        ExporterConfig config = load("""
                source:
                  type: postgres
                  url: jdbc:postgresql://${PG_HOST}:5432/shop
                  user: exporter
                  password: ${PG_PASSWORD}
                  tables: { customers: shop.customers, orders: Sales.Order_Lines }
                  queries:
                    consents: "SELECT customer_id, purpose, status, recorded_at FROM shop.consent_log;"
                """);
        SourceSettings.Postgres pg = assertInstanceOf(SourceSettings.Postgres.class, config.source());
        assertEquals("jdbc:postgresql://db.example.com:5432/shop", pg.url());
        assertEquals("exporter", pg.user());
        assertEquals(Optional.of(SECRET), pg.password());
        assertEquals(Map.of(InputFile.CUSTOMERS, "shop.customers", InputFile.ORDERS, "Sales.Order_Lines"), pg.tables());
        assertEquals(
                Map.of(InputFile.CONSENTS, "SELECT customer_id, purpose, status, recorded_at FROM shop.consent_log;"),
                pg.queries());
        assertFalse(config.toString().contains(SECRET), "the password is never shown");
    }

    @Test
    void aPasswordWrittenOutIsRefused() throws IOException {
        String message = refused(
                "source: { type: postgres, url: 'jdbc:postgresql://db/shop', user: u, password: " + SECRET + " }\n");
        assertTrue(message.contains("source.password: write it as ${ENV_VAR}"), message);
    }

    @Test
    void aPasswordInTheUrlIsRefused() throws IOException {
        String message = refused("source: { type: postgres, url: 'jdbc:postgresql://db/shop?user=u&password=" + SECRET
                + "', user: u }\n");
        assertTrue(message.contains("source.url: holds a password"), message);
    }

    @Test
    void anUnsetPasswordVariableIsNamed() throws IOException {
        String message =
                refused("source: { type: postgres, url: 'jdbc:postgresql://db/shop', user: u, password: '${NOPE}' }\n");
        assertTrue(message.contains("environment variable NOPE is not set"), message);
    }

    @Test
    void mistakesInThePostgresSourceAreRefusedNamingTheirPath() throws IOException {
        String base = "source:\n  type: postgres\n  url: jdbc:postgresql://db/shop\n  user: u\n";
        assertTrue(refused("source: { type: mysql }\n").contains("source.type: unknown source type 'mysql'"));
        assertTrue(refused("source: { type: postgres, user: u }\n").contains("source.url: missing"));
        assertTrue(refused("source: { type: postgres, url: 'jdbc:mysql://db/shop', user: u }\n")
                .contains("source.url: not a PostgreSQL JDBC URL"));
        assertTrue(refused("source: { type: postgres, url: 'jdbc:postgresql://db/shop' }\n")
                .contains("source.user: missing"));
        assertTrue(refused(base + "  tables: { customer: shop.customers }\n")
                .contains("source.tables.customer: unknown key"));
        assertTrue(refused(base + "  tables: { customers: a.b.c }\n")
                .contains("source.tables.customers: not a table name"));
        assertTrue(
                refused(base + "  queries: { consents: ' ' }\n").contains("source.queries.consents: must be a query"));
        assertTrue(refused(base + "  tables: { consents: c }\n  queries: { consents: SELECT 1 }\n")
                .contains("source.tables.consents: consents has a table and a query"));
        assertTrue(refused(base + "  dbname: shop\n").contains("source.dbname: unknown key"));
    }

    @Test
    void runsThatReadFilesOnlyRefuseADatabaseSource() throws IOException {
        ExporterConfig config = load("source: { type: postgres, url: 'jdbc:postgresql://db/shop', user: u }\n");
        DefinitionException e =
                assertThrows(DefinitionException.class, () -> config.requireFileSource("the Spark build"));
        assertTrue(
                e.getMessage()
                        .contains("source type postgres reads the inputs from a database, but the Spark build "
                                + "reads input files only"),
                e.getMessage());
        load("data: data\n").requireFileSource("the Spark build");
    }
}
