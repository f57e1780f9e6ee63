package se.nestit.audience.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** How a read on several threads ends, what it leaves behind, and the lines its handlers see. */
@Timeout(60)
class ChunkedCsvReaderTest {

    private static final String HEADER = "customer_id,occurred_at,event\n";

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, text.getBytes(StandardCharsets.UTF_8));
        return p;
    }

    private static ChunkedCsvReader reader(Path p, int threads, int chunkSize) {
        ChunkedCsvReader.Head head = ChunkedCsvReader.head(p, CsvDialect.DEFAULT);
        return new ChunkedCsvReader(
                InputFile.EVENTS,
                p,
                CsvDialect.DEFAULT,
                head.cells().length,
                head.dataStart(),
                head.firstLine(),
                threads,
                chunkSize);
    }

    /**
     * The records a file holds, estimated from the bytes read for its header: exact for a file those
     * bytes hold whole, scaled for a larger one from the rows in them.
     */
    @Test
    void theHeadEstimatesTheRecordsOfTheFile() throws IOException {
        assertEquals(
                1000,
                ChunkedCsvReader.head(write("small.csv", rows(1000)), CsvDialect.DEFAULT)
                        .estimatedRecords());
        assertEquals(
                0,
                ChunkedCsvReader.head(write("empty.csv", HEADER), CsvDialect.DEFAULT)
                        .estimatedRecords());
        // 16 MB of rows of 24 bytes: sixteen times what is read for the header, whose last row is cut
        int n = (16 << 20) / 24;
        StringBuilder large = new StringBuilder(HEADER);
        for (int i = 0; i < n; i++) {
            large.append(String.format("r%07d,2026-01-01,view\n", i));
        }
        long estimate = ChunkedCsvReader.head(write("large.csv", large.toString()), CsvDialect.DEFAULT)
                .estimatedRecords();
        assertTrue(Math.abs(estimate - n) <= n / 1000, "estimated " + estimate + " of " + n);
    }

    /**
     * The head reads a sample of about ten thousand rows, not the 8 MB a record may take, and reads
     * on for a header longer than the sample.
     */
    @Test
    void theHeadReadsASampleAndOnlyALongHeaderFurther() throws IOException {
        StringBuilder text = new StringBuilder(HEADER);
        int n = (4 << 20) / 24;
        for (int i = 0; i < n; i++) {
            text.append(String.format("r%07d,2026-01-01,view\n", i));
        }
        AtomicLong read = new AtomicLong();
        ChunkedCsvReader.Head head = ChunkedCsvReader.head(counting(text.toString(), read), "events.csv", (byte) ',');
        assertTrue(read.get() <= ChunkedCsvReader.HEAD_SAMPLE_BYTES, read.get() + " bytes read");
        assertEquals(List.of("customer_id", "occurred_at", "event"), List.of(head.cells()));
        assertTrue(
                Math.abs(head.estimatedRecords() - n) <= n / 1000, "estimated " + head.estimatedRecords() + " of " + n);

        // a header of 2 MB: 200,000 columns of ten bytes, then one row
        StringBuilder wide = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            wide.append(i == 0 ? "" : ",").append(String.format("col%06d", i));
        }
        int headerBytes = wide.length() + 1;
        wide.append('\n').append("x".repeat(10)).append('\n');
        ChunkedCsvReader.Head wideHead = ChunkedCsvReader.head(counting(wide.toString(), read), "wide.csv", (byte) ',');
        assertEquals(200_000, wideHead.cells().length);
        assertEquals("col199999", wideHead.cells()[199_999]);
        assertEquals(headerBytes, wideHead.dataStart());
        assertEquals(1, wideHead.estimatedRecords());

        // one that does not end within the longest record a file may hold is refused, as before
        String endless = "c".repeat(CsvChunk.MAX_RECORD_BYTES + 10) + "\n";
        InputException e = assertThrows(
                InputException.class, () -> ChunkedCsvReader.head(counting(endless, read), "endless.csv", (byte) ','));
        assertEquals("endless.csv: line 1: the header row does not end within 8 MB", e.getMessage());
    }

    /** The text's UTF-8 bytes as a source that adds up in {@code read} how many bytes were read. */
    private static ByteSource counting(String text, AtomicLong read) {
        ByteSource bytes = ByteSource.of(text.getBytes(StandardCharsets.UTF_8));
        read.set(0);
        return new ByteSource() {
            @Override
            public long size() throws IOException {
                return bytes.size();
            }

            @Override
            public int read(long position, byte[] b, int offset, int length) throws IOException {
                int n = bytes.read(position, b, offset, length);
                read.addAndGet(Math.max(n, 0));
                return n;
            }
        };
    }

    /** Rows r000, r001, ... of one length, so that a chunk of ten rows' bytes starts at every tenth. */
    private static String rows(int n) {
        StringBuilder s = new StringBuilder(HEADER);
        for (int i = 0; i < n; i++) {
            s.append(String.format("r%03d,2026-01-01,view\n", i));
        }
        return s.toString();
    }

    @Test
    void noHandlerRunsAfterAParallelReadThrew() throws Exception {
        Path p = write("events.csv", rows(40));
        int tenRows = "r000,2026-01-01,view\n".length() * 10;
        Thread reading = Thread.currentThread();
        CountDownLatch secondChunkAtWork = new CountDownLatch(1);
        AtomicBoolean threw = new AtomicBoolean();
        AtomicBoolean ranAfterThrow = new AtomicBoolean();
        CountDownLatch secondChunkDone = new CountDownLatch(1);

        InputException e = assertThrows(
                InputException.class,
                () -> reader(p, 2, tenRows).read(new Rejects(), n -> {}, () -> null, (record, line, none) -> {
                    if (record.cell(0).equals("r000")) {
                        awaitQuietly(secondChunkAtWork);
                        throw new InputException("the first chunk fails");
                    }
                    if (record.cell(0).equals("r010")) {
                        secondChunkAtWork.countDown();
                        // still at work when the reader gives up: it interrupts this thread ...
                        awaitQuietly(new CountDownLatch(1));
                        // ... and then either waits for it, or has thrown and the test waits
                        while (reading.getState() != Thread.State.WAITING
                                && reading.getState() != Thread.State.TIMED_WAITING) {
                            Thread.onSpinWait();
                        }
                        ranAfterThrow.set(threw.get());
                        secondChunkDone.countDown();
                    }
                    return null;
                }));
        threw.set(true);
        secondChunkDone.await();

        assertEquals("the first chunk fails", e.getMessage());
        assertFalse(ranAfterThrow.get(), "a reading thread handled a record after read() threw");
    }

    /** Waits until counted down or interrupted, and keeps the interrupt for the reader to see. */
    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void noReadingBufferOutlivesTheRead() throws IOException {
        Path p = write("events.csv", rows(100));
        ChunkedCsvReader reader = reader(p, 1, 64 << 10);
        AtomicReference<WeakReference<byte[]>> buffer = new AtomicReference<>();

        reader.read(new Rejects(), n -> {}, () -> null, (record, line, none) -> {
            buffer.compareAndSet(null, new WeakReference<>(record.bytes()));
            return null;
        });
        for (int i = 0; i < 20 && !buffer.get().refersTo(null); i++) {
            System.gc();
        }

        // the reader itself lives on (as it would with the run), and so did a buffer kept on the thread
        assertTrue(buffer.get().refersTo(null), "the buffer the records were read in is still held after read()");
        Reference.reachabilityFence(reader);
    }

    @Test
    void recordsReadOnSeveralThreadsAreHandedOutWithTheirLines() throws IOException {
        // a quoted line break, CRLFs and a blank line before later chunks: each must count its lines
        String text = HEADER + "q000,2026-01-01,\"two\nlines\"\r\n\r\n" + rows(60).substring(HEADER.length());
        Path p = write("events.csv", text);
        List<String> seen = new ArrayList<>();

        ChunkedCsvReader.Result<List<String>> result = reader(p, 2, 64)
                .read(new Rejects(), n -> {}, ArrayList::new, (record, line, lines) -> {
                    lines.add(line + " " + record.cell(0));
                    return null;
                });
        result.workers().forEach(seen::addAll);

        List<String> expected = new ArrayList<>(List.of("2 q000"));
        for (int i = 0; i < 60; i++) {
            expected.add((i + 5) + String.format(" r%03d", i));
        }
        assertEquals(expected.stream().sorted().toList(), seen.stream().sorted().toList());
    }

    /** Takes lines on demand, and needs one for the record named {@code wanted}. */
    private static final class OnDemand implements CsvChunk.RecordHandler<List<String>> {
        private final String wanted;
        final List<String> named = new ArrayList<>();
        final List<Long> linesSeen = new ArrayList<>();
        int restarts;

        OnDemand(String wanted) {
            this.wanted = wanted;
        }

        @Override
        public String accept(ByteRecord record, long line, List<String> seen) {
            synchronized (this) {
                linesSeen.add(line);
            }
            if (record.cell(0).equals(wanted)) {
                if (line < 0) {
                    throw new CsvChunk.LineNeeded();
                }
                named.add(line + " " + wanted);
            }
            seen.add(record.cell(0));
            return null;
        }

        @Override
        public boolean linesOnDemand() {
            return true;
        }

        @Override
        public void restart() {
            restarts++;
        }
    }

    @Test
    void recordsTakenWithLinesOnDemandComeWithoutTheirLineOnLaterChunks() throws IOException {
        Path p = write("events.csv", rows(40));
        int tenRows = "r000,2026-01-01,view\n".length() * 10;
        OnDemand handler = new OnDemand("none");

        ChunkedCsvReader.Result<List<String>> result =
                reader(p, 2, tenRows).read(new Rejects(), n -> {}, ArrayList::new, handler);

        assertEquals(40, result.records());
        assertEquals(0, handler.restarts);
        // the first chunk's line is known from the header; the others' only once all are read
        assertEquals(10, handler.linesSeen.stream().filter(line -> line >= 2).count());
        assertEquals(30, handler.linesSeen.stream().filter(line -> line == -1).count());
    }

    @Test
    void aRecordThatNeedsItsLineHasTheFileReadAgainWithLines() throws IOException {
        // a quoted line break and a CRLF before the record: the line counts them
        String text = HEADER + "q000,2026-01-01,\"two\nlines\"\r\n" + rows(60).substring(HEADER.length());
        Path p = write("events.csv", text);
        OnDemand handler = new OnDemand("r050");
        Rejects rejects = new Rejects();

        ChunkedCsvReader.Result<List<String>> result = reader(p, 2, 64).read(rejects, n -> {}, ArrayList::new, handler);

        assertEquals(1, handler.restarts);
        // the header, q000 on two lines, then r000 on line 4
        assertEquals(List.of("54 r050"), handler.named);
        assertEquals(61, result.records());
        assertEquals(61, result.workers().stream().mapToInt(List::size).sum(), "only the second pass's workers");
    }

    @Test
    void anEmailAsCustomerIdInALaterChunkOfALargeFileIsNamedByItsLine() throws IOException {
        // larger than one chunk, so that the run reads it on several threads
        StringBuilder events = new StringBuilder(HEADER);
        for (int i = 0; i < 500_000; i++) {
            events.append(
                    i == 10
                            ? "c1,2026-01-01,\"a\nb\"\n"
                            : i == 480_000 ? "x@example.com,2026-01-01,view\n" : "c1,2026-01-01,view\n");
        }
        assertTrue(events.length() > DataSet.CHUNK_BYTES, "one chunk only");
        write("events.csv", events.toString());
        write("customers.csv", "customer_id,email\nc1,a@example.com\n");
        write("consents.csv", "customer_id,purpose,status,recorded_at\nc1,marketing,granted,2026-01-01\n");
        write("suppressions.csv", "customer_id,email\n");
        DataSet data = DataSet.open(dir, Map.of(), Map.of(), new Timestamps(ZoneId.of("UTC")), new Rejects());
        CustomerIndex customers = new CustomerIndex();
        customers.add("c1");

        InputException e = assertThrows(
                InputException.class,
                () -> data.readActivity(
                        InputFile.EVENTS, customers, RequiredCells.NONE, 4, n -> {}, () -> record -> {}));

        // the header, 480 000 rows before it, one of them on two lines
        assertTrue(e.getMessage().contains("events.csv: line 480003, column 1 (customer_id)"), e.getMessage());
    }

    @Test
    void theChunkBuffersOfOneFileTakeAtMost32MbUpTo32Threads() {
        assertEquals(DataSet.CHUNK_BYTES, DataSet.chunkBytes(2), "two cores read 8 MB at a time");
        for (int threads = 1; threads <= 32; threads++) {
            assertTrue((long) threads * DataSet.chunkBytes(threads) <= 32 << 20, threads + " threads");
        }
        assertEquals(2 << 20, DataSet.chunkBytes(16));
        assertEquals(1 << 20, DataSet.chunkBytes(256), "no chunk is smaller than 1 MB");
    }
}
