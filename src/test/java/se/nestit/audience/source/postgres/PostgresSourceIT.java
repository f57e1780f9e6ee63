package se.nestit.audience.source.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.nestit.audience.source.ConsentSink;
import se.nestit.audience.source.DataSet;
import se.nestit.audience.source.InputException;
import se.nestit.audience.source.InputFile;
import se.nestit.audience.source.Rejects;
import se.nestit.audience.source.Timestamps;

/** {@link PostgresSource} against a real PostgreSQL: one moment for all five inputs, nothing written, names quoted. */
class PostgresSourceIT {

    private static final String DB = "source_it";

    @BeforeAll
    static void tables() {
        TestPostgres.createDatabase(DB);
        TestPostgres.execute(
                DB,
                "CREATE TABLE customers (customer_id text, email text, created_at timestamptz)",
                "CREATE TABLE consents (customer_id text, purpose text, status text, recorded_at timestamptz)",
                "CREATE TABLE suppressions (customer_id text, email text)",
                "INSERT INTO customers VALUES ('C1', 'a@example.se', '2026-01-01T00:00:00Z')",
                "INSERT INTO consents VALUES ('C1', 'marketing', 'granted', '2026-01-02T00:00:00Z')");
    }

    private static DataSet open(Map<InputFile, String> tables, Map<InputFile, String> queries) {
        return PostgresSource.open(
                new PostgresSource.Login(TestPostgres.url(DB), TestPostgres.USER, Optional.of(TestPostgres.password())),
                tables,
                queries,
                Map.of(),
                new Timestamps(ZoneOffset.UTC),
                new Rejects());
    }

    private static List<String> customerIds(DataSet data) {
        List<String> ids = new ArrayList<>();
        data.readCustomers(
                n -> {},
                row -> {
                    ids.add(row.customerId());
                    return null;
                },
                (id, email) -> {});
        return ids;
    }

    private static long consents(DataSet data) {
        data.readConsents(n -> {}, ConsentSink.all(List.of()));
        return data.records(InputFile.CONSENTS);
    }

    @Test
    void allInputsAreReadAsOfTheMomentTheSourceOpened() {
        try (DataSet data = open(Map.of(), Map.of())) {
            // written and committed by someone else after the source opened, before and between the reads
            TestPostgres.execute(DB, "INSERT INTO customers VALUES ('C2', 'b@example.se', '2026-01-01T00:00:00Z')");
            assertEquals(List.of("C1"), customerIds(data));
            TestPostgres.execute(
                    DB, "INSERT INTO consents VALUES ('C1', 'marketing', 'withdrawn', '2026-01-03T00:00:00Z')");
            assertEquals(1, consents(data));
        } finally {
            TestPostgres.execute(
                    DB,
                    "DELETE FROM customers WHERE customer_id = 'C2'",
                    "DELETE FROM consents WHERE status = 'withdrawn'");
        }
    }

    @Test
    void aReadAfterOneThatFailedSaysWhichFailedAndWhy() {
        try (DataSet data = open(
                Map.of(),
                Map.of(
                        InputFile.CONSENTS,
                        "SELECT customer_id, purpose, status, (1 / 0)::text AS recorded_at FROM consents"))) {
            InputException first = assertThrows(InputException.class, () -> consents(data));
            assertTrue(first.getMessage().startsWith("postgres:consents: "), first.getMessage());
            assertTrue(
                    first.getMessage()
                            .contains("the query of source.queries.consents cannot be read: a value in a row "
                                    + "cannot be used (SQLSTATE 22012)"),
                    first.getMessage());
            InputException next = assertThrows(InputException.class, () -> customerIds(data));
            assertTrue(next.getMessage().startsWith("postgres:customers: "), next.getMessage());
            assertTrue(
                    next.getMessage()
                            .contains(
                                    "not read, as the transaction ended when postgres:consents failed: the query "
                                            + "of source.queries.consents cannot be read: a value in a row cannot be used (SQLSTATE 22012)"),
                    next.getMessage());
        }
    }

    @Test
    void theTransactionWritesNothing() {
        TestPostgres.execute(DB, "CREATE SEQUENCE IF NOT EXISTS reads", "GRANT USAGE ON SEQUENCE reads TO exporter");
        InputException e = assertThrows(InputException.class, () -> {
            try (DataSet data = open(
                    Map.of(),
                    Map.of(
                            InputFile.SUPPRESSIONS,
                            "SELECT 'C9' AS customer_id, '' AS email WHERE nextval('reads') > 0"))) {
                data.readSuppressions(n -> {}, row -> {});
            }
        });
        assertTrue(e.getMessage().contains("cannot execute nextval() in a read-only transaction"), e.getMessage());
    }

    @Test
    void anOptionalInputWithoutItsTableReadsAsEmptyAndARequiredOneStops() {
        try (DataSet data = open(Map.of(), Map.of())) {
            assertFalse(data.has(InputFile.ORDERS));
            assertFalse(data.has(InputFile.EVENTS));
            assertTrue(data.has(InputFile.SUPPRESSIONS));
        }
        InputException e =
                assertThrows(InputException.class, () -> open(Map.of(InputFile.ORDERS, "shop.orders"), Map.of()));
        assertEquals("postgres:orders: table shop.orders does not exist", e.getMessage());
        TestPostgres.execute(DB, "ALTER TABLE suppressions RENAME TO suppression_list");
        try {
            e = assertThrows(InputException.class, () -> open(Map.of(), Map.of()));
            assertEquals(
                    "postgres:suppressions: table suppressions does not exist (name its table under source.tables, "
                            + "or give a query under source.queries)",
                    e.getMessage());
        } finally {
            TestPostgres.execute(DB, "ALTER TABLE suppression_list RENAME TO suppressions");
        }
    }

    @Test
    void aTableNameIsAQuotedIdentifierNotSql() {
        InputException e = assertThrows(
                InputException.class,
                () -> open(Map.of(InputFile.SUPPRESSIONS, "suppressions; DROP TABLE consents"), Map.of()));
        assertEquals("postgres:suppressions: table suppressions; DROP TABLE consents does not exist", e.getMessage());
        try (DataSet data = open(Map.of(), Map.of())) {
            assertEquals(1, consents(data));
        }
        assertEquals("\"Shop Data\".\"Kunder \"\"VIP\"\"\"", PostgresSource.quote("Shop Data.Kunder \"VIP\""));
    }
}
