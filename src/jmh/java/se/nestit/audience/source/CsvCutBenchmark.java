package se.nestit.audience.source;

import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.exceptions.CsvValidationException;
import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.StringArrayHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import se.nestit.audience.generate.DataGenerator;

/**
 * What one row of orders.csv or events.csv costs to cut into cells: opencsv's RFC 4180 parser (the
 * oracle of CsvReaderPropertiesTest) and FastCSV next to the product's {@link ByteRecord}, all on the
 * same bytes, and the product's whole work on a row as a reading thread does it. The rows are the
 * first {@value #ROWS} of each file as {@code generate} writes them with the bench data's seed and
 * date; one operation reads them all, and JMH reports the time per row. Every cell is consumed:
 * a string as a string, a cell kept as a range by its bounds. Sampled, not averaged: on a shared
 * machine the median of the thousands of timed operations is the figure that other work disturbs least.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(CsvCutBenchmark.ROWS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class CsvCutBenchmark {

    static final int ROWS = 10_000;
    /** About five order lines and thirty events each: more than {@link #ROWS} of both. */
    private static final int CUSTOMERS = 3_000;
    /** Customers in the 1M bench set: lookups search a table of the size they search there. */
    private static final int INDEX_SIZE = 1_000_000;

    /**
     * Per file, the {@code where} of a bench audience on it (bench/audiences: fantasy-browsers-30d and
     * crime-buyers-90d), tested as RowFilter tests equality.
     */
    private static final Map<InputFile, Map<String, String>> WHERE = Map.of(
            InputFile.EVENTS, Map.of("event", "product_view", "category", "fantasy"),
            InputFile.ORDERS, Map.of("category", "crime-fiction"));

    @Param({"events", "orders"})
    public String file;

    /**
     * The rows as written (grouped by customer, as the bench set's files are) or shuffled, so that
     * a lookup helped by the grouping is also measured without it. Only the product reads the
     * shuffled rows differently: the libraries cut bytes, whoever's they are.
     */
    @Param({"sorted", "shuffled"})
    public String order;

    /** {@link #ROWS} records, without the header. */
    private byte[] csv;
    /** The same, decoded. */
    private String text;

    private int width;
    private final ByteRecord record = new ByteRecord((byte) ',');
    private final CellBounds bounds = new CellBounds();

    // the product's per-row work
    private final CustomerIndex customers = new CustomerIndex();
    private final CustomerLookup ids = customers.remembering();
    private ActivityRows rows;
    private int[] whereColumns;
    private ValueSet[] whereValues;
    private byte[] chunkBuffer;
    private final ActivityRecord activity = new ActivityRecord();
    private final UnreadCells unread = new UnreadCells();
    private long matched;

    @Setup
    public void setUp(Blackhole out) throws IOException, CsvValidationException {
        InputFile input = InputFile.valueOf(file.toUpperCase(Locale.ROOT));
        Path dir = Files.createTempDirectory("csv-cut-benchmark");
        byte[] all;
        try {
            new DataGenerator(new DataGenerator.Settings(CUSTOMERS, 1, Instant.parse("2026-11-22T00:00:00Z")))
                    .write(dir, n -> {});
            all = Files.readAllBytes(dir.resolve(input.fileName()));
            try (Stream<String> lines = Files.lines(dir.resolve(InputFile.CUSTOMERS.fileName()))) {
                lines.skip(1).forEach(line -> customers.add(line.substring(0, line.indexOf(','))));
            }
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        for (int i = customers.size(); i < INDEX_SIZE; i++) {
            customers.add("X" + i);
        }

        int body = record.parse(all, 0, all.length, true);
        String[] names = new String[record.width()];
        Arrays.setAll(names, record::cell);
        width = names.length;
        int end = body;
        for (int i = 0; i < ROWS; i++) {
            end = record.parse(all, end, all.length, true);
            if (end < 0) {
                throw new IllegalStateException(input.fileName() + " has fewer than " + ROWS + " records");
            }
        }
        csv = Arrays.copyOfRange(all, body, end);
        if (order.equals("shuffled")) {
            csv = shuffled(csv);
        }
        text = new String(csv, StandardCharsets.UTF_8);

        Header header = Header.of(input, Path.of(input.fileName()), names, Map.of(), ',');
        // amounts needed: lapsed-high-value-style rules (min_amount) make every order's amount count
        rows = new ActivityRows(
                input, header, new Timestamps(ZoneOffset.UTC), CsvDialect.DEFAULT, new RequiredCells(true, false));
        List<Map.Entry<String, String>> where = List.copyOf(WHERE.get(input).entrySet());
        whereColumns = where.stream().mapToInt(e -> header.indexOf(e.getKey())).toArray();
        whereValues = where.stream().map(e -> new ValueSet(List.of(e.getValue()))).toArray(ValueSet[]::new);

        System.out.printf(
                "%n%s: %,d rows of %d cells, %.1f bytes a row (MB/s = bytes a row * 1000 / ns a row)%n",
                input.fileName(), ROWS, width, (double) csv.length / ROWS);
        checkEveryWayReadsTheSameRows(out);
    }

    /** opencsv reading every cell as a string, as the property tests read their oracle's. */
    @Benchmark
    public long opencsv(Blackhole out) throws IOException, CsvValidationException {
        long n = 0;
        try (CSVReader reader = new CSVReaderBuilder(
                        new InputStreamReader(new ByteArrayInputStream(csv), StandardCharsets.UTF_8))
                .withCSVParser(new RFC4180ParserBuilder().build())
                .build()) {
            String[] cells;
            while ((cells = reader.readNext()) != null) {
                for (String cell : cells) {
                    out.consume(cell);
                }
                n++;
            }
        }
        return n;
    }

    /**
     * FastCSV reading every cell as a string: its string array handler, which its documentation
     * gives as the way without the overhead of its default record objects.
     */
    @Benchmark
    public long fastcsvStrings(Blackhole out) throws IOException {
        long n = 0;
        try (CsvReader<String[]> reader = CsvReader.builder()
                .build(StringArrayHandler.of(), new ByteArrayInputStream(csv), StandardCharsets.UTF_8)) {
            for (String[] cells : reader) {
                for (String cell : cells) {
                    out.consume(cell);
                }
                n++;
            }
        }
        return n;
    }

    /**
     * FastCSV with a callback handler of its own that takes each cell as a range of its char buffer,
     * the way its documentation gives for the last bit of speed: no string per cell.
     */
    @Benchmark
    public long fastcsvRanges() throws IOException {
        bounds.sum = 0;
        try (CsvReader<CellBounds> reader =
                CsvReader.builder().build(bounds, new ByteArrayInputStream(csv), StandardCharsets.UTF_8)) {
            for (CellBounds b : reader) {
                b.sum++;
            }
        }
        return bounds.sum;
    }

    /** The same on the rows decoded beforehand: FastCSV's cost without decoding UTF-8, which it reads as chars. */
    @Benchmark
    public long fastcsvRangesFromText() throws IOException {
        bounds.sum = 0;
        try (CsvReader<CellBounds> reader = CsvReader.builder().build(bounds, text)) {
            for (CellBounds b : reader) {
                b.sum++;
            }
        }
        return bounds.sum;
    }

    /** The product's record, its cells left as byte ranges, as the product reads them. */
    @Benchmark
    public long byteRecordRanges() {
        long sum = 0;
        int pos = 0;
        while (pos < csv.length) {
            pos = record.parse(csv, pos, csv.length, true);
            for (int i = 0; i < record.width(); i++) {
                sum += record.start(i) + record.end(i);
            }
            sum++;
        }
        return sum;
    }

    /** The product's record with every cell made a string, as opencsv and FastCSV hand them out. */
    @Benchmark
    public long byteRecordStrings(Blackhole out) {
        long n = 0;
        int pos = 0;
        while (pos < csv.length) {
            pos = record.parse(csv, pos, csv.length, true);
            for (int i = 0; i < record.width(); i++) {
                out.consume(record.cell(i));
            }
            n++;
        }
        return n;
    }

    /**
     * What a reading thread does with each row: {@link CsvChunk} cuts it and checks its shape,
     * {@link ActivityRows#check} finds its customer among a million and reads its time (and an
     * order's amount and quantity), and a bench audience's {@code where} tests it.
     */
    @Benchmark
    public long productRow() throws IOException {
        matched = 0;
        CsvChunk chunk = new CsvChunk(ByteSource.of(csv), 0, csv.length, true, 2, width, (byte) ',')
                .read(this, (row, line, self) -> self.accept(row, line), chunkBuffer);
        chunkBuffer = chunk.takeBuffer();
        if (chunk.error() != null || chunk.rejected() != 0) {
            throw new IllegalStateException("the sample rows no longer read cleanly: " + chunk.error());
        }
        return chunk.records() + matched;
    }

    private String accept(ByteRecord row, long line) {
        String reason = rows.check(row, line, ids, activity, unread);
        if (reason == null && activity.customer() >= 0 && matches(row)) {
            matched++;
        }
        return reason;
    }

    private boolean matches(ByteRecord row) {
        for (int i = 0; i < whereColumns.length; i++) {
            if (!row.cellIn(whereColumns[i], whereValues[i])) {
                return false;
            }
        }
        return true;
    }

    /** The same lines in an order of a fixed seed, so that every run reads the same bytes. */
    private static byte[] shuffled(byte[] lines) {
        List<String> rows = new ArrayList<>(List.of(new String(lines, StandardCharsets.UTF_8).split("\n")));
        Collections.shuffle(rows, new Random(20261203));
        return (String.join("\n", rows) + "\n").getBytes(StandardCharsets.UTF_8);
    }


    /** So that a faster way is not one that skipped rows or cells: each must see the same ones. */
    private void checkEveryWayReadsTheSameRows(Blackhole out) throws IOException, CsvValidationException {
        long[] records = {opencsv(out), fastcsvStrings(out), byteRecordStrings(out)};
        if (!Arrays.equals(records, new long[] {ROWS, ROWS, ROWS})) {
            throw new IllegalStateException("records read by opencsv, FastCSV, ByteRecord: " + Arrays.toString(records));
        }
        bounds.cells = 0;
        fastcsvRanges();
        fastcsvRangesFromText();
        if (bounds.cells != 2L * ROWS * width) {
            throw new IllegalStateException("FastCSV's handler saw " + bounds.cells + " cells, not twice " + ROWS * width);
        }
        productRow();
    }

    /** Takes each cell as a range of FastCSV's buffer and adds its bounds to a sum. */
    private static final class CellBounds extends AbstractBaseCsvCallbackHandler<CellBounds> {
        long sum;
        long cells;

        @Override
        protected void handleField(int index, char[] buf, int offset, int length, boolean quoted) {
            sum += offset + length;
            cells++;
        }

        @Override
        protected CellBounds buildRecord() {
            return this;
        }
    }
}
