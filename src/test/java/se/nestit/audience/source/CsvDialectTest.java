package se.nestit.audience.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written as Excel writes them: another delimiter, another encoding, Swedish status words. */
class CsvDialectTest {

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    private static final CsvDialect EXCEL = new CsvDialect(';', WINDOWS_1252, true, Map.of());

    @TempDir
    Path dir;

    private final Rejects rejects = new Rejects();

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private void requiredFiles(Charset encoding) throws IOException {
        write(
                "customers.csv",
                "customer_id;email;last_name\nc1;a@example.se;Söderberg\nc2;b@example.se;Åkesson\n".getBytes(encoding));
        write(
                "consents.csv",
                "customer_id;purpose;status;recorded_at\nc1;marketing;granted;2026-01-01\n".getBytes(encoding));
        write("suppressions.csv", "customer_id;email\n".getBytes(encoding));
    }

    private DataSet open(Map<InputFile, CsvDialect> dialects) {
        return DataSet.open(dir, Map.of(), dialects, new Timestamps(ZoneId.of("UTC")), rejects);
    }

    private static Map<InputFile, CsvDialect> every(CsvDialect d) {
        Map<InputFile, CsvDialect> all = new java.util.EnumMap<>(InputFile.class);
        for (InputFile f : InputFile.values()) {
            all.put(f, d);
        }
        return all;
    }

    private static List<String> lastNames(DataSet data) {
        List<String> names = new ArrayList<>();
        int column = data.header(InputFile.CUSTOMERS).indexOf("last_name");
        data.readCustomers(
                n -> {},
                row -> {
                    names.add(row.cells().cell(column));
                    return null;
                },
                (id, email) -> {});
        return names;
    }

    @Test
    void aWindows1252FileWithSemicolonsReadsAsItsText() throws IOException {
        requiredFiles(WINDOWS_1252);

        assertEquals(List.of("Söderberg", "Åkesson"), lastNames(open(every(EXCEL))));
        assertEquals(0, rejects.total());
    }

    @Test
    void anIso88591FileReadsAsItsText() throws IOException {
        requiredFiles(StandardCharsets.ISO_8859_1);

        assertEquals(
                List.of("Söderberg", "Åkesson"),
                lastNames(open(every(EXCEL.withEncoding(StandardCharsets.ISO_8859_1)))));
    }

    @Test
    void aHeaderThatSplitsOnAnotherDelimiterNamesTheOption() throws IOException {
        requiredFiles(StandardCharsets.UTF_8);

        InputException e = assertThrows(InputException.class, () -> open(Map.of()));

        assertEquals(
                dir.resolve("customers.csv") + ": required column 'customer_id' is missing from the header "
                        + "(the header has it when split on ';': set source.delimiter: ';' in the config)",
                e.getMessage());
    }

    @Test
    void aTabSeparatedHeaderNamesTab() throws IOException {
        requiredFiles(StandardCharsets.UTF_8);
        write("customers.csv", "customer_id\temail\nc1\ta@example.se\n".getBytes(StandardCharsets.UTF_8));

        InputException e =
                assertThrows(InputException.class, () -> open(every(EXCEL.withEncoding(StandardCharsets.UTF_8))));

        assertTrue(
                e.getMessage()
                        .endsWith("(the header has it when split on tab: set source.delimiter: tab in the config)"),
                e.getMessage());
    }

    @Test
    void aHeaderWithoutTheColumnOnAnyDelimiterKeepsTheMappingHint() throws IOException {
        requiredFiles(StandardCharsets.UTF_8);
        write("customers.csv", "id,email\nc1,a@example.se\n".getBytes(StandardCharsets.UTF_8));

        InputException e = assertThrows(InputException.class, () -> open(Map.of()));

        assertTrue(
                e.getMessage().endsWith("(if your export names it differently, map it under 'columns:' in the config)"),
                e.getMessage());
    }

    @Test
    void windows1252BytesReadAsUtf8NameTheEncodingOptionButNoValue() throws IOException {
        requiredFiles(WINDOWS_1252);

        InputException e = assertThrows(
                InputException.class, () -> lastNames(open(every(EXCEL.withEncoding(StandardCharsets.UTF_8)))));

        assertEquals(
                dir.resolve("customers.csv") + ": line 2: not valid UTF-8, but reads as Windows-1252 "
                        + "(set source.encoding: windows-1252 in the config, or save the export as UTF-8)",
                e.getMessage());
    }

    @Test
    void aWindows1252HeaderReadAsUtf8NamesTheEncodingOption() throws IOException {
        requiredFiles(WINDOWS_1252);
        write("customers.csv", "customer_id;email;efternamn_ö\n".getBytes(WINDOWS_1252));

        InputException e =
                assertThrows(InputException.class, () -> open(every(EXCEL.withEncoding(StandardCharsets.UTF_8))));

        assertTrue(
                e.getMessage()
                        .endsWith("line 1: not valid UTF-8, but reads as Windows-1252 "
                                + "(set source.encoding: windows-1252 in the config, or save the export as UTF-8)"),
                e.getMessage());
    }

    @Test
    void statusWordsOfTheFilesOwnAreReadAndOthersStillRejectTheRow() throws IOException {
        requiredFiles(WINDOWS_1252);
        write(
                "consents.csv",
                String.join(
                                "\n",
                                "customer_id;purpose;status;recorded_at",
                                "c1;marketing;Ja;2026-01-01",
                                "c2;marketing; NEJ ;2026-01-01",
                                "c3;marketing;återkallad;2026-01-01",
                                "c4;marketing;granted;2026-01-01",
                                "c5;marketing;kanske;2026-01-01")
                        .getBytes(WINDOWS_1252));
        CsvDialect swedish = EXCEL.withStatuses(Map.of(
                "ja", ConsentStatus.GRANTED, "nej", ConsentStatus.DENIED, "återkallad", ConsentStatus.WITHDRAWN));
        List<String> read = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();

        open(Map.of(InputFile.CONSENTS, swedish, InputFile.CUSTOMERS, EXCEL, InputFile.SUPPRESSIONS, EXCEL))
                .readConsents(n -> {}, new ConsentSink() {
                    @Override
                    public void offer(ConsentRow row) {
                        read.add(row.customerId() + " " + row.status().code());
                    }

                    @Override
                    public void offerUnreadable(String customerId, String purpose, String brand) {
                        unreadable.add(customerId);
                    }
                });

        assertEquals(List.of("c1 granted", "c2 denied", "c3 withdrawn", "c4 granted"), read);
        assertEquals(List.of("c5"), unreadable, "an unknown word is consent_unreadable, as before");
        Rejects.Reject reject = rejects.all().get(0);
        assertEquals(6, reject.line());
        assertEquals(
                "status: expected granted, denied or withdrawn or a word under statuses: in the config",
                reject.reason());
        assertFalse(reject.reason().contains("kanske"));
    }

    /**
     * A Windows-1252 file read on two threads in chunks of a few bytes gives the records, lines and
     * rejects its UTF-8 twin gives: the transcoding is invisible to the chunk boundaries.
     */
    @Property(tries = 60)
    void aWindows1252FileReadInTinyChunksIsItsUtf8Twin(
            @ForAll @IntRange(min = 1, max = 40) int chunkSize, @ForAll @IntRange(min = 0, max = 100_000) int seed)
            throws IOException {
        Path base = Files.createTempDirectory("dialect");
        try {
            String text = randomFile(new Random(seed));
            Path utf8 = base.resolve("utf8.csv");
            Path cp1252 = base.resolve("cp1252.csv");
            Files.writeString(utf8, text, StandardCharsets.UTF_8);
            Files.writeString(cp1252, text, WINDOWS_1252);

            assertEquals(
                    read(utf8, CsvDialect.DEFAULT.withDelimiter(';'), 1, 1 << 20),
                    read(cp1252, EXCEL, 2, chunkSize),
                    text);
        } finally {
            try (var files = Files.list(base)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(base);
        }
    }

    private static String randomFile(Random random) {
        String[] tokens = {"a", "ö", "Å", "é", "€", "”", "x y", ";", "\"", "\n", "\r\n", "0"};
        StringBuilder s = new StringBuilder("id;name;city\n");
        int rows = random.nextInt(20);
        for (int r = 0; r < rows; r++) {
            List<String> cells = new ArrayList<>();
            for (int c = 0; c < 2 + random.nextInt(3); c++) {
                StringBuilder cell = new StringBuilder();
                for (int k = random.nextInt(5); k > 0; k--) {
                    cell.append(tokens[random.nextInt(tokens.length)]);
                }
                cells.add("\"" + cell.toString().replace("\"", "\"\"") + "\"");
            }
            s.append(String.join(";", cells)).append(random.nextBoolean() ? "\n" : "\r\n");
        }
        return s.toString();
    }

    private record Read(List<String> records, List<Rejects.Reject> rejects) {}

    private static Read read(Path file, CsvDialect dialect, int threads, int chunkSize) {
        ChunkedCsvReader.Head head = ChunkedCsvReader.head(file, dialect);
        Rejects rejects = new Rejects();
        ChunkedCsvReader.Result<List<String>> result = new ChunkedCsvReader(
                        InputFile.EVENTS,
                        file,
                        dialect,
                        head.cells().length,
                        head.dataStart(),
                        head.firstLine(),
                        threads,
                        chunkSize)
                .read(rejects, n -> {}, ArrayList::new, (record, line, seen) -> {
                    List<String> cells = new ArrayList<>();
                    for (int i = 0; i < record.width(); i++) {
                        cells.add(record.cell(i));
                    }
                    seen.add(line + " " + cells);
                    return null;
                });
        List<String> records = new ArrayList<>();
        result.workers().forEach(records::addAll);
        records.sort(null);
        return new Read(records, rejects.all());
    }

    /** Reads at any position and of any length give the bytes of the file's UTF-8 text there. */
    @Property(tries = 40)
    void theTranscodedSourceIsTheUtf8TextAtEveryPosition(@ForAll @IntRange(min = 0, max = 100_000) int seed)
            throws IOException {
        Random random = new Random(seed);
        byte[] raw = new byte[random.nextInt(3 << 16)];
        random.nextBytes(raw);
        byte[] text = windows1252AsTheWebReadsIt(raw).getBytes(StandardCharsets.UTF_8);
        ByteSource source = TranscodedSource.of(
                new ByteSource() {
                    @Override
                    public long size() {
                        return raw.length;
                    }

                    @Override
                    public int read(long position, byte[] b, int offset, int length) {
                        // a short read now and then, as a file system may give
                        int n = (int) Math.min(Math.min(length, 1 + random.nextInt(70_000)), raw.length - position);
                        if (n <= 0) {
                            return -1;
                        }
                        System.arraycopy(raw, (int) position, b, offset, n);
                        return n;
                    }
                },
                WINDOWS_1252);

        assertEquals(text.length, source.size());
        for (int k = 0; k < 20; k++) {
            int at = random.nextInt(text.length + 1);
            int length = random.nextInt(80_000);
            byte[] b = new byte[length + 2];
            int n = source.read(at, b, 1, length);
            int expected = Math.min(length, text.length - at);
            assertEquals(at == text.length ? -1 : expected, n);
            assertArrayEquals(Arrays.copyOfRange(text, at, at + expected), Arrays.copyOfRange(b, 1, 1 + expected));
        }
    }

    /** The five bytes Windows-1252 leaves undefined read as the control characters of their numbers. */
    private static String windows1252AsTheWebReadsIt(byte[] raw) {
        StringBuilder s = new StringBuilder();
        for (byte b : raw) {
            int v = b & 0xFF;
            boolean undefined = v == 0x81 || v == 0x8D || v == 0x8F || v == 0x90 || v == 0x9D;
            s.append(undefined ? String.valueOf((char) v) : new String(new byte[] {b}, WINDOWS_1252));
        }
        return s.toString();
    }
}
