package se.nestit.audience.source;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import se.nestit.audience.identity.WhiteSpace;

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

    private DataSet(Map<InputFile, CsvFile> files, Timestamps timestamps, Rejects rejects) {
        this.files = files;
        this.timestamps = timestamps;
        this.rejects = rejects;
    }

    /**
     * @param columns per file, contract column name to the name in the user's export
     * @throws InputException when a required file or column is missing
     */
    public static DataSet open(Path dir, Map<InputFile, Map<String, String>> columns, Timestamps timestamps, Rejects rejects) {
        Map<InputFile, CsvFile> files = new EnumMap<>(InputFile.class);
        for (InputFile f : InputFile.values()) {
            files.put(f, CsvFile.open(f, dir.resolve(f.fileName()), columns.getOrDefault(f, Map.of())));
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

    public Rejects rejects() {
        return rejects;
    }

    public void readSuppressions(LongConsumer progress, Consumer<SuppressionRow> sink) {
        Header h = header(InputFile.SUPPRESSIONS);
        int id = h.indexOf("customer_id");
        int email = h.indexOf("email");
        // recorded_at is not read: a suppression applies whatever its date, so a date no one can
        // read must not undo it (rejecting the row would export the person)
        read(InputFile.SUPPRESSIONS, progress, (row, line) -> {
            String customerId = id < 0 ? "" : WhiteSpace.strip(row.cell(id));
            String mail = email < 0 ? "" : row.cell(email);
            if (customerId.isEmpty() && WhiteSpace.strip(mail).isEmpty()) {
                return "customer_id and email are both empty";
            }
            sink.accept(new SuppressionRow(line, customerId, mail));
            return null;
        });
    }

    public void readConsents(LongConsumer progress, Consumer<ConsentRecord> sink) {
        Header h = header(InputFile.CONSENTS);
        int id = h.indexOf("customer_id");
        int purpose = h.indexOf("purpose");
        int status = h.indexOf("status");
        int recordedAt = h.indexOf("recorded_at");
        int source = h.indexOf("source");
        int brand = h.indexOf("brand");
        // purposes, sources and brands are a handful of values repeated a million times: keep one copy of each
        Map<String, String> shared = new HashMap<>();
        read(InputFile.CONSENTS, progress, (row, line) -> {
            String customerId = WhiteSpace.strip(row.cell(id));
            if (customerId.isEmpty()) {
                return "customer_id is empty";
            }
            String purposeValue = WhiteSpace.strip(row.cell(purpose));
            if (purposeValue.isEmpty()) {
                return "purpose is empty";
            }
            Optional<ConsentStatus> statusValue = ConsentStatus.parse(row.cell(status));
            if (statusValue.isEmpty()) {
                return "status: expected granted, denied or withdrawn";
            }
            Optional<Instant> at = timestamps.instant(row.cell(recordedAt));
            if (at.isEmpty()) {
                return isEmpty(row.cell(recordedAt)) ? "recorded_at is empty" : notATimestamp("recorded_at");
            }
            sink.accept(new ConsentRecord(customerId, shared.computeIfAbsent(purposeValue, v -> v), statusValue.get(), at.get(),
                    shared.computeIfAbsent(optional(row, source), v -> v), shared.computeIfAbsent(optional(row, brand), v -> v),
                    line));
            return null;
        });
    }

    /**
     * @param sink takes each row and answers null to accept it or the reason to reject it (a
     *     duplicate customer_id, which only the sink can tell)
     */
    public void readCustomers(LongConsumer progress, Function<CustomerRow, String> sink) {
        Header h = header(InputFile.CUSTOMERS);
        int id = h.indexOf("customer_id");
        int email = h.indexOf("email");
        int createdAt = h.indexOf("created_at");
        read(InputFile.CUSTOMERS, progress, (row, line) -> {
            String customerId = WhiteSpace.strip(row.cell(id));
            if (customerId.isEmpty()) {
                return "customer_id is empty";
            }
            if (createdAt >= 0 && !isEmpty(row.cell(createdAt)) && timestamps.micros(row.cell(createdAt)) == Timestamps.INVALID) {
                return notATimestamp("created_at");
            }
            return sink.apply(new CustomerRow(line, customerId, row.cell(email), row));
        });
    }

    /**
     * Reads orders.csv or events.csv, the large files, on {@link #THREADS} threads (see
     * {@link ChunkedCsvReader}), finding each row's customer in {@code customers}.
     *
     * @param sinks makes one sink per reading thread
     * @return the sinks that received the rows
     */
    public <S extends ActivitySink> List<S> readActivity(InputFile file, CustomerIndex customers, LongConsumer progress,
            Supplier<S> sinks) {
        if (file != InputFile.ORDERS && file != InputFile.EVENTS) {
            throw new IllegalArgumentException("expected orders or events but was " + file);
        }
        Header h = header(file);
        if (!h.present()) {
            return List.of();
        }
        int id = h.indexOf("customer_id");
        String timeColumn = file == InputFile.ORDERS ? "ordered_at" : "occurred_at";
        int at = h.indexOf(timeColumn);
        int amount = file == InputFile.ORDERS ? h.indexOf("amount") : -1;
        int quantity = file == InputFile.ORDERS ? h.indexOf("quantity") : -1;
        ChunkedCsvReader reader = files.get(file).reader(THREADS);

        final class Worker {
            final S sink = sinks.get();
            final ActivityRecord record = new ActivityRecord();
        }
        ChunkedCsvReader.Result<Worker> result = reader.read(rejects, progress, Worker::new, (row, line, w) -> {
            int customer = row.escaped(id)
                    ? blankOr(row.cell(id), customers)
                    : blankOr(row.bytes(), row.start(id), row.end(id), customers);
            if (customer == BLANK) {
                return "customer_id is empty";
            }
            long when = row.escaped(at) ? timestamps.micros(row.cell(at)) : timestamps.micros(row.bytes(), row.start(at), row.end(at));
            if (when == Timestamps.INVALID) {
                return isEmpty(row.cell(at)) ? timeColumn + " is empty" : notATimestamp(timeColumn);
            }
            long money = 0;
            if (amount >= 0) {
                money = row.escaped(amount) ? Amounts.micros(row.cell(amount))
                        : Amounts.micros(row.bytes(), row.start(amount), row.end(amount));
                if (money == Amounts.INVALID) {
                    return "amount: not a plain decimal number (use '.' for decimals, at most "
                            + Amounts.MAX_DECIMALS + " of them)";
                }
            }
            if (quantity >= 0 && !(row.escaped(quantity) ? Amounts.isIntegerOrEmpty(row.cell(quantity))
                    : Amounts.isIntegerOrEmpty(row.bytes(), row.start(quantity), row.end(quantity)))) {
                return "quantity: not a whole number";
            }
            w.sink.accept(w.record.set(customer, when, money, row));
            return null;
        });
        synchronized (this) {
            records.merge(file, result.records(), Long::sum);
        }
        return result.workers().stream().map(w -> w.sink).toList();
    }

    private static final int BLANK = -2;

    /** The customer's index, -1 for an unknown id, {@link #BLANK} for an empty cell. */
    private static int blankOr(String cell, CustomerIndex customers) {
        String idValue = WhiteSpace.strip(cell);
        return idValue.isEmpty() ? BLANK : customers.indexOf(idValue);
    }

    private static int blankOr(byte[] b, int from, int to, CustomerIndex customers) {
        for (int i = from; i < to; i++) {
            if (b[i] < 0) {
                // Unicode white space is more than ASCII's: let the string path trim it
                return blankOr(new String(b, from, to - from, StandardCharsets.UTF_8), customers);
            }
            if (!Timestamps.isAsciiSpace(b[i])) {
                return customers.indexOf(b, from, to);
            }
        }
        return BLANK;
    }

    private void read(InputFile file, LongConsumer progress, CsvFile.RecordCheck check) {
        long n = files.get(file).read(rejects, progress, check);
        synchronized (this) {
            records.merge(file, n, Long::sum);
        }
    }

    private static String optional(RowView row, int index) {
        return index < 0 ? "" : WhiteSpace.strip(row.cell(index));
    }

    private static boolean isEmpty(String cell) {
        return WhiteSpace.strip(cell).isEmpty();
    }

    private static String notATimestamp(String column) {
        return column + ": not a timestamp (expected e.g. 2026-11-21T10:00:00Z, 2026-11-21T10:00:00+01:00, "
                + "2026-11-21T10:00:00 or 2026-11-21)";
    }
}
