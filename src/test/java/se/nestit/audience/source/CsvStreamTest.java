package se.nestit.audience.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A stream of CSV, as a database's COPY writes it, gives the same records, lines and rejects as the
 * same bytes in a file, whatever the chunk size and however the stream hands its bytes out.
 */
class CsvStreamTest {

    private static final Path DATA = Path.of("src/test/resources/e2e/data");

    private record Row(long line, List<String> cells) {}

    private record Read(List<Row> rows, long records, List<Rejects.Reject> rejects) {}

    /** A stream that hands out a few bytes per call, so that chunks and records end anywhere. */
    private static InputStream trickle(byte[] bytes, int most) {
        return new ByteArrayInputStream(bytes) {
            private int call;

            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + call++ % most));
            }
        };
    }

    private static Read read(RecordSource source) {
        Rejects rejects = new Rejects();
        List<Row> rows = new ArrayList<>();
        long records = source.read(rejects, n -> {}, (row, line) -> {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < source.header().width(); i++) {
                cells.add(row.cell(i));
            }
            rows.add(new Row(line, cells));
            return line % 3 == 0 ? "a line divisible by 3" : null;
        });
        return new Read(rows, records, rejects.all().stream().toList());
    }

    private static final Map<String, String> EMAIL = Map.of("email", "billing_email");

    private static CsvStream stream(InputFile file, byte[] bytes, int most, int chunkBytes) {
        String[] cells = ChunkedCsvReader.head(DATA.resolve(file.fileName()), CsvDialect.DEFAULT)
                .cells();
        Map<String, String> mapping = file == InputFile.CUSTOMERS ? EMAIL : Map.of();
        return new CsvStream(
                file,
                file.fileName(),
                cells,
                Header.of(file, Path.of(file.fileName()), cells, mapping, ','),
                () -> trickle(bytes, most),
                chunkBytes);
    }

    @ParameterizedTest
    @CsvSource({
        "customers, 1, 7",
        "customers, 64, 3",
        "consents, 16, 5",
        "orders, 32, 1000",
        "orders, 8192, 7",
        "events, 1, 1"
    })
    void aStreamReadsAsTheSameBytesInAFile(String name, int chunkBytes, int most) throws IOException {
        InputFile file = InputFile.forKey(name).orElseThrow();
        Path path = DATA.resolve(file.fileName());
        Read fromFile =
                read(CsvFile.open(file, path, file == InputFile.CUSTOMERS ? EMAIL : Map.of(), CsvDialect.DEFAULT));
        Read fromStream = read(stream(file, Files.readAllBytes(path), most, chunkBytes));
        assertEquals(fromFile, fromStream);
    }

    @Test
    void progressCountsEveryByte() throws IOException {
        byte[] bytes = Files.readAllBytes(DATA.resolve("orders.csv"));
        AtomicLong progress = new AtomicLong();
        stream(InputFile.ORDERS, bytes, 5, 100).read(new Rejects(), progress::addAndGet, (row, line) -> null);
        assertEquals(bytes.length, progress.get());
    }

    @Test
    void aHeaderOtherThanAnnouncedStopsTheRead() {
        byte[] bytes = "customer_id,purpose,status\nC1,marketing,granted\n".getBytes(StandardCharsets.UTF_8);
        InputException e = assertThrows(InputException.class, () -> read(stream(InputFile.CONSENTS, bytes, 3, 64)));
        assertTrue(
                e.getMessage().startsWith("consents.csv: line 1: the header row is not the one announced"),
                e.getMessage());
    }

    @Test
    void aQuoteNeverClosedStopsTheReadAtItsLine() {
        String[] header = {"customer_id", "email"};
        byte[] bytes = "customer_id,email\nC1,a@example.se\nC2,\"b@example.se\nC3,c@example.se\n"
                .getBytes(StandardCharsets.UTF_8);
        CsvStream s = CsvStream.of(
                InputFile.CUSTOMERS, "postgres:customers", header, Map.of(), () -> new ByteArrayInputStream(bytes));
        InputException e = assertThrows(InputException.class, () -> read(s));
        assertEquals("postgres:customers: line 3: a quoted field is never closed (unbalanced quote)", e.getMessage());
    }

    @Test
    void anAbsentInputReadsAsEmpty() {
        CsvStream s = CsvStream.absent(InputFile.ORDERS, "postgres:orders");
        assertEquals(new Read(List.of(), 0, List.of()), read(s));
    }
}
