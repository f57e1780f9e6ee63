package se.nestit.audience.source.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.cli.Cli;

/**
 * The end-to-end fixture loaded into a real PostgreSQL and read from there gives the same audience
 * files, byte for byte, and the same report as the same rows read from CSV files; and those files
 * are the fixture's hand-made expected ones.
 */
class PostgresEndToEndIT {

    private static final Path FIXTURE = Path.of("src/test/resources/e2e");
    private static final String AS_OF = "2026-11-22T00:00:00Z";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;

    private static Path rows;
    private static Map<String, List<Long>> leftOut;

    @TempDir
    Path dir;

    /**
     * Loads the fixture into a database, and writes the CSV files of the rows it holds: the
     * fixture's files without the two records of another number of fields, which no table can hold.
     */
    @BeforeAll
    static void loadFixture() throws IOException, SQLException {
        leftOut = CsvTables.load(TestPostgres.createDatabase("e2e"), FIXTURE.resolve("data"), "public");
        rows = Files.createDirectory(shared.resolve("rows"));
        for (Map.Entry<String, List<Long>> f : leftOut.entrySet()) {
            List<String> lines =
                    new ArrayList<>(Files.readAllLines(FIXTURE.resolve("data").resolve(f.getKey())));
            f.getValue().stream().sorted((a, b) -> Long.compare(b, a)).forEach(line -> lines.remove((int) (line - 1)));
            Files.write(rows.resolve(f.getKey()), lines);
        }
    }

    @Test
    void theDatabaseHoldsEveryRowButThoseOfAnotherNumberOfFields() {
        assertEquals(
                Map.of(
                        "consents.csv",
                        List.of(),
                        "customers.csv",
                        List.of(48L),
                        "events.csv",
                        List.of(),
                        "orders.csv",
                        List.of(59L),
                        "suppressions.csv",
                        List.of()),
                leftOut);
    }

    @Test
    void syncFromPostgresWritesWhatTheSameRowsInCsvFilesWrite() throws IOException {
        Path csv = dir.resolve("csv");
        Path pg = dir.resolve("pg");
        Cli.Result fromCsv = run("sync", FIXTURE.resolve("exporter.yaml"), csv, "--data", rows.toString());
        Cli.Result fromPg = run("sync", config("e2e", ""), pg);
        assertEquals(0, fromCsv.exitCode(), fromCsv.err());
        assertEquals(0, fromPg.exitCode(), fromPg.err());

        List<Path> files = audienceFiles(csv);
        assertEquals(audienceFiles(FIXTURE.resolve("expected")), files, "the fixture's expected files");
        assertEquals(files, audienceFiles(pg));
        for (Path f : files) {
            byte[] expected = Files.readAllBytes(FIXTURE.resolve("expected").resolve(f));
            assertArrayEquals(expected, Files.readAllBytes(csv.resolve(f)), "csv " + f);
            assertArrayEquals(expected, Files.readAllBytes(pg.resolve(f)), "postgres " + f);
        }
        assertEquals(comparable(csv), comparable(pg));
        assertEquals(
                Files.readAllLines(csv.resolve("rejects.csv")),
                Files.readAllLines(pg.resolve("rejects.csv")).stream()
                        .map(l -> l.replaceFirst("^postgres:(\\w+),", "$1.csv,"))
                        .toList());
    }

    @Test
    void rejectsAndTheReportNameTheDatabaseInputs() throws IOException {
        assertEquals(0, run("sync", config("e2e", ""), dir).exitCode());
        List<String> rejects = Files.readAllLines(dir.resolve("rejects.csv"));
        // the fixture's expected rejects but the two rows no table holds (customers line 48, orders line 59),
        // at the lines of the COPY output: customers' rows after line 48 come a line earlier
        assertEquals(
                List.of(
                        "postgres:customers,47",
                        "postgres:customers,48",
                        "postgres:customers,49",
                        "postgres:consents,23",
                        "postgres:consents,38",
                        "postgres:suppressions,6",
                        "postgres:orders,31",
                        "postgres:orders,56",
                        "postgres:orders,57",
                        "postgres:orders,58",
                        "postgres:events,15",
                        "postgres:events,21"),
                rejects.stream()
                        .skip(1)
                        .map(l -> l.substring(0, l.indexOf(',', l.indexOf(',') + 1)))
                        .toList());
        JsonNode report = JSON.readTree(dir.resolve("report.json").toFile());
        assertEquals(
                "postgres:customers", report.at("/sources/customers.csv/path").asText());
        // 49 lines after the header, one record on two of them, one record left out
        assertEquals(47, report.at("/sources/customers.csv/records").asLong());
        assertEquals(3, report.at("/rejected/customers.csv").asLong());
    }

    @Test
    void planReadsTheDatabaseAsSyncDoes() throws IOException {
        Path csv = dir.resolve("csv");
        Path pg = dir.resolve("pg");
        assertEquals(
                0,
                run("plan", FIXTURE.resolve("exporter.yaml"), csv, "--data", rows.toString())
                        .exitCode());
        Cli.Result r = run("plan", config("e2e", ""), pg);
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of(), audienceFiles(pg));
        assertEquals(comparable(csv, "plan.json"), comparable(pg, "plan.json"));
    }

    @Test
    void tablesAndQueriesNameWhereEachInputIs() throws IOException {
        TestPostgres.execute(
                "e2e",
                "CREATE SCHEMA IF NOT EXISTS \"Shop Data\"",
                "CREATE TABLE \"Shop Data\".\"Kunder \"\"VIP\"\"\" AS SELECT * FROM customers",
                "GRANT USAGE ON SCHEMA \"Shop Data\" TO exporter",
                "GRANT SELECT ON ALL TABLES IN SCHEMA \"Shop Data\" TO exporter");
        Path pg = dir.resolve("pg");
        Cli.Result r = run("sync", config("e2e", """
                  tables: { customers: 'Shop Data.Kunder "VIP"' }
                  queries:
                    consents: >
                      SELECT customer_id, purpose, status, recorded_at, source, brand FROM consents;
                """), pg);
        assertEquals(0, r.exitCode(), r.err());
        for (Path f : audienceFiles(FIXTURE.resolve("expected"))) {
            assertArrayEquals(
                    Files.readAllBytes(FIXTURE.resolve("expected").resolve(f)),
                    Files.readAllBytes(pg.resolve(f)),
                    f.toString());
        }
    }

    @Test
    void verifyReadsTheDatabase() throws IOException, SQLException {
        CsvTables.load(TestPostgres.createDatabase("verify_e2e"), rows, "public");
        Path config = config("verify_e2e", "");
        assertEquals(0, run("sync", config, dir).exitCode());
        Cli.Result ok = run("verify", config, dir);
        assertEquals(0, ok.exitCode(), ok.out() + ok.err());

        // anna@example.se (C01) is in gate-all's files; her consent is withdrawn in the database after the sync
        TestPostgres.execute(
                "verify_e2e",
                "INSERT INTO consents VALUES ('C01', 'marketing', 'withdrawn', "
                        + "'2026-11-21T00:00:00Z', 'web', 'Bokia')");
        Cli.Result offending = run("verify", config, dir);
        assertEquals(1, offending.exitCode(), offending.out() + offending.err());
        assertEquals(
                "failed",
                JSON.readTree(dir.resolve("verify.json").toFile()).get("status").asText());
    }

    @Test
    void checkReadsTheDatabaseHeaders() {
        Cli.Result r = run("check", config("e2e", ""), dir);
        assertEquals(0, r.exitCode(), r.out() + r.err());
        Cli.Result missing =
                run("check", config("e2e", "  queries: { customers: SELECT customer_id FROM customers }\n"), dir);
        assertEquals(2, missing.exitCode());
        assertTrue(
                missing.err()
                        .contains("postgres:customers: column 'billing_email' (mapped to 'email' in the config) "
                                + "is missing"),
                missing.err());
    }

    @Test
    void aWrongPasswordStopsTheRunNamingTheDatabaseAndItsMessage() throws IOException {
        Path config = Files.writeString(
                dir.resolve("wrong.yaml"),
                Files.readString(config("e2e", "")).replace("${" + TestPostgres.PASSWORD_VARIABLE + "}", "${HOME}"));
        Cli.Result r = run("plan", config, dir);
        assertEquals(2, r.exitCode());
        assertTrue(
                r.err()
                        .contains("postgres: cannot connect to " + TestPostgres.url("e2e") + " as exporter: "
                                + "password authentication failed for user \"exporter\""),
                r.err());
        assertFalse(r.err().contains(System.getenv("HOME")), "the password tried");
        assertFalse(Files.exists(dir.resolve("report.json")));
    }

    @Test
    void anUnreachableServerStopsTheRun() throws IOException {
        Path config = Files.writeString(
                dir.resolve("unreachable.yaml"),
                Files.readString(config("e2e", ""))
                        .replace(":" + TestPostgres.server().getPort() + "/", ":1/"));
        Cli.Result r = run("sync", config, dir);
        assertEquals(2, r.exitCode());
        assertTrue(
                r.err()
                        .contains("error: postgres: cannot connect to jdbc:postgresql://localhost:1/e2e as exporter: "
                                + "Connection to localhost:1 refused"),
                r.err());
    }

    @Test
    void aFailingQueryStopsTheRunWithItsNameAndTheDatabaseMessage() {
        Cli.Result r = run("sync", config("e2e", "  queries: { consents: SELECT * FROM consent_log }\n"), dir);
        assertEquals(2, r.exitCode());
        assertTrue(
                r.err()
                        .contains("error: postgres:consents: the query of source.queries.consents cannot be read: "
                                + "relation \"consent_log\" does not exist [SQLSTATE 42P01]"),
                r.err());
        assertFalse(Files.exists(dir.resolve("report.json")));
    }

    @Test
    void aQueryFailingOnARowStopsTheRunWithoutTheRowsValue() {
        // the cast fails on the first customer's email, which PostgreSQL's message quotes
        Cli.Result r = run(
                "sync",
                config(
                        "e2e",
                        "  queries: { customers: 'SELECT customer_id, billing_email::int "
                                + "AS billing_email, first_name, brand, created_at FROM customers' }\n"),
                dir);
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("error: postgres:customers: "), r.err());
        assertTrue(
                r.err()
                        .contains("the query of source.queries.customers cannot be read: a value in a row cannot be "
                                + "used (SQLSTATE 22P02)"),
                r.err());
        assertFalse(r.err().contains("@example.se"), r.err());
        assertFalse(Files.exists(dir.resolve("report.json")));
    }

    private static Cli.Result run(String command, Path config, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of(
                command,
                "--config",
                config.toString(),
                "--audiences",
                FIXTURE.resolve("audiences").toString(),
                "--out",
                out.toString(),
                "--state",
                out.resolve("state").toString(),
                "--no-progress"));
        if (!command.equals("check")) {
            args.addAll(List.of("--as-of", AS_OF));
        }
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    /** The fixture's config with a PostgreSQL source; {@code more} adds lines to the source section. */
    private Path config(String database, String more) {
        String yaml =
                """
                source:
                  type: postgres
                  url: %s
                  user: %s
                  password: ${%s}
                %s
                zone: UTC
                consent: { purpose: marketing, max_age_days: 395 }
                columns:
                  customers: { email: billing_email }
                destinations:
                  basic:  { type: file, normalization: basic }
                  google: { type: file, normalization: google }
                  meta:   { type: file, normalization: meta }
                """.formatted(TestPostgres.url(database), TestPostgres.USER, TestPostgres.PASSWORD_VARIABLE, more);
        try {
            return Files.writeString(
                    dir.resolve("exporter-" + database + "-" + Math.abs(more.hashCode()) + ".yaml"), yaml);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** report.json without what differs between any two runs (ids, times) and the inputs' paths. */
    private static JsonNode comparable(Path out) throws IOException {
        return comparable(out, "report.json");
    }

    /** A run's report (plan writes plan.json) without what differs between any two runs and the inputs' paths. */
    private static JsonNode comparable(Path out, String file) throws IOException {
        ObjectNode report = (ObjectNode) JSON.readTree(out.resolve(file).toFile());
        report.remove(List.of("run_id", "started_at", "seconds", "timings", "task_seconds"));
        report.get("sources").forEach(s -> ((ObjectNode) s).remove("path"));
        report.get("destinations").forEach(d -> ((ObjectNode) d).remove("seconds"));
        return report;
    }

    private static List<Path> audienceFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getNameCount() - root.getNameCount() == 2)
                    .filter(p -> !root.relativize(p).startsWith("runs"))
                    .filter(p -> p.toString().endsWith(".csv"))
                    .map(root::relativize)
                    .sorted()
                    .toList();
        }
    }
}
