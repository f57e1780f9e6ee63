package se.nestit.audience.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input files as they come from the wild, by example: line breaks of every kind inside and between
 * records, NUL bytes, stray quotes, files that are almost empty, cells of several megabytes.
 */
@Timeout(30)
class HostileCsvTest {

    @TempDir
    Path dir;

    private record Row(long line, List<String> cells) {}

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, text.getBytes(StandardCharsets.UTF_8));
        return p;
    }

    private static List<Row> read(Path p, InputFile file, Rejects rejects) {
        CsvFile csv = CsvFile.open(file, p, Map.of(), CsvDialect.DEFAULT);
        List<Row> rows = new ArrayList<>();
        csv.read(rejects, n -> {}, (row, line) -> {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < csv.header().width(); i++) {
                cells.add(row.cell(i));
            }
            rows.add(new Row(line, cells));
            return null;
        });
        return rows;
    }

    private static List<Row> read(Path p) {
        return read(p, InputFile.CUSTOMERS, new Rejects());
    }

    @Test
    void aCrlfInsideQuotesIsKeptAsWrittenAndIsOneLine() throws IOException {
        // opencsv would give LF here: it reads line by line and joins the lines with LF
        Path p = write("customers.csv", "customer_id,email\r\nc1,\"a\r\nb\"\r\nc2,x\r\n");

        assertEquals(List.of(new Row(2, List.of("c1", "a\r\nb")), new Row(4, List.of("c2", "x"))), read(p));
    }

    @Test
    void aLoneCrInsideQuotesIsKeptAndIsALine() throws IOException {
        Path p = write("customers.csv", "customer_id,email\nc1,\"a\rb\rc\"\nc2,x\n");

        assertEquals(List.of(new Row(2, List.of("c1", "a\rb\rc")), new Row(5, List.of("c2", "x"))), read(p));
    }

    @Test
    void loneCrLineEndsAreLineEnds() throws IOException {
        Path p = write("customers.csv", "customer_id,email\rc1,a\r\rc2,\"b\"\rc3,c");

        assertEquals(
                List.of(new Row(2, List.of("c1", "a")), new Row(4, List.of("c2", "b")), new Row(5, List.of("c3", "c"))),
                read(p));
    }

    @Test
    void mixedLineEndsInOneFile() throws IOException {
        // LF, CRLF, CR, then LF CR: a line break and a blank line, not one CRLF
        Path p = write("customers.csv", "customer_id,email\nc1,a\r\nc2,b\rc3,c\n\rc4,d");

        assertEquals(
                List.of(
                        new Row(2, List.of("c1", "a")),
                        new Row(3, List.of("c2", "b")),
                        new Row(4, List.of("c3", "c")),
                        new Row(6, List.of("c4", "d"))),
                read(p));
    }

    @Test
    void aQuoteInsideAnUnquotedCellIsAnOrdinaryCharacter() throws IOException {
        // RFC 4180 has no such cell; opencsv would join the line with the next one
        Path p = write("customers.csv", "customer_id,email\nc1,a\"b\nc2,\"\"\"\"\n");

        assertEquals(List.of(new Row(2, List.of("c1", "a\"b")), new Row(3, List.of("c2", "\""))), read(p));
    }

    @Test
    void nulBytesAreOrdinaryCharacters() throws IOException {
        Path p = write("customers.csv", "customer_id,email\nc\u00001,\"\u0000\"\n");

        assertEquals(List.of(new Row(2, List.of("c\u00001", "\u0000"))), read(p));
    }

    @Test
    void aHeaderAloneHasNoRecordsWithOrWithoutItsLineBreak() throws IOException {
        assertEquals(List.of(), read(write("customers.csv", "customer_id,email\r\n")));
        assertEquals(List.of(), read(write("customers.csv", "customer_id,email")));
    }

    @Test
    void aByteOrderMarkAloneIsAnEmptyFile() throws IOException {
        Path p = dir.resolve("customers.csv");
        Files.write(p, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});

        InputException e = assertThrows(InputException.class, () -> read(p));

        assertEquals(p + ": the file is empty; it needs at least a header row", e.getMessage());
    }

    @Test
    void aByteOrderMarkCutShortIsNotUtf8() throws IOException {
        Path p = dir.resolve("customers.csv");
        Files.write(p, new byte[] {(byte) 0xEF, (byte) 0xBB, 'c', '\n'});

        InputException e = assertThrows(InputException.class, () -> read(p));

        assertEquals(p + ": line 1: " + CsvChunk.NOT_UTF8, e.getMessage());
    }

    @Test
    void aSequenceCutOffByTheEndOfTheFileIsNotUtf8() throws IOException {
        Path p = dir.resolve("customers.csv");
        Files.write(p, new byte[] {'i', 'd', ',', 'e', 'm', 'a', 'i', 'l', '\n', 'c', ',', (byte) 0xE2, (byte) 0x82});

        InputException e = assertThrows(InputException.class, () -> read(p, InputFile.SUPPRESSIONS, new Rejects()));

        assertEquals(p + ": line 2: " + CsvChunk.NOT_UTF8, e.getMessage());
    }

    @Test
    void aQuoteOpenedOnTheLastLineNeverCloses() throws IOException {
        Path p = write("customers.csv", "customer_id,email\nc1,a\nc2,\"b");

        InputException e = assertThrows(InputException.class, () -> read(p));

        assertEquals(p + ": line 3: a quoted field is never closed (unbalanced quote)", e.getMessage());
    }

    @Test
    void aQuotedCellOfSeveralMegabytesWithLineBreaksReadsTheSameOnTwoThreads() throws IOException {
        String big = "x,\n".repeat(1 << 20);
        StringBuilder text = new StringBuilder("customer_id,occurred_at,event\n");
        for (int i = 0; i < 2000; i++) {
            text.append("c")
                    .append(i)
                    .append(",2026-01-01,")
                    .append(i == 700 ? "\"" + big + "\"" : "view")
                    .append('\n');
        }
        Path p = write("events.csv", text.toString());
        List<Row> one = read(p, InputFile.EVENTS, new Rejects());

        List<String> cells = new ArrayList<>();
        ChunkedCsvReader.Head head = ChunkedCsvReader.head(p, CsvDialect.DEFAULT);
        ChunkedCsvReader reader = new ChunkedCsvReader(
                InputFile.EVENTS, p, CsvDialect.DEFAULT, 3, head.dataStart(), head.firstLine(), 2, 64 << 10);
        Rejects rejects = new Rejects();
        ChunkedCsvReader.Result<List<String>> two =
                reader.read(rejects, n -> {}, ArrayList::new, (record, line, seen) -> {
                    seen.add(record.cell(2));
                    return record.cell(0).equals("c1999") ? "last" : null;
                });
        two.workers().forEach(cells::addAll);

        assertEquals(2000, one.size());
        assertEquals(2000, two.records());
        assertTrue(cells.contains(big), "the big cell");
        // the big cell's 2^20 line breaks count: the last record starts after them
        assertEquals(List.of(new Rejects.Reject(InputFile.EVENTS, 2001 + (1 << 20), "last")), rejects.all());
        assertEquals(2001 + (1 << 20), one.get(1999).line());
    }

    @Test
    void runningOutOfMemoryInAReadingThreadIsNotAnInputError() throws IOException {
        // 'Java heap space' as a fault of events.csv, exit code 2, hid the out-of-memory advice
        Path p = write("events.csv", "customer_id,occurred_at,event\n" + "c1,2026-01-01,view\n".repeat(100));
        ChunkedCsvReader.Head head = ChunkedCsvReader.head(p, CsvDialect.DEFAULT);
        ChunkedCsvReader reader = new ChunkedCsvReader(
                InputFile.EVENTS, p, CsvDialect.DEFAULT, 3, head.dataStart(), head.firstLine(), 2, 64);

        assertThrows(
                OutOfMemoryError.class,
                () -> reader.read(new Rejects(), n -> {}, () -> null, (record, line, none) -> {
                    throw new OutOfMemoryError("Java heap space");
                }));
    }
}
