package se.nestit.audience.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.exceptions.CsvValidationException;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.slf4j.LoggerFactory;

/**
 * The byte reader against an independent oracle, opencsv's RFC 4180 parser, on random RFC 4180
 * text; and the chunked reader on two threads with tiny chunks against itself on one thread. Each
 * property holds for every delimiter: a text is written with commas, then commas and the delimiter
 * trade places, in the cells too.
 *
 * <p>opencsv reads line by line and joins a quoted cell's lines with LF, so for the comparison
 * line breaks inside quotes are LF only (CRLF and a lone CR inside quotes are in
 * {@link HostileCsvTest}); records end in LF, CRLF or a lone CR.
 */
class CsvReaderPropertiesTest {

    private static Path dir;
    /** The reader's log, kept here rather than printed: it notes every file read again. */
    private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();

    @BeforeContainer
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("csv-properties");
        LOG.start();
        readerLogger().addAppender(LOG);
        readerLogger().setAdditive(false);
    }

    private static Logger readerLogger() {
        return (Logger) LoggerFactory.getLogger(ChunkedCsvReader.class);
    }

    @AfterContainer
    static void deleteDirectory() throws IOException {
        readerLogger().setAdditive(true);
        readerLogger().detachAppender(LOG);
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    /** One cell as written: its text in the file and the value a reader must give back. */
    record Cell(String written, String value) {}

    /** A record's cells and the line break after it (empty: the last record, without one). */
    record Row(List<Cell> cells, String end) {
        String written() {
            return String.join(",", cells.stream().map(Cell::written).toList()) + end;
        }
    }

    /** One record as a reader gives it: the line it starts on and its cells. */
    record Rec(long line, List<String> cells) {}

    // ---- generators

    private static final List<String> TEXT = List.of(
            "a",
            "b",
            "Z",
            "0",
            "7",
            " ",
            "\t",
            "\\",
            "'",
            ";",
            "å",
            "Ö",
            "€",
            "\u00a0",
            "\ud834\udd1e",
            "\u0000",
            "x y",
            // around the bound below which the reader's word-at-a-time search stops at every byte
            "!#",
            "e@x.se");

    private static Arbitrary<String> text(List<String> extra) {
        List<String> tokens = new ArrayList<>(TEXT);
        tokens.addAll(extra);
        return Arbitraries.of(tokens).list().ofMaxSize(6).map(t -> String.join("", t));
    }

    /**
     * @param strayQuotes whether a quote may stand inside the cell (not at its start): RFC 4180
     *     has no such cells, and opencsv then joins the line with the next; we read the quote as
     *     an ordinary character
     */
    private static Arbitrary<Cell> unquoted(boolean strayQuotes) {
        return Combinators.combine(text(List.of()), text(strayQuotes ? List.of("\"") : List.of()))
                .as((head, tail) -> {
                    String s = head.isEmpty() ? tail.replace("\"", "") : head + tail;
                    return new Cell(s, s);
                });
    }

    private static Arbitrary<Cell> quoted() {
        return text(List.of(",", "\"", "\n", "\n\n", ",\n", "\"\n"))
                .map(s -> new Cell("\"" + s.replace("\"", "\"\"") + "\"", s));
    }

    private static Arbitrary<Cell> cell(boolean strayQuotes) {
        return Arbitraries.frequencyOf(Tuple.of(3, unquoted(strayQuotes)), Tuple.of(2, quoted()));
    }

    private static Arbitrary<String> lineEnd() {
        return Arbitraries.of("\n", "\n", "\r\n", "\r");
    }

    private static Arbitrary<Row> row(Arbitrary<Integer> width, boolean strayQuotes) {
        return Combinators.combine(width.flatMap(w -> cell(strayQuotes).list().ofSize(w)), lineEnd())
                .as(Row::new);
    }

    /** Rows of 1 to 5 cells (a row of one empty unquoted cell is a blank line); the last one may lack its line break. */
    @Provide
    Arbitrary<List<Row>> documents() {
        return Combinators.combine(
                        row(Arbitraries.integers().between(1, 5), false).list().ofMaxSize(12),
                        Arbitraries.of(true, false))
                .as((rows, lastEnds) -> lastEnds || rows.isEmpty() ? rows : withoutLastLineBreak(rows));
    }

    private static List<Row> withoutLastLineBreak(List<Row> rows) {
        List<Row> copy = new ArrayList<>(rows);
        Row last = copy.remove(copy.size() - 1);
        copy.add(new Row(last.cells(), ""));
        return copy;
    }

    private static String written(List<Row> rows) {
        StringBuilder s = new StringBuilder();
        rows.forEach(r -> s.append(r.written()));
        return s.toString();
    }

    // ---- the oracle

    @Provide
    Arbitrary<Character> delimiters() {
        return Arbitraries.of(CsvDialect.DELIMITERS.values());
    }

    /** The text with commas and {@code delimiter} trading places. */
    private static String swap(String text, char delimiter) {
        StringBuilder s = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            s.append(c == ',' ? delimiter : c == delimiter ? ',' : c);
        }
        return s.toString();
    }

    private static byte[] swap(byte[] bytes, char delimiter) {
        byte[] b = bytes.clone();
        for (int i = 0; i < b.length; i++) {
            b[i] = b[i] == ',' ? (byte) delimiter : b[i] == delimiter ? (byte) ',' : b[i];
        }
        return b;
    }

    private static List<Rec> opencsv(String text, char delimiter) {
        try (CSVReader reader = new CSVReaderBuilder(new StringReader(text))
                .withCSVParser(
                        new RFC4180ParserBuilder().withSeparator(delimiter).build())
                .build()) {
            List<Rec> records = new ArrayList<>();
            long before = 0;
            String[] cells;
            while ((cells = reader.readNext()) != null) {
                records.add(new Rec(before + 1, List.of(cells)));
                before = reader.getLinesRead();
            }
            return records;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CsvValidationException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> cells(ByteRecord r) {
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < r.width(); i++) {
            cells.add(r.cell(i));
        }
        return cells;
    }

    // ---- ByteRecord

    @Property(tries = 400)
    void byteRecordsAreTheRecordsOpencsvReads(
            @ForAll("documents") List<Row> rows,
            @ForAll @IntRange(min = 0, max = 1000) int cut,
            @ForAll("delimiters") char delimiter) {
        String text = swap(written(rows), delimiter);
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        List<Rec> ours = new ArrayList<>();
        ByteRecord record = new ByteRecord((byte) delimiter);
        ByteRecord early = new ByteRecord((byte) delimiter);
        int pos = 0;
        long line = 1;
        while (pos < b.length) {
            int next = record.parse(b, pos, b.length, true);
            assertTrue(next > pos, "no progress at " + pos + " in " + show(text));
            // the same record seen with fewer bytes, not yet at the end: more bytes, or the same answer
            int limit = pos + cut % (b.length - pos + 1);
            int partial = early.parse(b, pos, limit, limit == b.length);
            assertTrue(
                    partial == ByteRecord.NEED_MORE
                            || (partial == next && cells(early).equals(cells(record))),
                    "with " + (limit - pos) + " bytes the record at " + pos + " read as " + partial + " not " + next
                            + " in " + show(text));
            assertEquals(Utf8.isValid(b, pos, next), record.ascii() || record.utf8(pos, next));
            ours.add(new Rec(line, cells(record)));
            line += record.lines();
            pos = next;
        }
        assertEquals(opencsv(text, delimiter), ours, show(text));
    }

    /** Line breaks counted over any two pieces of a text, a CRLF split between them too, are its physical line breaks. */
    @Property(tries = 400)
    void lineBreaksCountedPieceByPieceAreTheTextsLineBreaks(
            @ForAll("documents") List<Row> rows, @ForAll @IntRange(min = 0, max = 1000) int cut) {
        String text = written(rows);
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int at = cut % (b.length + 1);
        long physical = text.split("\r\n|\r|\n", -1).length - 1;
        assertEquals(physical, ByteRecord.lineBreaks(b, 0, at) + ByteRecord.lineBreaks(b, at, b.length), show(text));
    }

    // ---- ChunkedCsvReader, one thread, against opencsv

    /** A file: a header of 2 to 4 cells, then rows of that width and some of another, and blank lines. */
    @Provide
    Arbitrary<List<Row>> files() {
        return files(false);
    }

    private static Arbitrary<List<Row>> files(boolean strayQuotes) {
        return Arbitraries.integers().between(2, 4).flatMap(width -> {
            Arbitrary<Row> good = row(Arbitraries.just(width), strayQuotes);
            Arbitrary<Row> wrongWidth = row(Arbitraries.integers().between(1, 6).filter(w -> w != width), strayQuotes);
            Arbitrary<Row> blank = lineEnd().map(end -> new Row(List.of(new Cell("", "")), end));
            Arbitrary<Row> any =
                    Arbitraries.frequencyOf(Tuple.of(8, good), Tuple.of(1, wrongWidth), Tuple.of(1, blank));
            // a header is a record like any other, line breaks in quotes and all
            Arbitrary<Row> header = row(Arbitraries.just(width), strayQuotes);
            return Combinators.combine(header, any.list().ofMaxSize(30), Arbitraries.of(true, false))
                    .as((head, rows, lastEnds) -> {
                        List<Row> all = new ArrayList<>();
                        all.add(head);
                        all.addAll(rows);
                        return lastEnds ? all : withoutLastLineBreak(all);
                    });
        });
    }

    private record Read(List<Rec> accepted, List<Rejects.Reject> rejects, String error) {}

    private static Read read(Path file, int threads, int chunkSize, char delimiter) {
        CsvDialect dialect = CsvDialect.DEFAULT.withDelimiter(delimiter);
        ChunkedCsvReader.Head head = ChunkedCsvReader.head(file, dialect);
        ChunkedCsvReader reader = new ChunkedCsvReader(
                InputFile.EVENTS,
                file,
                dialect,
                head.cells().length,
                head.dataStart(),
                head.firstLine(),
                threads,
                chunkSize);
        Rejects rejects = new Rejects();
        try {
            ChunkedCsvReader.Result<List<Rec>> result =
                    reader.read(rejects, n -> {}, ArrayList::new, (record, line, seen) -> {
                        List<String> cells = cells(record);
                        // a sample of records is rejected by the handler, so that their lines are checked in every mode
                        if (Math.floorMod(cells.hashCode(), 3) == 0) {
                            return "sampled " + cells;
                        }
                        seen.add(new Rec(line, cells));
                        return null;
                    });
            List<Rec> accepted = new ArrayList<>();
            result.workers().forEach(accepted::addAll);
            return new Read(accepted, rejects.all(), null);
        } catch (InputException e) {
            return new Read(List.of(), rejects.all(), e.getMessage());
        }
    }

    private static Path write(String text) {
        return write(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Path write(byte[] bytes) {
        try {
            Path file = Files.createTempFile(dir, "events", ".csv");
            Files.write(file, bytes);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Property(tries = 300)
    void theFileReaderGivesOpencsvsRecordsWithTheirLines(
            @ForAll("files") List<Row> rows,
            @ForAll @IntRange(min = 1, max = 200) int chunkSize,
            @ForAll("delimiters") char delimiter)
            throws IOException {
        String text = swap(written(rows), delimiter);
        Path file = write(text);
        try {
            int width = rows.get(0).cells().size();
            List<Rec> accepted = new ArrayList<>();
            List<Rejects.Reject> rejects = new ArrayList<>();
            List<Rec> all = opencsv(text, delimiter);
            String[] physical = text.split("\r\n|\r|\n", -1);
            for (Rec r : all.subList(1, all.size())) {
                if (r.cells().equals(List.of("")) && physical[(int) r.line() - 1].isEmpty()) {
                    continue; // a blank line
                }
                if (r.cells().size() != width) {
                    rejects.add(new Rejects.Reject(
                            InputFile.EVENTS,
                            r.line(),
                            "expected " + width + " fields but found "
                                    + r.cells().size()));
                } else if (Math.floorMod(r.cells().hashCode(), 3) == 0) {
                    rejects.add(new Rejects.Reject(InputFile.EVENTS, r.line(), "sampled " + r.cells()));
                } else {
                    accepted.add(r);
                }
            }
            rejects.sort(Comparator.comparingLong(Rejects.Reject::line));

            assertEquals(new Read(accepted, rejects, null), read(file, 1, chunkSize, delimiter), show(text));
        } finally {
            Files.delete(file);
        }
    }

    // ---- ChunkedCsvReader, two threads and tiny chunks, against one thread

    /** Files as above, with stray quotes, sometimes broken at a random row: bytes that are not UTF-8, or a quote that never closes. */
    @Provide
    Arbitrary<byte[]> brokenOrNot() {
        return Combinators.combine(
                        files(true),
                        Arbitraries.integers().between(0, 5),
                        Arbitraries.integers().between(0, 1000))
                .as((rows, damage, where) -> {
                    if (damage > 1 || rows.size() < 2) {
                        return written(rows).getBytes(StandardCharsets.UTF_8);
                    }
                    int at = 1 + where % (rows.size() - 1);
                    byte[] before = written(rows.subList(0, at)).getBytes(StandardCharsets.UTF_8);
                    byte[] bad = damage == 0
                            ? new byte[] {'x', (byte) 0xC3, '(', ',', 'y', '\n'}
                            : "\"never closed,\n".getBytes(StandardCharsets.UTF_8);
                    byte[] after = written(rows.subList(at, rows.size())).getBytes(StandardCharsets.UTF_8);
                    byte[] all = Arrays.copyOf(before, before.length + bad.length + after.length);
                    System.arraycopy(bad, 0, all, before.length, bad.length);
                    System.arraycopy(after, 0, all, before.length + bad.length, after.length);
                    return all;
                });
    }

    @Property(tries = 300)
    void twoThreadsWithTinyChunksReadWhatOneThreadReads(
            @ForAll("brokenOrNot") byte[] written,
            @ForAll @IntRange(min = 1, max = 64) int chunkSize,
            @ForAll("delimiters") char delimiter)
            throws IOException {
        byte[] bytes = swap(written, delimiter);
        Path file = write(bytes);
        try {
            Read one = read(file, 1, CsvChunk.MAX_RECORD_BYTES, delimiter);
            Read two = read(file, 2, chunkSize, delimiter);
            assertEquals(inFileOrder(one), inFileOrder(two), show(new String(bytes, StandardCharsets.UTF_8)));
        } finally {
            Files.delete(file);
        }
    }

    /** Records read in parallel reach their workers in no one order: compare them in the order of their lines. */
    private static Read inFileOrder(Read r) {
        List<Rec> records = new ArrayList<>(r.accepted());
        records.sort(Comparator.comparingLong(Rec::line));
        return new Read(records, r.rejects(), r.error());
    }

    /**
     * A chunk boundary right after a line break inside a quoted cell: the second chunk's guessed
     * start is wrong, the reader notices and reads the file again on one thread.
     */
    @Property(tries = 200)
    void aQuotedLineBreakAtAChunkBoundaryIsNoticedAndTheFileIsReadAgain(
            @ForAll("files") List<Row> rows,
            @ForAll @IntRange(min = 0, max = 1000) int pick,
            @ForAll @IntRange(min = 0, max = 1) int before,
            @ForAll("delimiters") char delimiter)
            throws IOException {
        String text = swap(written(rows), delimiter);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Path file = write(bytes);
        try {
            long dataStart = ChunkedCsvReader.head(file, CsvDialect.DEFAULT.withDelimiter(delimiter))
                    .dataStart();
            List<Integer> quotedBreaks = quotedLineBreaks(bytes, (int) dataStart, delimiter);
            Assume.that(!quotedBreaks.isEmpty());
            int lf = quotedBreaks.get(pick % quotedBreaks.size());
            // the second chunk looks for a line break from the byte before its start: start it right
            // after the quoted one, or on it
            int chunkSize = (int) (lf + 1 - before - dataStart);

            Read one = read(file, 1, CsvChunk.MAX_RECORD_BYTES, delimiter);
            LOG.list.clear();
            Read two = read(file, 2, chunkSize, delimiter);
            assertEquals(inFileOrder(one), inFileOrder(two), show(text));
            assertTrue(
                    LOG.list.stream()
                            .anyMatch(e -> e.getFormattedMessage().contains("reading the file again on one thread")),
                    "the wrong guess at " + (dataStart + chunkSize) + " went unnoticed in " + show(text));
        } finally {
            Files.delete(file);
        }
    }

    /** Positions of the LFs inside quoted cells, from {@code from} on. */
    private static List<Integer> quotedLineBreaks(byte[] b, int from, char delimiter) {
        List<Integer> found = new ArrayList<>();
        boolean inQuotes = false;
        boolean cellStart = true;
        for (int i = from; i < b.length; i++) {
            byte c = b[i];
            if (inQuotes) {
                if (c == '"') {
                    if (i + 1 < b.length && b[i + 1] == '"') {
                        i++;
                    } else {
                        inQuotes = false;
                    }
                } else if (c == '\n') {
                    found.add(i);
                }
                continue;
            }
            if (c == '"' && cellStart) {
                inQuotes = true;
            }
            cellStart = c == delimiter || c == '\n' || c == '\r';
        }
        return Collections.unmodifiableList(found);
    }

    private static String show(String text) {
        return "\n" + text.replace("\r", "\\r").replace("\n", "\\n\n");
    }
}
