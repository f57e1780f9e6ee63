package se.nestit.audience.pipeline;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import se.nestit.audience.segment.ActivityCounter;
import se.nestit.audience.segment.CustomerTotals;
import se.nestit.audience.segment.SegmentProgram;
import se.nestit.audience.source.DataSet;
import se.nestit.audience.source.InputFile;

/**
 * Streams orders and behaviour events, in parallel, into per-customer counters: no row is kept,
 * only what the audience rules asked for. A file no selected audience needs is not read at all.
 */
final class ActivityStage {

    /** What one file's rows came to. */
    record FileCounts(boolean read, long unknownCustomer, long afterAsOf) {}

    private final DataSet data;
    private final SegmentProgram program;
    private final CustomerTable customers;
    private final CustomerTotals totals;
    private final Progress progress;

    ActivityStage(DataSet data, SegmentProgram program, CustomerTable customers, CustomerTotals totals, Progress progress) {
        this.data = data;
        this.program = program;
        this.customers = customers;
        this.totals = totals;
        this.progress = progress;
    }

    /** Reads orders and events (those that are needed) and returns their counts, orders first. */
    List<FileCounts> read() {
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "activity-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<FileCounts> orders = pool.submit(() -> read(InputFile.ORDERS));
            Future<FileCounts> events = pool.submit(() -> read(InputFile.EVENTS));
            return List.of(orders.get(), events.get());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading orders and events", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private FileCounts read(InputFile file) {
        List<ActivityCounter> counters = program.counters(file);
        if (counters.isEmpty() || !data.has(file)) {
            return new FileCounts(false, 0, 0);
        }
        AtomicLong unknown = new AtomicLong();
        AtomicLong late = new AtomicLong();
        try (Progress.Task task = progress.start(file.stem(), data.size(file))) {
            data.readActivity(file, task::advance, row -> {
                int customer = customers.indexOf(row.customerId());
                if (customer < 0) {
                    unknown.incrementAndGet();
                    return;
                }
                if (!program.inTime(row)) {
                    late.incrementAndGet();
                    return;
                }
                for (ActivityCounter c : counters) {
                    if (c.counts(row)) {
                        totals.count(c, customer, row.amount());
                    }
                }
            });
        }
        return new FileCounts(true, unknown.get(), late.get());
    }
}
