package se.nestit.audience.spark;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import scala.Tuple2;
import se.nestit.audience.identity.WhiteSpace;
import se.nestit.audience.segment.ActivityCounter;
import se.nestit.audience.segment.CustomerFacts;
import se.nestit.audience.segment.SegmentProgram;
import se.nestit.audience.source.ActivityRecord;
import se.nestit.audience.source.ActivityRows;
import se.nestit.audience.source.CsvDialect;
import se.nestit.audience.source.CustomerLookup;
import se.nestit.audience.source.InputFile;
import se.nestit.audience.source.RowView;
import se.nestit.audience.source.UnreadCells;

/**
 * Checks orders.csv or events.csv rows and feeds each through the program's counters
 * ({@link ActivityCounter#counts}) while its cells are at hand, adding up per customer within the
 * part: what leaves the task is a customer's counts, never a row, and the parts' counts are added
 * up per customer afterwards. Rows of customers not in customers.csv are dropped when the counts
 * meet the customers.
 */
final class ActivityPart implements PartBody<Tuple2<String, CustomerFacts>> {

    private static final long serialVersionUID = 1L;

    /** Here any id that is not blank is a customer: which ones exist is known only after grouping. */
    private static final CustomerLookup ANY_ID = new CustomerLookup() {
        @Override
        public int indexOf(String customerId) {
            return 0;
        }

        @Override
        public int indexOf(byte[] cell, int from, int to) {
            return 0;
        }
    };

    private final RunSpec spec;
    private final InputFile file;

    ActivityPart(RunSpec spec, InputFile file) {
        this.spec = spec;
        this.file = file;
    }

    @Override
    public Sink<Tuple2<String, CustomerFacts>> open() {
        RunSpec.Compiled c = spec.compiled();
        ActivityRows rows = new ActivityRows(
                file,
                c.headers().get(file),
                c.timestamps(),
                CsvDialect.DEFAULT,
                c.program().requiredCells());
        SegmentProgram program = c.program();
        ActivityCounter[] counters = program.counters(file).toArray(ActivityCounter[]::new);
        ActivityRecord record = new ActivityRecord();
        UnreadCells unread = new UnreadCells();
        Map<String, CustomerFacts> facts = new HashMap<>();
        return new Sink<>() {
            @Override
            public String accept(RowView row, long order) {
                // the build keeps no unread counts (see the Spark guide)
                String reason = rows.check(row, order, ANY_ID, record, unread);
                if (reason != null || !program.inTime(record.at())) {
                    return reason;
                }
                CustomerFacts customer = null;
                for (ActivityCounter counter : counters) {
                    if (counter.counts(row, record.at())) {
                        if (customer == null) {
                            customer = facts.computeIfAbsent(
                                    WhiteSpace.strip(row.cell(rows.customerColumn())),
                                    id -> new CustomerFacts(program));
                        }
                        customer.count(counter, record.amount());
                    }
                }
                return null;
            }

            @Override
            public Iterator<Tuple2<String, CustomerFacts>> results() {
                return facts.entrySet().stream()
                        .map(e -> new Tuple2<>(e.getKey(), e.getValue()))
                        .iterator();
            }
        };
    }
}
