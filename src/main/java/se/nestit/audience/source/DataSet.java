package se.nestit.audience.source;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The five input files of one data directory, opened (headers checked) up front so that audience
 * definitions can be validated against the real columns before any row is read. Each read method
 * streams one file once, turns its records into typed rows and rejects those it cannot use.
 */
public final class DataSet {

    /** Threads that read one activity file; the machines this runs on have two cores or more. */
    static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
    static final int CHUNK_BYTES = 8 << 20;

    private final Map<InputFile, CsvFile> files;
    private final Timestamps timestamps;
    private final Rejects rejects;
    private final Map<InputFile, Long> records = new EnumMap<>(InputFile.class);
    private final Map<InputFile, UnreadCells> unread = new EnumMap<>(InputFile.class);

    private DataSet(Map<InputFile, CsvFile> files, Timestamps timestamps, Rejects rejects) {
        this.files = files;
        this.timestamps = timestamps;
        this.rejects = rejects;
    }

    /**
     * @param columns per file, contract column name to the name in the user's export
     * @param dialects per file, how it is written; a file left out is {@link CsvDialect#DEFAULT}
     * @throws InputException when a required file or column is missing
     */
    public static DataSet open(Path dir, Map<InputFile, Map<String, String>> columns, Map<InputFile, CsvDialect> dialects,
            Timestamps timestamps, Rejects rejects) {
        Map<InputFile, CsvFile> files = new EnumMap<>(InputFile.class);
        for (InputFile f : InputFile.values()) {
            files.put(f, CsvFile.open(f, dir.resolve(f.fileName()), columns.getOrDefault(f, Map.of()),
                    dialects.getOrDefault(f, CsvDialect.DEFAULT)));
        }
        return new DataSet(files, timestamps, rejects);
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

    public Path path(InputFile file) {
        return files.get(file).path();
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
        ConsentRows rows = new ConsentRows(header(InputFile.CONSENTS), timestamps, files.get(InputFile.CONSENTS).dialect());
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
    public void readCustomers(LongConsumer progress, Function<CustomerRow, String> sink, BiConsumer<String, String> rejected) {
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
     * Reads orders.csv or events.csv, the large files, on {@link #THREADS} threads (see
     * {@link ChunkedCsvReader}), finding each row's customer in {@code customers}.
     *
     * @param amountNeeded whether a rule needs every order's amount, so that one not readable rejects its row
     * @param sinks makes one sink per reading thread
     * @return the sinks that received the rows
     */
    public <S extends ActivitySink> List<S> readActivity(InputFile file, CustomerIndex customers, boolean amountNeeded,
            LongConsumer progress, Supplier<S> sinks) {
        if (file != InputFile.ORDERS && file != InputFile.EVENTS) {
            throw new IllegalArgumentException("expected orders or events but was " + file);
        }
        Header h = header(file);
        if (!h.present()) {
            return List.of();
        }
        ActivityRows rows = new ActivityRows(file, h, timestamps, files.get(file).dialect(), amountNeeded);
        ChunkedCsvReader reader = files.get(file).reader(THREADS);

        final class Worker {
            final S sink = sinks.get();
            final ActivityRecord record = new ActivityRecord();
            final UnreadCells unread = new UnreadCells();
        }
        ChunkedCsvReader.Result<Worker> result = reader.read(rejects, progress, Worker::new, (row, line, w) -> {
            String reason = rows.check(row, line, customers, w.record, w.unread);
            if (reason == null) {
                w.sink.accept(w.record);
            }
            return reason;
        });
        synchronized (this) {
            records.merge(file, result.records(), Long::sum);
            result.workers().forEach(w -> unread.computeIfAbsent(file, f -> new UnreadCells()).addAll(w.unread));
        }
        return result.workers().stream().map(w -> w.sink).toList();
    }

    private void read(InputFile file, LongConsumer progress, CsvFile.RecordCheck check) {
        long n = files.get(file).read(rejects, progress, check);
        synchronized (this) {
            records.merge(file, n, Long::sum);
        }
    }
}
