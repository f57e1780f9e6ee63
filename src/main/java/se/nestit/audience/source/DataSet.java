package se.nestit.audience.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * The five input files of one data directory, or the five inputs a database streams, opened
 * (headers checked) up front so that audience definitions can be validated against the real
 * columns before any row is read. Each read method streams one input once, turns its records into
 * typed rows and rejects those it cannot use. Closing it lets go of what the inputs hold (a
 * database connection); files hold nothing between reads.
 */
public final class DataSet implements AutoCloseable {

    /** The bytes a reading thread reads at once, on up to four threads. */
    public static final int CHUNK_BYTES = 8 << 20;

    /** What the chunk buffers of one file's reading threads take together on four threads or more. */
    static final int BUFFER_BYTES = 32 << 20;

    /**
     * The bytes each of {@code threads} threads reads at once: less than {@link #CHUNK_BYTES} on
     * many threads, so that the heap their buffers take does not grow with them; 1 MB at least, so
     * that a large file does not turn into tens of thousands of tasks.
     */
    static int chunkBytes(int threads) {
        return Math.max(1 << 20, Math.min(CHUNK_BYTES, BUFFER_BYTES / threads));
    }

    private final Map<InputFile, ? extends RecordSource> files;
    private final Timestamps timestamps;
    private final Rejects rejects;
    private final Runnable release;
    private final Map<InputFile, Long> records = new EnumMap<>(InputFile.class);
    private final Map<InputFile, UnreadCells> unread = new EnumMap<>(InputFile.class);
    private final AtomicBoolean released = new AtomicBoolean();

    private DataSet(
            Map<InputFile, ? extends RecordSource> files, Timestamps timestamps, Rejects rejects, Runnable release) {
        this.files = files;
        this.timestamps = timestamps;
        this.rejects = rejects;
        this.release = release;
    }

    /**
     * @param columns per file, contract column name to the name in the user's export
     * @param dialects per file, how it is written; a file left out is {@link CsvDialect#DEFAULT}
     * @throws InputException when a required file or column is missing
     */
    public static DataSet open(
            Path dir,
            Map<InputFile, Map<String, String>> columns,
            Map<InputFile, CsvDialect> dialects,
            Timestamps timestamps,
            Rejects rejects) {
        Map<InputFile, CsvFile> files = new EnumMap<>(InputFile.class);
        for (InputFile f : InputFile.values()) {
            files.put(
                    f,
                    CsvFile.open(
                            f,
                            dir.resolve(f.fileName()),
                            columns.getOrDefault(f, Map.of()),
                            dialects.getOrDefault(f, CsvDialect.DEFAULT)));
        }
        return new DataSet(files, timestamps, rejects, () -> {});
    }

    /**
     * The inputs a database streams, each read once (see {@link CsvStream}).
     *
     * @param inputs every input file's stream
     * @param release run once on {@link #close()}
     */
    public static DataSet of(
            Map<InputFile, CsvStream> inputs, Timestamps timestamps, Rejects rejects, Runnable release) {
        Map<InputFile, CsvStream> files = new EnumMap<>(inputs);
        if (files.size() != InputFile.values().length) {
            throw new IllegalArgumentException("expected every input file but got " + files.keySet());
        }
        return new DataSet(files, timestamps, rejects, release);
    }

    public Header header(InputFile file) {
        return files.get(file).header();
    }

    public boolean has(InputFile file) {
        return header(file).present();
    }

    public long size(InputFile file) {
        return files.get(file).size();
    }

    /** About how many records an input holds, to size tables for them up front; -1 when not known. */
    public long estimatedRecords(InputFile file) {
        return files.get(file).estimatedRecords();
    }

    public Path path(InputFile file) {
        return files.get(file).path();
    }

    /** The input's name in rejects.csv: the file's name ({@code customers.csv}) or the database input's. */
    public String name(InputFile file) {
        return files.get(file).name();
    }

    /** Records read from a file so far, rejected ones included. */
    public synchronized long records(InputFile file) {
        return records.getOrDefault(file, 0L);
    }

    /** Per column, the cells of a file's rows read so far that counted without them (see {@link UnreadCells}). */
    public synchronized Map<String, Long> unread(InputFile file) {
        UnreadCells cells = unread.get(file);
        return cells == null ? Map.of() : cells.counts();
    }

    public Rejects rejects() {
        return rejects;
    }

    public void readSuppressions(LongConsumer progress, Consumer<SuppressionRow> sink) {
        SuppressionRows rows = new SuppressionRows(header(InputFile.SUPPRESSIONS));
        read(InputFile.SUPPRESSIONS, progress, (row, line) -> rows.check(row, line, sink));
    }

    public void readConsents(LongConsumer progress, ConsentSink sink) {
        ConsentRows rows = new ConsentRows(
                header(InputFile.CONSENTS),
                timestamps,
                files.get(InputFile.CONSENTS).dialect());
        read(InputFile.CONSENTS, progress, new CsvFile.RecordCheck() {
            @Override
            public String accept(RowView row, long line) {
                return rows.check(row, line, sink);
            }

            @Override
            public void misshapen(ByteRecord record) {
                rows.misshapen(record, sink);
            }
        });
    }

    /**
     * @param sink takes each row and answers null to accept it or the reason to reject it (a
     *     duplicate customer_id, which only the sink can tell)
     * @param rejected takes the customer_id and raw email of a row rejected before the sink saw it,
     *     when they can be read (see {@link CustomerRows#misshapen})
     */
    public void readCustomers(
            LongConsumer progress, Function<CustomerRow, String> sink, BiConsumer<String, String> rejected) {
        CustomerRows rows = new CustomerRows(header(InputFile.CUSTOMERS), timestamps);
        read(InputFile.CUSTOMERS, progress, new CsvFile.RecordCheck() {
            @Override
            public String accept(RowView row, long line) {
                return rows.check(row, line, sink, rejected);
            }

            @Override
            public void misshapen(ByteRecord record) {
                rows.misshapen(record, rejected);
            }
        });
    }

    /**
     * Reads orders.csv or events.csv, the large files, on several threads (see {@link
     * ChunkedCsvReader}), finding each row's customer in {@code customers}.
     *
     * @param required the cells a rule reads on every order line, so that one not readable rejects its row
     * @param threads how many threads may read the file at once; a stream is read on one
     * @param sinks makes one sink per reading thread
     * @return the sinks that received the rows (those of a read begun again left out)
     */
    public <S extends ActivitySink> List<S> readActivity(
            InputFile file,
            CustomerIndex customers,
            RequiredCells required,
            int threads,
            LongConsumer progress,
            ActivitySinks<S> sinks) {
        if (file != InputFile.ORDERS && file != InputFile.EVENTS) {
            throw new IllegalArgumentException("expected orders or events but was " + file);
        }
        Header h = header(file);
        if (!h.present()) {
            return List.of();
        }
        ActivityRows rows =
                new ActivityRows(file, h, timestamps, files.get(file).dialect(), required);

        final class Worker {
            final S sink = sinks.sink();
            final ActivityRecord record = new ActivityRecord();
            final UnreadCells unread = new UnreadCells();
            final CustomerLookup ids = customers.remembering();
        }
        RecordSource input = files.get(file);
        ChunkedCsvReader.Result<Worker> result =
                input.read(threads, rejects, progress, Worker::new, new CsvChunk.RecordHandler<Worker>() {
                    @Override
                    public String accept(ByteRecord row, long line, Worker w) {
                        String reason = rows.check(row, line, w.ids, w.record, w.unread);
                        if (reason == null) {
                            w.sink.accept(w.record);
                        }
                        return reason;
                    }

                    @Override
                    public void block(CsvChunk chunk, Worker w) throws IOException {
                        // this handler's own loop: see RecordHandler.block
                        for (ByteRecord r; (r = chunk.next(this, w)) != null; ) {
                            chunk.handled(accept(r, chunk.line(), w));
                        }
                    }

                    @Override
                    public boolean linesOnDemand() {
                        // a row needs its line only for the message that stops the run (an email as id)
                        return true;
                    }

                    @Override
                    public void restart() {
                        sinks.restart();
                    }
                });
        synchronized (this) {
            records.merge(file, result.records(), Long::sum);
            result.workers()
                    .forEach(w ->
                            unread.computeIfAbsent(file, f -> new UnreadCells()).addAll(w.unread));
        }
        return result.workers().stream().map(w -> w.sink).toList();
    }

    private void read(InputFile file, LongConsumer progress, CsvFile.RecordCheck check) {
        long n = files.get(file).read(rejects, progress, check);
        synchronized (this) {
            records.merge(file, n, Long::sum);
        }
    }

    /** Lets go of what the inputs hold; once all are read, or when the run stops. Closing again does nothing. */
    @Override
    public void close() {
        if (released.compareAndSet(false, true)) {
            release.run();
        }
    }
}
