package se.nestit.audience.pipeline;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import se.nestit.audience.segment.ActivityCounter;
import se.nestit.audience.segment.CustomerTotals;
import se.nestit.audience.segment.SegmentProgram;
import se.nestit.audience.segment.ValueProbe;
import se.nestit.audience.source.ActivityRecord;
import se.nestit.audience.source.ActivitySink;
import se.nestit.audience.source.ActivitySinks;
import se.nestit.audience.source.DataSet;
import se.nestit.audience.source.InputFile;

/**
 * Streams orders and behaviour events into per-customer counters: no row is kept, only what the
 * audience rules asked for. Each file is read on several threads, all counting into the run's
 * totals. A file no selected audience needs is not read at all.
 */
final class ActivityStage {

    /**
     * What one file's rows came to.
     *
     * @param misses the where values no row of the file held
     */
    record FileCounts(boolean read, long unknownCustomer, long afterAsOf, List<ValueProbe.Miss> misses) {}

    /** The counts of orders and of events. */
    record Counts(FileCounts orders, FileCounts events) {
        /** The counts of an activity file, null for any other input. */
        FileCounts of(InputFile file) {
            return switch (file) {
                case ORDERS -> orders;
                case EVENTS -> events;
                default -> null;
            };
        }
    }

    private final DataSet data;
    private final SegmentProgram program;
    private final CustomerTable customers;
    private final CustomerTotals totals;
    private final int threads;
    private final Progress progress;

    /** @param threads how many threads read each file */
    ActivityStage(
            DataSet data,
            SegmentProgram program,
            CustomerTable customers,
            CustomerTotals totals,
            int threads,
            Progress progress) {
        this.data = data;
        this.program = program;
        this.customers = customers;
        this.totals = totals;
        this.threads = threads;
        this.progress = progress;
    }

    /** Reads orders and events (those that are needed) and returns their counts. */
    Counts read() {
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "activity-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<FileCounts> orders = pool.submit(() -> read(InputFile.ORDERS));
            Future<FileCounts> events = pool.submit(() -> read(InputFile.EVENTS));
            return new Counts(orders.get(), events.get());
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
        if (program.counters(file).isEmpty() || !data.has(file)) {
            return new FileCounts(false, 0, 0, List.of());
        }
        List<ActivityCounter> counters = program.counters(file);
        List<Sink> sinks;
        try (Progress.Task task = progress.start(file.stem(), data.size(file))) {
            sinks = data.readActivity(
                    file, customers.index(), program.requiredCells(), threads, task::advance, new ActivitySinks<>() {
                        @Override
                        public Sink sink() {
                            return new Sink(program, totals, counters, program.probe(file));
                        }

                        @Override
                        public void restart() {
                            totals.clear(counters);
                        }
                    });
        }
        long unknown = 0;
        long late = 0;
        ValueProbe seen = program.probe(file);
        for (Sink s : sinks) {
            unknown += s.unknown;
            late += s.late;
            seen.add(s.probe);
        }
        return new FileCounts(true, unknown, late, seen.misses());
    }

    /** One reading thread's counts, and its way into the run's totals. */
    private static final class Sink implements ActivitySink {
        private final SegmentProgram program;
        private final CustomerTotals totals;
        private final ActivityCounter[] counters;
        private final ValueProbe probe;
        private long unknown;
        private long late;

        Sink(SegmentProgram program, CustomerTotals totals, List<ActivityCounter> counters, ValueProbe probe) {
            this.program = program;
            this.totals = totals;
            this.counters = counters.toArray(ActivityCounter[]::new);
            this.probe = probe;
        }

        @Override
        public void accept(ActivityRecord row) {
            probe.accept(row.cells());
            if (row.customer() < 0) {
                unknown++;
                return;
            }
            if (!program.inTime(row.at())) {
                late++;
                return;
            }
            for (ActivityCounter c : counters) {
                if (c.counts(row.cells(), row.at())) {
                    totals.count(c, row.customer(), row.amount());
                }
            }
        }
    }
}
