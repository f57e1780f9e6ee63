package se.nestit.audience.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import se.nestit.audience.source.InputFile;
import se.nestit.audience.source.RowView;
import se.nestit.audience.source.SuppressionRows;

/** Checks suppressions.csv rows; each accepted one is its customer_id and raw email, for the driver to hand to every task. */
final class SuppressionPart implements PartBody<String[]> {

    private static final long serialVersionUID = 1L;

    private final RunSpec spec;

    SuppressionPart(RunSpec spec) {
        this.spec = spec;
    }

    @Override
    public Sink<String[]> open() {
        SuppressionRows rows = new SuppressionRows(spec.compiled().headers().get(InputFile.SUPPRESSIONS));
        List<String[]> out = new ArrayList<>();
        return new Sink<>() {
            @Override
            public String accept(RowView row, long order) {
                return rows.check(row, order, s -> out.add(new String[] {s.customerId(), s.email()}));
            }

            @Override
            public Iterator<String[]> results() {
                return out.iterator();
            }
        };
    }
}
