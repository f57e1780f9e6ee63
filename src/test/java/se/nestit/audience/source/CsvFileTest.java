package se.nestit.audience.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CsvFile against real files: encoding, RFC 4180 quoting, line numbers, field counts. */
class CsvFileTest {

    @TempDir
    Path dir;

    private record Row(long line, List<String> cells) {}

    private Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static List<Row> readAll(CsvFile csv, Rejects rejects) {
        List<Row> rows = new ArrayList<>();
        csv.read(rejects, n -> {}, (row, line) -> {
            rows.add(new Row(line, cells(row, csv.header().width())));
            return null;
        });
        return rows;
    }

    private static List<String> cells(RowView row, int width) {
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            cells.add(row.cell(i));
        }
        return cells;
    }

    @Test
    void bomBeforeAQuotedHeaderFieldIsSkipped() throws IOException {
        // Header names are BOM-stripped anyway; a quoted first field shows the BOM is removed before
        // the CSV parser sees it (otherwise the field would be read as the text \uFEFF"customer_id").
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        bytes.write("\"customer_id\",email\nc1,a@example.com\n".getBytes(StandardCharsets.UTF_8));
        Path p = write("customers.csv", bytes.toByteArray());

        CsvFile csv = CsvFile.open(InputFile.CUSTOMERS, p, Map.of(), CsvDialect.DEFAULT);

        assertEquals(0, csv.header().indexOf("customer_id"));
        assertEquals(List.of(new Row(2, List.of("c1", "a@example.com"))), readAll(csv, new Rejects()));
    }

    @Test
    void quotedFieldsHoldCommasDoubledQuotesAndLineBreaks() throws IOException {
        Path p = write(
                "orders.csv",
                String.join(
                        "\n",
                        "customer_id,ordered_at,category",
                        "c1,2026-01-01,\"crime, nordic\"",
                        "c2,2026-01-02,\"the \"\"best\"\" books\"",
                        "c3,2026-01-03,\"two",
                        "lines\"",
                        ""));

        List<Row> rows = readAll(CsvFile.open(InputFile.ORDERS, p, Map.of(), CsvDialect.DEFAULT), new Rejects());

        assertEquals(
                List.of(
                        new Row(2, List.of("c1", "2026-01-01", "crime, nordic")),
                        new Row(3, List.of("c2", "2026-01-02", "the \"best\" books")),
                        new Row(4, List.of("c3", "2026-01-03", "two\nlines"))),
                rows);
    }

    @Test
    void aRecordAfterAMultiLineRecordIsNumberedByItsPhysicalStartLine() throws IOException {
        Path p = write(
                "orders.csv",
                String.join(
                        "\n",
                        "customer_id,ordered_at,category", // 1
                        "c1,2026-01-01,\"a", // 2 starts a three-line record
                        "b", // 3
                        "c\"", // 4
                        "c2,2026-01-02,x", // 5
                        "c3,2026-01-03", // 6 one field short
                        ""));
        Rejects rejects = new Rejects();

        List<Row> rows = readAll(CsvFile.open(InputFile.ORDERS, p, Map.of(), CsvDialect.DEFAULT), rejects);

        assertEquals(List.of(2L, 5L), rows.stream().map(Row::line).toList());
        assertEquals(List.of(new Rejects.Reject(InputFile.ORDERS, 6, "expected 3 fields but found 2")), rejects.all());
    }

    @Test
    void aBackslashIsAnOrdinaryCharacterNotAnEscape() throws IOException {
        // RFC 4180 has no escape character: "C:\dir\" is a complete quoted field ending in a backslash.
        Path p = write(
                "orders.csv",
                String.join(
                        "\n",
                        "customer_id,ordered_at,category",
                        "c1,2026-01-01,\"C:\\dir\\\"",
                        "c2,2026-01-02,a\\nb",
                        ""));

        List<Row> rows = readAll(CsvFile.open(InputFile.ORDERS, p, Map.of(), CsvDialect.DEFAULT), new Rejects());

        assertEquals(
                List.of(
                        new Row(2, List.of("c1", "2026-01-01", "C:\\dir\\")),
                        new Row(3, List.of("c2", "2026-01-02", "a\\nb"))),
                rows);
    }

    @Test
    void recordsWithTooManyOrTooFewFieldsAreRejectedWithTheirLine() throws IOException {
        Path p = write(
                "events.csv",
                String.join(
                        "\n",
                        "customer_id,occurred_at,event",
                        "c1,2026-01-01,view",
                        "c2,2026-01-01,view,extra",
                        "c3,2026-01-01",
                        "c4,2026-01-01,view",
                        ""));
        Rejects rejects = new Rejects();
        CsvFile csv = CsvFile.open(InputFile.EVENTS, p, Map.of(), CsvDialect.DEFAULT);

        List<Row> rows = new ArrayList<>();
        long records = csv.read(rejects, n -> {}, (row, line) -> {
            rows.add(new Row(line, cells(row, csv.header().width())));
            return null;
        });

        assertEquals(List.of(2L, 5L), rows.stream().map(Row::line).toList());
        assertEquals(
                List.of(
                        new Rejects.Reject(InputFile.EVENTS, 3, "expected 3 fields but found 4"),
                        new Rejects.Reject(InputFile.EVENTS, 4, "expected 3 fields but found 2")),
                rejects.all());
        assertEquals(4, records, "rejected records count as read");
    }

    @Test
    void blankLinesAreSkippedButStillCountForLineNumbers() throws IOException {
        Path p = write("events.csv", "customer_id,occurred_at,event\n\nc1,2026-01-01,view\n\n\nc2,2026-01-02,view\n\n");
        Rejects rejects = new Rejects();
        CsvFile csv = CsvFile.open(InputFile.EVENTS, p, Map.of(), CsvDialect.DEFAULT);

        List<Row> rows = new ArrayList<>();
        long records = csv.read(rejects, n -> {}, (row, line) -> {
            rows.add(new Row(line, cells(row, csv.header().width())));
            return null;
        });

        assertEquals(List.of(3L, 6L), rows.stream().map(Row::line).toList());
        assertEquals(0, rejects.total());
        assertEquals(2, records);
    }

    @Test
    void crlfLineEndsLeaveNoCarriageReturnInTheLastField() throws IOException {
        Path p = write("customers.csv", "customer_id,email\r\nc1,a@example.com\r\nc2,\"b@example.com\"\r\n");

        List<Row> rows = readAll(CsvFile.open(InputFile.CUSTOMERS, p, Map.of(), CsvDialect.DEFAULT), new Rejects());

        assertEquals(
                List.of(new Row(2, List.of("c1", "a@example.com")), new Row(3, List.of("c2", "b@example.com"))), rows);
    }

    @Test
    void lastLineWithoutLineBreakIsRead() throws IOException {
        Path p = write("customers.csv", "customer_id,email\nc1,a@example.com");

        assertEquals(
                List.of(new Row(2, List.of("c1", "a@example.com"))),
                readAll(CsvFile.open(InputFile.CUSTOMERS, p, Map.of(), CsvDialect.DEFAULT), new Rejects()));
    }

    @Test
    void nonAsciiUtf8IsDecoded() throws IOException {
        Path p = write("orders.csv", "customer_id,ordered_at,author\nc1,2026-01-01,Camilla Läckberg\n");

        assertEquals(
                List.of(new Row(2, List.of("c1", "2026-01-01", "Camilla Läckberg"))),
                readAll(CsvFile.open(InputFile.ORDERS, p, Map.of(), CsvDialect.DEFAULT), new Rejects()));
    }

    @Test
    void invalidUtf8StopsTheRunNamingTheFile() throws IOException {
        Path p = write("customers.csv", latin1("customer_id,email\nc1,a@example.com\nc2,j\u00f6rg@example.com\n"));

        InputException e = assertThrows(InputException.class, () -> {
            CsvFile csv = CsvFile.open(InputFile.CUSTOMERS, p, Map.of(), CsvDialect.DEFAULT);
            readAll(csv, new Rejects());
        });

        assertTrue(e.getMessage().startsWith(p.toString() + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("example.com"), "no cell value in the message: " + e.getMessage());
    }

    @Test
    void invalidUtf8NamesTheLineThatHoldsTheBytes() throws IOException {
        Path p = write("customers.csv", latin1("customer_id,email\nc1,a@example.com\nc2,j\u00f6rg@example.com\n"));

        InputException e = assertThrows(InputException.class, () -> {
            CsvFile csv = CsvFile.open(InputFile.CUSTOMERS, p, Map.of(), CsvDialect.DEFAULT);
            readAll(csv, new Rejects());
        });

        assertTrue(e.getMessage().startsWith(p + ": line 3"), e.getMessage());
    }

    @Test
    void invalidUtf8FarIntoALargeFileNamesItsLine() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write("customer_id,occurred_at,event\n".getBytes(StandardCharsets.US_ASCII));
        for (int line = 2; line <= 10_000; line++) {
            String event = line == 7_000 ? "vi\u00e9w" : "view";
            bytes.write(latin1("c" + line + ",2026-01-01," + event + "\n"));
        }
        Path p = write("events.csv", bytes.toByteArray());

        InputException e = assertThrows(
                InputException.class,
                () -> readAll(CsvFile.open(InputFile.EVENTS, p, Map.of(), CsvDialect.DEFAULT), new Rejects()));

        assertTrue(e.getMessage().startsWith(p + ": line 7000"), e.getMessage());
    }

    @Test
    void unterminatedQuoteStopsTheRunNamingTheLineWhereTheRecordStarts() throws IOException {
        Path p = write(
                "events.csv",
                "customer_id,occurred_at,event\nc1,2026-01-01,view\nc2,2026-01-01,\"view\nc3,2026-01-01,view\n");

        InputException e = assertThrows(
                InputException.class,
                () -> readAll(CsvFile.open(InputFile.EVENTS, p, Map.of(), CsvDialect.DEFAULT), new Rejects()));

        assertTrue(e.getMessage().startsWith(p + ": line 3: "), e.getMessage());
        assertTrue(e.getMessage().contains("quote"), e.getMessage());
    }

    @Test
    void unterminatedQuoteInTheHeaderStopsTheRunAtOpen() throws IOException {
        Path p = write("customers.csv", "customer_id,\"email\nc1,a@example.com\n");

        InputException e = assertThrows(
                InputException.class, () -> CsvFile.open(InputFile.CUSTOMERS, p, Map.of(), CsvDialect.DEFAULT));

        assertTrue(e.getMessage().startsWith(p + ": line 1: "), e.getMessage());
    }

    @Test
    void textAfterAClosingQuoteInTheHeaderStopsTheRunAtOpen() throws IOException {
        // read on, the cell would be 'customer_id' and the text after it lost without a word
        Path p = write("customers.csv", "\"customer_id\"x,email\nc1,a@example.com\n");

        InputException e = assertThrows(
                InputException.class, () -> CsvFile.open(InputFile.CUSTOMERS, p, Map.of(), CsvDialect.DEFAULT));

        assertEquals(p + ": line 1: field 1: text after the closing quote", e.getMessage());
    }

    @Test
    void emptyFileHasNoHeaderAndStopsTheRun() throws IOException {
        Path p = write("customers.csv", "");

        InputException e = assertThrows(
                InputException.class, () -> CsvFile.open(InputFile.CUSTOMERS, p, Map.of(), CsvDialect.DEFAULT));

        assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void missingRequiredFileStopsTheRunNamingIt() {
        Path p = dir.resolve("consents.csv");

        InputException e = assertThrows(
                InputException.class, () -> CsvFile.open(InputFile.CONSENTS, p, Map.of(), CsvDialect.DEFAULT));

        assertTrue(e.getMessage().contains("consents.csv"), e.getMessage());
    }

    @Test
    void missingOptionalFileReadsAsEmpty() {
        CsvFile csv = CsvFile.open(InputFile.ORDERS, dir.resolve("orders.csv"), Map.of(), CsvDialect.DEFAULT);

        assertFalse(csv.header().present());
        assertEquals(0, csv.size());
        assertEquals(0, csv.read(new Rejects(), n -> {}, (cells, line) -> {
            throw new AssertionError("an absent file has no records");
        }));
    }

    @Test
    void progressReportsEveryByteOfTheFile() throws IOException {
        Path p = write("orders.csv", "customer_id,ordered_at\nc1,2026-01-01\nc2,2026-01-02\n");
        AtomicLong bytes = new AtomicLong();

        CsvFile.open(InputFile.ORDERS, p, Map.of(), CsvDialect.DEFAULT)
                .read(new Rejects(), bytes::addAndGet, (cells, line) -> null);

        assertEquals(Files.size(p), bytes.get());
    }

    @Test
    void fieldsAreHandedOverUntrimmed() throws IOException {
        // trimming is the reader's job per column (customer_id, where values); the CSV layer keeps text as is
        Path p = write("customers.csv", "customer_id,email\n c1 , a@example.com \n");

        List<Row> rows = readAll(CsvFile.open(InputFile.CUSTOMERS, p, Map.of(), CsvDialect.DEFAULT), new Rejects());

        assertArrayEquals(
                new String[] {" c1 ", " a@example.com "}, rows.get(0).cells().toArray());
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
