package se.nestit.audience.spark;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import scala.Tuple2;
import se.nestit.audience.consent.ConsentLedger;
import se.nestit.audience.source.ByteRecord;
import se.nestit.audience.source.ConsentRecord;
import se.nestit.audience.source.ConsentRow;
import se.nestit.audience.source.ConsentRows;
import se.nestit.audience.source.ConsentSink;
import se.nestit.audience.source.CsvDialect;
import se.nestit.audience.source.InputFile;
import se.nestit.audience.source.RowView;

/**
 * Checks consents.csv rows and folds each part into the single-machine {@link ConsentLedger}: the
 * part's deciding record per customer, and whether a rejected row may have decided, go on, to be
 * settled against other parts' by the same {@link ConsentRecord#supersedes} rule. A record's line
 * is its order key (part number above place in the part), so that ties are settled across parts as
 * within one.
 */
final class ConsentPart implements PartBody<Tuple2<String, ConsentCells>> {

    private static final long serialVersionUID = 1L;

    private final RunSpec spec;

    ConsentPart(RunSpec spec) {
        this.spec = spec;
    }

    @Override
    public Sink<Tuple2<String, ConsentCells>> open() {
        RunSpec.Compiled c = spec.compiled();
        ConsentRows rows = new ConsentRows(c.headers().get(InputFile.CONSENTS), c.timestamps(), CsvDialect.DEFAULT);
        ConsentLedger ledger = new ConsentLedger(c.policy(), spec.asOf());
        Set<String> customers = new HashSet<>();
        ConsentSink sink = new ConsentSink() {
            @Override
            public void offer(ConsentRow row) {
                ledger.offer(row);
                customers.add(row.customerId());
            }

            @Override
            public void offerUnreadable(String customerId, String purpose, String brand) {
                ledger.offerUnreadable(customerId, purpose, brand);
                customers.add(customerId);
            }
        };
        return new Sink<>() {
            @Override
            public String accept(RowView row, long order) {
                return rows.check(row, order, sink);
            }

            @Override
            public void misshapen(ByteRecord record) {
                rows.misshapen(record, sink);
            }

            @Override
            public Iterator<Tuple2<String, ConsentCells>> results() {
                return customers.stream()
                        .map(id -> {
                            ConsentRecord r = ledger.decidingRecord(id);
                            boolean unreadable = ledger.unreadable(id);
                            return r == null && !unreadable ? null : new Tuple2<>(id, ConsentCells.of(r, unreadable));
                        })
                        .filter(t -> t != null)
                        .iterator();
            }
        };
    }
}
